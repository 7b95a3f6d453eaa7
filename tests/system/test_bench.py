#!/usr/bin/python3
"""Boots the bench system once and checks what its guest and PDs print, without judging any
timing: the MMIO benchmark guest's trapped vGIC reads and VMM-answered HVCs return, its final
load pair (no syndrome) is reported by the VMM with the instruction named and stops that guest
only, and the native bench PDs still run to the end.

Usage: test_bench.py --board qemu_virt --image build/qemu_virt/bench/system.img
"""
import argparse
import os
import sys
import time

from guest_shell import Checks
from qemu_console import Console

BUDGET = 60.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--board", default="qemu_virt")
    ap.add_argument("--image", required=True)
    args = ap.parse_args()
    if not os.path.isfile(args.image):
        sys.exit(f"FAIL: no image at {args.image}")

    check = Checks()
    con = Console(args.board, args.image)
    try:
        deadline = time.monotonic() + BUDGET
        m = con.wait_for(r"^mmio-guest: mmio_read_ns=(\d+) hvc_psci_ns=(\d+) n=2000$", deadline)
        check("the guest's trapped vGIC reads and PSCI calls all returned", bool(m))
        m = con.wait_for(r"^vmm: guest 'mmio': read of IPA 0x8000000 at pc 0x(?P<pc>[0-9a-f]+) by "
                         r"instruction 0x(?P<insn>[0-9a-f]{8}), a load/store pair \(LDP/STP\): "
                         r"cannot be emulated \(no syndrome, ISV=0\)$", deadline)
        check("the VMM names the load pair it cannot emulate", bool(m))
        if m:
            pc, insn = int(m.group("pc"), 16), int(m.group("insn"), 16)
            check("the reported pc lies in the guest's RAM", 0x40000000 <= pc < 0x41000000, hex(pc))
            check("the reported word is an LDP (64-bit, signed offset)",
                  insn & 0xffc00000 == 0xa9400000, hex(insn))
        check("the VMM stops that guest", bool(con.wait_for(r"^vmm: guest 'mmio' stopped\b", deadline)))
        check("the native PDs run to the end", bool(con.wait_for(r"^bench: done$", deadline)))
        con.drain(0.5)
    finally:
        con.close()
    check("the guest did not go on after the load pair",
          "still running after the load pair" not in con.text)
    check("no kernel fault", "kernel: fault" not in con.text)
    if check.failures:
        print(f"--- console tail ---\n{con.tail(40)}\n"
              f"bench system test: {len(check.failures)} check(s) FAILED")
        return 1
    print("bench system test: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

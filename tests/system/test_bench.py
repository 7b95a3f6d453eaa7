#!/usr/bin/python3
"""Boots the bench system and checks what its guest and PDs print, without judging any
timing: the MMIO benchmark guest's trapped vGIC reads and VMM-answered HVCs return; its three
accesses the VMM cannot satisfy (a load pair from the distributor, which has no syndrome, a
load from and a jump to an address it was not given) are each named by the VMM and taken by
the guest as a synchronous external abort in its own vector (the default), and the native
bench PDs still run to the end. Then it builds the same system with on_foreign_access="stop"
and checks that the VMM stops the guest at the load pair, and only the guest.

Usage: test_bench.py --board qemu_virt --image build/qemu_virt/bench/system.img
"""
import argparse
import os
import re
import subprocess
import sys
import time

from guest_shell import Checks
from qemu_console import Console

BUDGET = 60.0
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HEX = r"0x([0-9a-f]+)"


def in_ram(pc):
    return 0x40000000 <= pc < 0x41000000


def check_ldp_line(check, m):
    check("the VMM names the load pair it cannot emulate", bool(m))
    if m:
        pc, insn = int(m.group("pc"), 16), int(m.group("insn"), 16)
        check("the reported pc lies in the guest's RAM", in_ram(pc), hex(pc))
        check("the reported word is an LDP (64-bit, signed offset)",
              insn & 0xffc00000 == 0xa9400000, hex(insn))
        return pc
    return None


LDP = (r"^vmm: guest 'mmio': read of IPA 0x8000000 at pc 0x(?P<pc>[0-9a-f]+) by "
       r"instruction 0x(?P<insn>[0-9a-f]{8}), a load/store pair \(LDP/STP\): "
       r"cannot be emulated \(no syndrome, ISV=0\)")
INJECTED = r": synchronous external abort injected$"
# The guest's view of a data abort at `far`: EC 0x25, IL, DFSC 0x10, FnV clear and FAR = the
# address (its MMU is off, so VA = IPA): the kernel's exit carries the VA (FAULT_MR_FAR).


def dabt(far):
    return rf"^mmio-guest: took a data abort: ESR 0x96000010 FAR {far:#x} ELR 0x(?P<elr>[0-9a-f]+)\n"  # whole line


def abort_run(check, board, image):
    """The default: each access becomes an abort the guest handles."""
    con = Console(board, image)
    try:
        deadline = time.monotonic() + BUDGET
        m = con.wait_for(r"^mmio-guest: mmio_read_ns=(\d+) hvc_psci_ns=(\d+) n=2000$", deadline)
        check("the guest's trapped vGIC reads and PSCI calls all returned", bool(m))
        pc = check_ldp_line(check, con.wait_for(LDP + INJECTED, deadline))
        m = con.wait_for(dabt(0x8000000), deadline)
        check("the guest took the load pair's abort in its vector (EC 0x25, DFSC 0x10)",
              bool(m) and pc is not None and int(m["elr"], 16) == pc, m and m.group(0))
        m = con.wait_for(r"^vmm: guest 'mmio': unhandled stage-2 fault at IPA 0xa000000 \(read, "
                         r"4 bytes\) pc " + HEX + INJECTED, deadline)
        check("the VMM names the foreign load: IPA, width, direction, pc", bool(m))
        pc = int(m.group(1), 16) if m else None
        m = con.wait_for(dabt(0xa000000), deadline, m.end() if m else 0)
        check("the guest took the foreign load's abort at that pc",
              bool(m) and pc is not None and in_ram(pc) and int(m["elr"], 16) == pc, m and m.group(0))
        check("the VMM names the foreign instruction fetch", bool(con.wait_for(
            r"^vmm: guest 'mmio': unhandled stage-2 fault at IPA 0xa000000 \(instruction fetch\) "
            r"pc 0xa000000" + INJECTED, deadline)))
        check("the guest took an instruction abort (EC 0x21, FAR = ELR = the address)",
              bool(con.wait_for(r"^mmio-guest: took an instruction abort: ESR 0x86000010 FAR "
                                r"0xa000000 ELR 0xa000000$", deadline)))
        check("the guest went on after all three",
              bool(con.wait_for(r"^mmio-guest: still running after 3 aborts; powering off$", deadline)))
        check("and powered itself off", bool(con.wait_for(r"^vmm: guest 'mmio' powered off$", deadline)))
        check("the native PDs run to the end", bool(con.wait_for(r"^bench: done$", deadline)))
        con.drain(0.5)
    finally:
        con.close()
    check("the VMM did not stop the guest", "vmm: guest 'mmio' stopped" not in con.text)
    check("no kernel fault", "kernel: fault" not in con.text)
    return con


def build_stop_variant(image):
    """The bench system with on_foreign_access="stop", built by the Makefile's own rule into a
    directory beside the given image's."""
    sys_dir = os.path.dirname(os.path.abspath(image))
    board_dir = os.path.dirname(sys_dir)
    build = os.path.dirname(board_dir)
    board = os.path.basename(board_dir)
    out = os.path.join(board_dir, "bench_stop")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(ROOT, "systems", board, "bench.system")) as f:
        text = f.read()
    text, n = re.subn(r'<linux_vm name="mmio"', '<linux_vm name="mmio" on_foreign_access="stop"', text)
    if n != 1:
        sys.exit("FAIL: cannot find <linux_vm name=\"mmio\" in bench.system")
    system_file = os.path.join(out, "bench_stop.system")
    with open(system_file, "w") as f:
        f.write(text)
    variant = os.path.join(out, "system.img")
    subprocess.run(["make", "--no-print-directory", "-C", ROOT, f"BUILD={build}", f"BOARD={board}",
                    "SYSTEM=bench", f"SYSTEM_FILE={system_file}", f"SYS_DIR={out}", variant],
                   check=True, stdout=subprocess.DEVNULL)
    return variant


def stop_run(check, board, image):
    con = Console(board, image)
    try:
        deadline = time.monotonic() + BUDGET
        check("stop: the benchmark ran", bool(con.wait_for(r"^mmio-guest: mmio_read_ns=", deadline)))
        check_ldp_line(check, con.wait_for(LDP + "$", deadline))
        check("stop: the VMM stops that guest",
              bool(con.wait_for(r"^vmm: guest 'mmio' stopped \(the VMM keeps running\)$", deadline)))
        check("stop: the native PDs run to the end", bool(con.wait_for(r"^bench: done$", deadline)))
        con.drain(0.5)
    finally:
        con.close()
    check("stop: the guest did not go on after the load pair",
          "mmio-guest: took" not in con.text and "mmio-guest: now a load from" not in con.text)
    check("stop: no kernel fault", "kernel: fault" not in con.text)
    return con


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--board", default="qemu_virt")
    ap.add_argument("--image", required=True)
    args = ap.parse_args()
    if not os.path.isfile(args.image):
        sys.exit(f"FAIL: no image at {args.image}")

    check = Checks()
    con = abort_run(check, args.board, args.image)
    if check.failures:
        print(f"--- console tail ---\n{con.tail(40)}")
    n = len(check.failures)
    con = stop_run(check, args.board, build_stop_variant(args.image))
    if len(check.failures) > n:
        print(f"--- console tail (stop) ---\n{con.tail(40)}")
    if check.failures:
        print(f"bench system test: {len(check.failures)} check(s) FAILED")
        return 1
    print("bench system test: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

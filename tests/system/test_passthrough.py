#!/usr/bin/python3
"""Boots the passthrough system (one VMM PD running one Linux guest that owns the board's console
UART) under the hypervisor and checks the guest works: login, commands, interrupts counting, a
user-space read of a device the guest was not given (through /dev/mem) ending in SIGBUS with the
shell and the guest going on and the VMM naming the access, reboot through PSCI SYSTEM_RESET and
poweroff through SYSTEM_OFF reported by the VMM.

Per board (BOARDS below): qemu_virt's guest owns the PL011, imx8mp_evk's the i.MX UART2 with
fixed clocks in its device tree (docs/boards.md), which the test reads back from /proc/device-tree.

Usage: test_passthrough.py --board qemu_virt --image build/qemu_virt/passthrough/system.img
"""
import argparse
import os
import re
import sys
import time

import pexpect

from guest_shell import Checks, GuestShell
from qemu_console import board_machine_args, board_run_args

VM = "linux"

# What differs between the boards: the name the UART's interrupt has in /proc/interrupts, and an
# address in no node of the guest's device tree (a device that stays the host's).
BOARDS = {
    "qemu_virt": {"uart_irq": "pl011", "foreign": 0x0a000000},  # virtio-mmio
    "imx8mp_evk": {"uart_irq": "30890000.serial", "foreign": 0x30860000,  # UART1
                   "uart_node": "/proc/device-tree/soc@0/bus@30800000/serial@30890000",
                   "sip_probe": True},
}
SIP_PROBE = "sip_probe"  # guests/sip_probe: the i.MX SiP call 0xc2000006, then SYSTEM_OFF if it got -1


def uart_count(counts, name):
    return next((n for key, n in counts.items() if name in key), None)


def check_fixed_clocks(con, check, node):
    """The UART's clocks in the guest's tree: fixed clocks mksys wrote (the clock controller
    stays the host's), the controller itself and the DMA engine absent."""
    out = con.run(f"for c in /proc/device-tree/clock-passthrough-*; do echo $c; "
                  f"cat $c/compatible; echo; done; ls {node}; "
                  "ls -d /proc/device-tree/soc@0/bus@30000000/clock-controller@30380000 "
                  "/proc/device-tree/soc@0/bus@30800000/spba-bus@30800000/dma-controller@30bd0000 "
                  "2>&1 | sed 's/^/absent? /'")
    text = " | ".join(out)
    check("the guest's tree has a fixed clock for the UART (clock-passthrough-24000000)",
          any(l.strip().endswith("clock-passthrough-24000000") for l in out) and
          any("fixed-clock" in l for l in out), text)
    check("the UART node has clocks but no dmas in the guest's tree",
          any(re.search(r"\bclocks\b", l) for l in out) and not any(re.search(r"\bdmas\b", l) for l in out),
          text)
    check("the clock controller is not in the guest's tree",
          not any("absent?" in l and "clock-controller" in l and "No such file" not in l for l in out), text)

def check_smccc(con, check):
    """Firmware calls the VMM does not implement (vendor SiP calls such as the i.MX8MQ SoC
    driver's 0xc2000006, TRNG, the hypervisor UID): answered NOT_SUPPORTED, one line per function
    naming the guest, and the guest went on (it is at login now). Debian's 6.1 guest makes two
    on both boards; 0xc2000006 only on an i.MX 8M Quad (docs/boards.md)."""
    lines = re.findall(rf"^vmm: guest '{VM}': unsupported SMC/HVC function (0x[0-9a-f]{{8}}) \u2192 NOT_SUPPORTED$",
                       con.text(), re.MULTILINE)
    print("unsupported firmware calls: " + (", ".join(lines) or "none"), flush=True)
    check("the guest's unsupported firmware calls were answered NOT_SUPPORTED, one line each, and it went on",
          bool(lines) and len(lines) == len(set(lines)), ", ".join(lines))


def check_sip_probe(con, check):
    """The i.MX SoC driver's SiP call, made by the probe guest (this board's Linux never makes
    it): one line naming that guest, NOT_SUPPORTED, and the probe went on to power off, which it
    does without its 'wrong answer' call 0xc2000007 only if x0 was -1."""
    text = con.text()
    calls = re.findall(rf"^vmm: guest '{SIP_PROBE}': unsupported SMC/HVC function (0x[0-9a-f]{{8}}) "
                       "\u2192 NOT_SUPPORTED$", text, re.MULTILINE)
    check("the SiP call 0xc2000006 is logged once, naming the guest, answered NOT_SUPPORTED",
          calls.count("0xc2000006") == 1, ", ".join(calls) or "no line")
    check("the guest got -1 for it and went on (SYSTEM_OFF, no 'wrong answer' call)",
          "0xc2000007" not in calls and re.search(rf"^vmm: guest '{SIP_PROBE}' powered off$", text, re.MULTILINE)
          is not None, ", ".join(calls))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--board", default="qemu_virt")
    ap.add_argument("--image", required=True)
    ap.add_argument("--timeout", type=float, default=90, help="seconds per step")
    args = ap.parse_args()
    if not os.path.isfile(args.image):
        sys.exit(f"FAIL: no image at {args.image}")

    if args.board not in BOARDS:
        sys.exit(f"FAIL: no passthrough facts for board '{args.board}' (BOARDS in {__file__})")
    facts = BOARDS[args.board]
    foreign = facts["foreign"]
    cmd = (["qemu-system-aarch64"] + board_machine_args(args.board, args.image) + board_run_args(args.board) +
           ["-kernel", args.image])
    print("booting: " + " ".join(cmd), flush=True)
    check = Checks()
    con = GuestShell(cmd, args.timeout)
    try:
        print(f"hypervisor boot to login: {con.wait_login():.2f} s", flush=True)
        placed = re.search(rf"^vmm: guest '{VM}': booting: kernel 0x[0-9a-f]+-0x[0-9a-f]+ \(pre-placed\)",
                           con.text(), re.MULTILINE)
        check("the first boot finds the kernel the image tool placed in RAM (nothing copied)", bool(placed))
        check_smccc(con, check)
        if facts.get("sip_probe"):
            check_sip_probe(con, check)
        check("root logs in without a password", not con.login())

        uname = con.run("uname -a")
        check("uname -a says aarch64", any("aarch64" in l for l in uname), " | ".join(uname))
        answer = con.run("echo $((6*7))")
        check("shell arithmetic prints 42", "42" in [l.strip() for l in answer], " | ".join(answer))

        before = con.interrupt_counts()
        time.sleep(1)
        after = con.interrupt_counts()
        t0, t1 = before.get("arch_timer"), after.get("arch_timer")
        check("the guest's timer interrupts count", t0 is not None and t1 > t0, f"{t0} -> {t1}")
        u0, u1 = uart_count(before, facts["uart_irq"]), uart_count(after, facts["uart_irq"])
        check("the passed-through UART's interrupts count", u0 is not None and u1 > u0,
              f"{u0} -> {u1}")

        # An access the guest does not own: the VMM injects a synchronous external abort, which
        # Linux turns into SIGBUS for the process; the guest and its shell go on.
        mark = len(con.text())
        if "uart_node" in facts:
            check_fixed_clocks(con, check, facts["uart_node"])

        out = con.run(f"devmem {foreign:#x} 32; echo status=$?")
        print("devmem: " + " | ".join(out), flush=True)
        check("devmem of an address the guest was not given dies of a bus error",
              any("Bus error" in l for l in out) and "status=135" in [l.strip() for l in out],
              " | ".join(out))
        m = re.search(rf"^vmm: guest '{VM}': unhandled stage-2 fault at IPA {foreign:#x} \(read, "
                      r"4 bytes\) pc 0x([0-9a-f]+): synchronous external abort injected$",
                      con.text()[mark:], re.MULTILINE)
        check("the VMM names the guest, IPA, width, direction and pc of the access", bool(m))
        check("that pc is devmem's, a user-space address", bool(m) and int(m.group(1), 16) < 1 << 48,
              m and m.group(0))
        answer = con.run("echo $((6*7))")
        check("the shell still works after the bus error", "42" in [l.strip() for l in answer],
              " | ".join(answer))

        mark = len(con.text())
        con.child.sendline("reboot")
        con.child.expect(rf"vmm: guest '{VM}' reset")
        check("reboot reaches the VMM as a PSCI system reset", True)
        con.wait_login()
        copied = re.search(rf"^vmm: guest '{VM}': booting: kernel 0x[0-9a-f]+-0x[0-9a-f]+ \(copied\)",
                           con.text()[mark:], re.MULTILINE)
        check("the reboot copies the kernel again from its pristine copy", bool(copied))
        check("the guest is back at a login prompt after reboot", not con.login())
        answer = con.run("echo $((6*7))")
        check("commands work after reboot", "42" in [l.strip() for l in answer], " | ".join(answer))

        con.child.sendline("poweroff")
        con.child.expect(rf"vmm: guest '{VM}' powered off")
        check("poweroff reaches the VMM as a PSCI system off", True)
        time.sleep(1)
        check("the hypervisor keeps running after the guest powered off", con.child.isalive())
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        check("console dialogue", False, f"{type(e).__name__} waiting for the guest")
    finally:
        con.close()

    bad = [l for l in con.text().split("\n")
           if l.startswith("kernel: fault") or (re.match(r"vmm: .*(unhandled|error|cannot)", l)
                                                and f"IPA {foreign:#x} (read" not in l)]
    check("no kernel faults and no unhandled guest exits", not bad, "; ".join(bad[:5]))
    if check.failures:
        print("--- console log (tail) ---\n" + con.tail(60))
        print(f"passthrough test: {len(check.failures)} check(s) FAILED")
        return 1
    print("passthrough test: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

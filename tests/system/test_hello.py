#!/usr/bin/python3
"""System test of the hello demonstration (systems/<board>/hello.system, examples/hello).

Boots the image in QEMU and checks the console: ping-pong over shared memory and notifications,
a protected call, unaligned access in a PD, a named kernel diagnostic for a PD that touches
unmapped memory (and only that PD stopped), a parent restarting its faulting child, and typed
input reaching a PD through the UART interrupt. Lines of different PDs may come in any order;
only orders that causality forces are checked.
"""
import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest_shell import Checks
from qemu_console import Console  # noqa: E402

BOOT_BUDGET = 30.0  # seconds for everything up to the typed input
INPUT_BUDGET = 10.0

check = Checks()


def expect_in_order(con, name, patterns, deadline):
    """Each pattern must appear after the previous one's match. Returns the last match."""
    start = 0
    m = None
    for pat in patterns:
        m = con.wait_for(pat, deadline, start)
        if not m:
            check(name, False, f"no line matching /{pat}/ after offset {start}")
            return None
        start = m.end()
    check(name, True)
    return m


def check_ping_pong(con, deadline):
    steps = []
    value = 10
    for r in range(1, 4):
        steps.append(rf"^ping: round {r} sent {value}$")
        steps.append(rf"^pong: got {value}, returning {value + 1}$")
        value += 1
    steps.append(r"^ping: ping-pong done after 3 rounds, value 13$")
    # pong answers with microkit_deferred_notify: the rounds go on only if it is performed.
    expect_in_order(con, "ping-pong over shared memory, 3 rounds, final value 13 (pong's deferred notify)",
                    steps, deadline)


def check_calc(con, deadline):
    expect_in_order(con, "protected call ping -> calc", [
        r"^calc: call label 1 with 2 words$",
        r"^ping: calc\(6, 7\) -> sum 13 product 42 diff -1$",
    ], deadline)
    m = con.wait_for(r"^calc: unaligned access ok \(read 0x0807060504030201 at 0x[0-9a-f]+\)$",
                     deadline)
    check("unaligned access in a PD (Normal cacheable memory)", bool(m))


REFUSALS = [
    r"^ping: trying calls on channels it does not have$",
    r"^microkit_notify: PD 'ping': invalid channel 9$",
    r"^kernel: PD 'ping': notify on channel 9: no such notify channel$",
    r"^ping: kernel refused notify on channel 9 \(status 2\)$",
    r"^kernel: PD 'ping': ppcall on channel 0: no such pp channel$",
    r"^ping: kernel refused ppcall on channel 0 \(status 2\)$",
]


def check_refusals(con, deadline):
    expect_in_order(con, "bad channel calls refused by the runtime and by the kernel", REFUSALS,
                    deadline)


def check_faulter(con, deadline):
    m = expect_in_order(con, "faulter stopped by the kernel with a named diagnostic", [
        r"^faulter: about to read unmapped address 0xdead0000$",
        r"^kernel: fault in PD 'faulter': data abort \(translation fault, level \d\) on read at "
        r"address 0x0*dead0000, pc 0x(?P<pc>[0-9a-f]+) \(ESR 0x[0-9a-f]+\); PD stopped$",
    ], deadline)
    if m:
        pc = int(m.group("pc"), 16)
        check("fault pc is inside faulter's program", 0x200000 <= pc < 0x300000, hex(pc))


def check_supervisor(con, deadline):
    fault = r"^supervisor: child 0 faulted: undefined instruction at pc 0x[0-9a-f]+, restarting$"
    expect_in_order(con, "supervisor restarts its faulting child until it is stable", [
        r"^child: run 1$", fault, r"^child: run 2$", fault, r"^child: run 3$",
        r"^child: run 3 is stable$",
    ], deadline)


def check_round_robin(con, deadline):
    for me in ("a", "b"):
        m = con.wait_for(rf"^spin_{me}: the other spinner ran 3 times while I never yielded$",
                         deadline)
        check(f"spin_{me} shares the CPU with its equal by time slice", bool(m))


def check_echo(con, deadline):
    if not check("echo driver ready", bool(con.wait_for(r"^echo: ready", deadline))):
        return
    # Type only once the faulter is dead and while the spinners hog the CPU: input must still
    # reach echo through its IRQ, preempting them.
    con.type_slowly("hello\r")
    m = con.wait_for(r"echo: line 'hello' \(5 chars\)$", time.monotonic() + INPUT_BUDGET)
    # echo acks with microkit_deferred_irq_ack: a line of several interrupts needs every ack.
    check("typed line reaches echo through the UART interrupt after faulter died "
          "(echo's deferred IRQ acks)", bool(m))


def check_no_errors(con):
    con.drain(0.5)
    diag = re.compile(r"^\w+: PD '[^']*': ")  # the runtime's diagnostics (libmicrokit)
    expected = [re.compile(p) for p in REFUSALS]
    bad = [line for line in con.text.splitlines()
           if (diag.match(line) and not any(e.match(line) for e in expected)) or "isolation is broken" in line or "giving up" in line
           or (line.startswith("kernel: fault in PD")  # the child's faults go to its parent
               and "'faulter'" not in line and "'child'" not in line)]
    check("no runtime diagnostics and no other PD faulted", not bad, "; ".join(bad[:5]))
    n = sum(1 for line in con.text.splitlines() if line.startswith("kernel: fault in PD 'faulter'"))
    check("exactly one fault line for faulter", n == 1, f"{n} lines")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--board", default="qemu_virt")
    ap.add_argument("--image", required=True)
    ap.add_argument("--verbose", action="store_true", help="echo the console while testing")
    args = ap.parse_args()
    if not os.path.isfile(args.image):
        print(f"FAIL: no image at {args.image}")
        return 1

    con = Console(args.board, args.image, echo=args.verbose)
    print(f"booting: {con.command_line()}", flush=True)
    try:
        deadline = time.monotonic() + BOOT_BUDGET
        check_ping_pong(con, deadline)
        check_calc(con, deadline)
        check_refusals(con, deadline)
        check_supervisor(con, deadline)
        check_faulter(con, deadline)
        check_round_robin(con, deadline)
        check_echo(con, deadline)
        check_no_errors(con)
    finally:
        con.close()
    if check.failures:
        print(f"\n{len(check.failures)} check(s) FAILED. Console tail:\n{con.tail(60)}")
        return 1
    print("all hello checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

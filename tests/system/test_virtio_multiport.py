#!/usr/bin/python3
"""System test of systems/qemu_virt/virtio_multiport.system: one guest whose virtIO console has
two ports (VIRTIO_CONSOLE_F_MULTIPORT), hvc0 on serial client guest0 and hvc1 on serial client
guest0-aux, both of the one VMM PD, sharing the UART with the prefix "name: " at line starts.

One boot, then, on the real console (ANSI colours removed):
- a login prompt comes up under each client's prefix: the getty on hvc0 and the one init adds
  for extra_ttys=hvc1, each reaching the UART through its own port and client;
- root logs in on hvc0 (client 0 has input at start): `tty` says /dev/hvc0, the guest lists
  both port names in /sys/class/virtio-ports/*/name, `stty size` is 24 rows 80 columns (sent by
  RESIZE in the order the guest's kernel reads, resize_order's default: swapped it says "80 24");
- from hvc0, `echo <marker> > /dev/hvc1`: the computed marker appears on a guest0-aux line and
  on no guest0 line (the typed command holds only its uncomputed form);
- Ctrl-\\ 1 Enter moves input to guest0-aux; root logs in on hvc1 (so typed input reaches port
  1), `tty` says /dev/hvc1, and `echo <marker> > /dev/hvc0` shows up only on guest0 lines;
- the terminal size reaches each port from its own client: in framed mode (docs/serial.md) the
  host sends S frames, 100x30 for client 1 and 90x20 for client 0, then Q; back in plain mode
  `stty size` on hvc1 says "30 100" and on hvc0 "20 90" (the RX virtualiser's size word in each
  client's RX ring, read by the VMM for that port, a RESIZE message for that port);
- no kernel fault, VMM error or virtio device error was printed.
"""
import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest_shell import Checks  # noqa: E402
from qemu_console import Console  # noqa: E402
import test_virtio_console  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "console"))
import framing  # noqa: E402

BOOT_BUDGET = 180.0  # seconds to both login prompts (a shared, slow machine)
STEP_BUDGET = 20.0  # seconds for one command's answer
HOST = "guest0"  # the guest's host name: both ports' shells say root@guest0
CLIENTS = ("guest0", "guest0-aux")  # <serial> clients 0 and 1: hvc0 and hvc1
NAMES = ("org.example.main", "org.example.aux")  # the ports' names in the system file

check = Checks()


class Ports(test_virtio_console.Guests):
    """The console with one shell per port, each under its client's prefix; both prompts show
    the one guest's host name."""

    def __init__(self, con):
        super().__init__(con, CLIENTS)
        self.step = STEP_BUDGET

    def host(self, index):
        return HOST


def check_logins(ps):
    for c in CLIENTS:
        m = ps.tr.wait_for(rf"^{re.escape(c)}: {HOST} login: ", BOOT_BUDGET)
        check(f"a login prompt on {c}'s lines", bool(m))


def cross_write(ps, src, dst, word):
    """From port src's shell, writes a computed marker to the other port's hvc; it must come out
    under dst's prefix only. The typed line holds `word-$((6 * 7))`, never `word-42`."""
    mark = ps.tr.mark()
    out = ps.run(src, f"echo {word}-$((6 * 7)) > /dev/hvc{dst}")
    check(f"hvc{src}: the echo to /dev/hvc{dst} returns", out is not None, f"got {out}")
    seen = ps.tr.wait_for(rf"^{re.escape(CLIENTS[dst])}: .*{word}-42", STEP_BUDGET, mark)
    check(f"hvc{src} -> /dev/hvc{dst}: the marker is on {CLIENTS[dst]}'s lines", bool(seen))
    ps.con.drain(1.0)
    ps.tr.update()
    leaked = [l for l in ps.lines_of(CLIENTS[src], mark) if f"{word}-42" in l]
    check(f"hvc{src} -> /dev/hvc{dst}: the marker is on none of {CLIENTS[src]}'s lines", not leaked,
          f"seen: {leaked}")


def check_port0(ps):
    if not check("root logs in on hvc0 (client guest0)", ps.login(0)):
        return False
    out = ps.run(0, "tty")
    check("hvc0's shell is on /dev/hvc0", out is not None and "/dev/hvc0" in out, f"got {out}")
    out = ps.run(0, "cat /sys/class/virtio-ports/*/name")
    check("the guest sees both port names", out is not None and all(n in out for n in NAMES), f"got {out}")
    out = ps.run(0, "stty size")
    check("hvc0 is 24 rows, 80 columns (RESIZE in the order the guest reads)", out is not None and "24 80" in out, f"got {out}")
    cross_write(ps, 0, 1, "mark-to-aux")
    return True


def check_port1(ps):
    if not check("Ctrl-\\ 1 Enter selects guest0-aux", ps.select(1)):
        return
    if not check("root logs in on hvc1 (client guest0-aux)", ps.login(1)):
        return
    out = ps.run(1, "tty")
    check("hvc1's shell is on /dev/hvc1", out is not None and "/dev/hvc1" in out, f"got {out}")
    out = ps.run(1, "stty size")
    check("hvc1 is 24 rows, 80 columns (RESIZE in the order the guest reads)", out is not None and "24 80" in out, f"got {out}")
    cross_write(ps, 1, 0, "mark-to-main")


def send_raw(ps, data):
    """Bytes as they are (frames are binary), one at a time so the UART's FIFO keeps up. QEMU's
    -serial mon:stdio takes Ctrl-A (0x01, in client 1's frames) as its escape key: Ctrl-A
    Ctrl-A sends one."""
    data = data.replace(b"\x01", b"\x01\x01")
    for i in range(len(data)):
        os.write(ps.con.child.child_fd, data[i:i + 1])
        time.sleep(0.01)
    ps.con.drain(0.5)


def check_sizes(ps):
    send_raw(ps, framing.ENTRY + b"\x00")
    send_raw(ps, framing.size_frame(0, 90, 20))
    send_raw(ps, framing.size_frame(1, 100, 30))
    send_raw(ps, framing.quit_frame())
    ps.con.drain(1.0)
    ps.tr.update()
    # plain mode again, input with client 1 as before
    out = ps.run(1, "stty size")
    check("hvc1 took client guest0-aux's size (30 rows, 100 columns)", out is not None and "30 100" in out,
          f"got {out}")
    if not check("Ctrl-\\ 0 Enter selects guest0 again", ps.select(0)):
        return
    out = ps.run(0, "stty size")
    check("hvc0 took client guest0's size (20 rows, 90 columns)", out is not None and "20 90" in out,
          f"got {out}")


def check_no_errors(ps):
    ps.tr.update()
    bad = [l for l in ps.tr.text.split("\n")
           if re.match(r"^(kernel: fault|kernel: PANIC|vmm: .*(error|stopped|virtIO|console))", l)]
    check("no kernel fault, VMM or virtIO error", not bad, "; ".join(bad[:3]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--board", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--transcript", help="write the whole console here")
    args = ap.parse_args()
    con = Console(args.board, args.image, echo=args.verbose)
    ps = Ports(con)
    print(f"booting: {con.command_line()}", flush=True)
    t0 = time.monotonic()
    try:
        check_logins(ps)
        if check_port0(ps):
            check_port1(ps)
            if ps.selected == 1:
                check_sizes(ps)
        check_no_errors(ps)
    finally:
        con.close()
        if args.transcript:
            with open(args.transcript, "w") as f:
                f.write(con.text)
    print(f"  {time.monotonic() - t0:.1f} s in all", flush=True)
    if check.failures:
        ps.tr.update()
        print(f"\n{len(check.failures)} check(s) FAILED. Console tail:\n"
              + "\n".join(ps.tr.text.splitlines()[-60:]))
        return 1
    print("all virtio_multiport checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

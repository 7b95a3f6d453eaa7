#!/usr/bin/python3
"""System test of the default system (systems/<board>/virtio_console.system): guests side by
side, each with a virtIO console (hvc0) that its VMM backs with a serial client, one UART.

One boot, then, on the real console (ANSI colours removed; every guest line carries the TX
virtualiser's "name: " prefix, which is how an answer is attributed to a guest):
- every guest reaches `login:` on hvc0;
- for each guest in turn: switch input to it with Ctrl-\\ N Enter, log in as root, run
  `hostname` and a computed echo; the answers come from that guest, and the words typed for it
  never show up in another guest's output;
- stress: one guest writes 1 MiB to hvc0 as fast as it can while another is used: the flood
  arrives whole and in order (its length and MD5 computed here equal what the guest's
  `md5sum` says), and the interactive guest answers each command within STEP_BUDGET;
- `reboot` of one guest while another keeps answering; it comes back to `login:` and both work.
"""
import argparse
import hashlib
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest_shell import Checks  # noqa: E402
from qemu_console import Console  # noqa: E402
from test_serial import Transcript  # noqa: E402

BOOT_BUDGET = 120.0  # seconds from QEMU's start to every guest's login prompt
STEP_BUDGET = 10.0  # seconds for one command's answer (the bound the interactive guest must keep)
FLOOD_BYTES = 1 << 20
FLOOD_BUDGET = 120.0
CTRL_BS = "\x1c"  # Ctrl-\
PROMPT = r"root@{g}:[^\n]*# "
SWITCHED = r"^serial_rx: input now goes to client {index} \({name}\)$"

check = Checks()


class Guests:
    """The console with one shell per serial client (a guest, or a guest's console port),
    selected through the RX virtualiser. `host(index)` is the host name its prompt shows."""

    def __init__(self, con, names):
        self.con = con
        self.tr = Transcript(con)
        self.names = names
        self.selected = 0  # the RX virtualiser's initial client
        self.step = STEP_BUDGET  # seconds for one answer

    def host(self, index):
        return self.names[index]

    def lines_of(self, name, start=0):
        """What client `name` printed after `start`, its prefix removed, a line each."""
        pre = f"{name}: "
        return [l[len(pre):] for l in self.tr.text[start:].split("\n") if l.startswith(pre)]

    def select(self, index):
        if self.selected == index:
            return True
        mark = self.tr.mark()
        self.con.type_slowly(f"{CTRL_BS}{index}\r", delay=0.05)
        m = self.tr.wait_for(SWITCHED.format(index=index, name=re.escape(self.names[index])), self.step, mark)
        if m:
            self.selected = index
        return bool(m)

    def type_line(self, text):
        self.con.type_slowly(text + "\r", delay=0.02)

    def _prompt(self, index):
        return rf"^{re.escape(self.names[index])}: " + PROMPT.format(g=re.escape(self.host(index)))

    def login(self, index):
        mark = self.tr.mark()
        self.type_line("root")
        return self.tr.wait_for(self._prompt(index), self.step, mark) is not None

    def run(self, index, command, budget=None):
        """Types `command` into client `index` (selected already); returns its output lines (the
        echoed command line dropped), or None when the prompt did not come back in time."""
        mark = self.tr.mark()
        self.type_line(command)
        m = self.tr.wait_for(self._prompt(index), budget or self.step, mark + 1)
        if not m:
            return None
        lines = self.lines_of(self.names[index], mark)
        prompt = PROMPT.format(g=re.escape(self.host(index)))
        return [l for l in lines if command not in l and not re.match(prompt, l)]


def check_logins(gs):
    for g in gs.names:
        m = gs.tr.wait_for(rf"^{g}: {g} login: ", BOOT_BUDGET)
        check(f"{g} reaches login: on hvc0", bool(m))


def check_each_guest(gs):
    for i, g in enumerate(gs.names):
        if not check(f"Ctrl-\\ {i} Enter selects {g}", gs.select(i)):
            continue
        mark = gs.tr.mark()
        if not check(f"{g}: root logs in", gs.login(i)):
            continue
        out = gs.run(i, "hostname")
        check(f"{g}: hostname answers {g}", out is not None and g in out, f"got {out}")
        word = f"only-for-{g}"
        out = gs.run(i, f"echo {word}-$((6 * 7))")
        check(f"{g}: a computed echo comes back from {g}", out is not None and f"{word}-42" in out,
              f"got {out}")
        others = [o for o in gs.names if o != g]
        leaked = [o for o in others if any(word in l for l in gs.lines_of(o, mark))]
        check(f"{g}: what was typed for it reached no other guest", not leaked, f"seen in {leaked}")


def check_flood(gs, flooder, user):
    """Guest `flooder` writes FLOOD_BYTES of a fixed pattern to hvc0 while guest `user` is used;
    the bytes that reach the UART are compared with what the pattern should be."""
    fg, ug = gs.names[flooder], gs.names[user]
    if not gs.select(flooder):
        check("the flooding guest can be selected", False)
        return
    # The flood: a file of numbers separated by spaces, with no line end in it, made in the
    # guest first, and its MD5 there. On the UART the TX virtualiser ends a line every 256 bytes
    # and wherever another guest's output comes between (docs/serial.md): every line end in
    # what arrives is the virtualiser's, so the host joins the lines again before hashing.
    out = gs.run(flooder, "seq 1 300000 | xargs echo -n | head -c %d > /tmp/flood; md5sum /tmp/flood"
                 % FLOOD_BYTES, budget=FLOOD_BUDGET)
    want = out[-1].split()[0] if out else None
    mark = gs.tr.mark()
    t_flood = time.monotonic()
    # without output processing the tty hands hvc0 whole blocks: one transmit buffer per write
    gs.type_line("stty -opost; cat /tmp/flood; echo; stty opost; echo flood-done")
    if not gs.select(user):
        check(f"{ug} can be selected while {fg} floods", False)
        return
    answers, worst = 0, 0.0
    for n in range(5):
        t0 = time.monotonic()
        res = gs.run(user, f"echo during-flood-{n}")
        dt = time.monotonic() - t0
        if res is not None and f"during-flood-{n}" in res:
            answers += 1
            worst = max(worst, dt)
    check(f"{ug} answers every command within {STEP_BUDGET:.0f} s while {fg} floods", answers == 5,
          f"{answers} of 5")
    print(f"  slowest answer during the flood: {worst:.2f} s", flush=True)
    m = gs.tr.wait_for(rf"^{fg}: flood-done$", FLOOD_BUDGET, mark)
    if not check(f"{fg}'s flood ends", bool(m)):
        return
    print(f"  flood of {FLOOD_BYTES} bytes: {time.monotonic() - t_flood:.1f} s", flush=True)
    lines = gs.lines_of(fg, mark)
    first = next((k for k, l in enumerate(lines) if l.startswith("1 2 3 4 5 ")), None)
    end = lines.index("flood-done", first) if first is not None and "flood-done" in lines[first:] else None
    data = "".join(lines[first:end]).encode() if end is not None else b""
    got = hashlib.md5(data).hexdigest()
    check(f"{fg}'s {FLOOD_BYTES} bytes arrive whole and in order (MD5 as in the guest)",
          want is not None and len(data) == FLOOD_BYTES and got == want,
          f"guest says {want}, host got {len(data)} bytes, {got}")


def check_reboot(gs, rebooter, other):
    rg, og = gs.names[rebooter], gs.names[other]
    if not gs.select(rebooter):
        check(f"{rg} can be selected for the reboot", False)
        return
    mark = gs.tr.mark()
    gs.type_line("reboot")
    if not gs.select(other):
        check(f"{og} can be selected during {rg}'s reboot", False)
        return
    out = gs.run(other, "echo still-here")
    check(f"{og} keeps answering while {rg} reboots", out is not None and "still-here" in out)
    m = gs.tr.wait_for(rf"^{rg}: {rg} login: ", BOOT_BUDGET, mark)
    check(f"{rg} is back at login: after reboot", bool(m))
    if gs.select(rebooter) and gs.login(rebooter):
        out = gs.run(rebooter, "hostname")
        check(f"{rg} works after its reboot", out is not None and rg in out, f"got {out}")
    else:
        check(f"{rg} works after its reboot", False, "no login")
    if gs.select(other):
        out = gs.run(other, "hostname")
        check(f"{og} works after {rg}'s reboot", out is not None and og in out, f"got {out}")


def check_no_errors(gs):
    gs.tr.update()
    bad = [l for l in gs.tr.text.split("\n") if re.match(r"^(kernel: fault|kernel: PANIC|vmm: .*(error|stopped))", l)]
    check("no kernel fault or VMM error", not bad, "; ".join(bad[:3]))


def main(guests=("guest0", "guest1"), stress=True):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--board", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--guests", default=",".join(guests))
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--transcript", help="write the whole console here")
    args = ap.parse_args()
    con = Console(args.board, args.image, echo=args.verbose)
    gs = Guests(con, args.guests.split(","))
    print(f"booting: {con.command_line()}", flush=True)
    t0 = time.monotonic()
    try:
        check_logins(gs)
        check_each_guest(gs)
        if stress:
            check_flood(gs, 0, 1)
            check_reboot(gs, 1, 0)
        check_no_errors(gs)
    finally:
        con.close()
        if args.transcript:
            with open(args.transcript, "w") as f:
                f.write(con.text)
    print(f"  {time.monotonic() - t0:.1f} s in all", flush=True)
    if check.failures:
        gs.tr.update()
        print(f"\n{len(check.failures)} check(s) FAILED. Console tail:\n"
              + "\n".join(gs.tr.text.splitlines()[-60:]))
        return 1
    print(f"all virtio_console checks passed ({len(gs.names)} guests)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

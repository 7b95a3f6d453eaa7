#!/usr/bin/python3
"""System test of the hostile guest (systems/qemu_virt/virtio_hostile.system, guests/virtio_hostile).

One boot. The hostile guest feeds its virtio console every malformed chain of
guests/virtio_hostile/cases.c, round after round; a Linux guest beside it logs in on its own
virtio console. Checked:
- the hostile guest found its device in its device tree (the address and SPI the system file
  gives, not the defaults) and reports every case of round 1 marked broken and a good write;
- its VMM printed exactly one line per case, naming the guest and the fault, in case order, in
  every round (no line missing, none extra), and nothing about the Linux guest's device;
- no VMM, vGIC or kernel fault, no PD stopped, nothing lost from the kernel's log;
- the Linux guest reaches login: on hvc0, takes the keyboard with Ctrl-\\ 1 Enter, logs in and
  answers commands, once while the hostile guest's rounds go on and again after a further full
  round of attacks.

Each client's output comes in its own colour (serial_virt), so the hostile guest's own lines are
read from its colour's spans, where no other source's bytes can tear them; the VMM lines come
whole through the kernel's log ring.
"""
import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest_shell import PROMPT, Checks  # noqa: E402
from qemu_console import Console  # noqa: E402
from test_serial import ANSI, Transcript  # noqa: E402

BOOT_BUDGET = 30.0  # seconds from QEMU's start to the end of round 1
LOGIN_BUDGET = 240.0  # to the Linux guest's login prompt
STEP_BUDGET = 10.0  # for one typed line to be answered
ROUND_BUDGET = 20.0  # for a further full round (HOSTILE_GAP_MS is 1 s)
CTRL_BS = "\x1c"

# From systems/qemu_virt/virtio_hostile.system.
GUEST, LINUX = "hostile", "linux"
LINUX_CLIENT = 1
CONSOLE_ADDR, CONSOLE_SPI = 0xb000000, 3
RAM_BASE, RAM_END = 0x40000000, 0x40400000
QSIZE = 8
HOSTILE_COLOUR = "32"  # client 0's colour (serial_virt/tx_mux.c palette)

TXQ = r"queue 1 \(transmitq\): "
RXQ = r"queue 0 \(receiveq\): "
D0 = TXQ + r"descriptor 0"


def outside(addr, size):
    return rf"0x{addr:x}\+0x{size:x} lies outside guest RAM 0x{RAM_BASE:x}-0x{RAM_END - 1:x}"


# Each case of guests/virtio_hostile/cases.c, in its order, with the fault its VMM must name
# (the text after "virtio console: ", docs/virtio.md).
CASES = [
    ("buffer-past-ram", D0 + ": buffer " + outside(RAM_END, 16)),
    ("buffer-straddles-ram-end", D0 + ": buffer " + outside(RAM_END - 8, 16)),
    ("buffer-wraps-address-space", D0 + ": buffer " + outside(2**64 - 8, 16)),
    ("descriptor-loop", D0 + r" comes a second time in chain 0: a loop"),
    ("chain-longer-than-queue", TXQ + rf"chain 0 has more than the queue size of {QSIZE} descriptors"),
    ("write-only-buffer-on-transmitq", D0 + r" is device-writable, but the device reads"),
    ("read-only-buffer-on-receiveq", RXQ + r"descriptor 0 is device-readable, but the device writes"),
    ("indirect-length-24", D0 + r": indirect table length 24 is not a multiple of 16"),
    ("indirect-length-0", D0 + r": indirect table length 0 is not a multiple of 16"),
    ("indirect-larger-than-queue", D0 + rf": indirect table length {16 * (QSIZE + 1)} is not a multiple of 16 "
     rf"from 16 to {16 * QSIZE}"),
    ("indirect-table-past-ram", D0 + ": indirect table " + outside(RAM_END, 32)),
    ("head-beyond-table", TXQ + rf"available ring entry 0 names descriptor {QSIZE}, beyond the queue size {QSIZE}"),
    ("available-index-too-far-ahead", TXQ + rf"available index {QSIZE + 1} is {QSIZE + 1} entries ahead"),
    ("descriptor-table-straddles-ram-end", TXQ + "descriptor table " + outside(RAM_END - 64, 16 * QSIZE)),
    ("available-ring-past-ram", TXQ + "available ring " + outside(RAM_END + 0x1000, 6 + 2 * QSIZE)),
    ("used-ring-below-ram", TXQ + "used ring " + outside(RAM_BASE - 0x1000, 6 + 8 * QSIZE)),
]
M = len(CASES)

# The VMM may name the device once more before the transport's own "virtio console: ".
VMM_FAULT = re.compile(rf"^vmm: guest '{GUEST}': (?:[\w-]+: )?virtio console: (.*): device needs reset$", re.MULTILINE)
BAD_LINES = [
    (r"^kernel: fault in PD", "PD fault"),
    (r"^kernel: PANIC", "kernel panic"),
    (r"^vmm: .*stopped \(the VMM keeps running\)", "stopped guest"),
    (r"^vmm: .*unhandled", "unhandled exit"),
    (r"synchronous external abort injected", "foreign access (the device window not emulated?)"),
    (r"log ring full", "lost kernel log lines"),
    (r"emergency write: TX ring full", "lost emergency bytes"),
    (r"configuration refused|configuration magic", "refused configuration"),
    (r"unsupported SMC/HVC function 0x8600bad", "failure the hostile guest signalled (guest.c HVC_*)"),
    (rf"^vmm: guest '{LINUX}': virtio .*device needs reset", "broken device of the Linux guest"),
]

check = Checks()


def hostile_stream(raw):
    """The hostile client's own bytes: every span after its colour, up to the next escape. The
    TX banner, which names each client in its colour, is skipped."""
    parts, owner, pos = [], False, 0
    banner = raw.find("serial: switch input with")
    if banner >= 0:
        pos = raw.find("\n", banner) + 1
    for m in ANSI.finditer(raw, pos):
        if owner:
            parts.append(raw[pos:m.start()])
        seq = m.group(0)
        if seq.endswith("m"):
            owner = seq == f"\x1b[{HOSTILE_COLOUR}m"
        pos = m.end()
    if owner:
        parts.append(raw[pos:])
    return "".join(parts).replace("\r", "")


class Hostile:
    """Waits on the hostile guest's own stream. Patterns end with (?=\\n), not $: a line still
    arriving one emergency byte at a time must not match half written."""

    def __init__(self, con):
        self.con = con

    def text(self):
        return hostile_stream(self.con.text)

    def wait_for(self, pattern, timeout, start=0):
        regex = re.compile(pattern, re.MULTILINE)
        deadline = time.monotonic() + timeout
        while True:
            m = regex.search(self.text(), start)
            if m or time.monotonic() >= deadline:
                return m
            self.con.drain(0.2)


def vmm_faults(tr, start=0):
    """(position, fault text) of every line of the hostile guest's VMM about a broken device."""
    tr.update()
    return [(m.start(), m.group(1)) for m in VMM_FAULT.finditer(tr.text, start)]


def check_round_one(tr, ho):
    m = ho.wait_for(r"^hostile: virtio console at .*(?=\n)", BOOT_BUDGET)
    want = (f"hostile: virtio console at 0x{CONSOLE_ADDR:x}, SPI {CONSOLE_SPI}, RAM 0x{RAM_BASE:x}-"
            f"0x{RAM_END - 1:x}, queue size {QSIZE}, {M} cases")
    check("the hostile guest found its console and RAM in its device tree (the system file's addr and spi)",
          bool(m) and m.group(0) == want, m.group(0) if m else "no start line")
    done = ho.wait_for(r"^hostile: done, .*(?=\n)", BOOT_BUDGET)
    if not check("the hostile guest finished round 1", bool(done)):
        return
    check(f"round 1: all {M} cases marked broken and the good write ok",
          done.group(0) == f"hostile: done, {M} of {M} cases marked broken, good write ok", done.group(0))
    text = ho.text()[:done.end()]
    pos = 0
    for name, _ in CASES:
        line = re.compile(rf"^hostile: case {re.escape(name)}: (.*)$", re.MULTILINE).search(text, pos)
        ok = bool(line) and line.group(1) == "device marked broken"
        check(f"round 1, case {name}: the guest saw DEVICE_NEEDS_RESET and the configuration interrupt", ok,
              line.group(0) if line else "no line for it after the previous case's")
        if line:
            pos = line.end()
    check("round 1: the good write came out through the transmitq after the resets",
          re.search(r"^hostile: good write through the transmitq, round 1$", text, re.MULTILINE) is not None)


def case_of(fault):
    """The index of the case whose fault this is, or None."""
    return next((i for i, (_, pattern) in enumerate(CASES) if re.match(pattern, fault)), None)


def check_vmm_lines(tr, rounds_needed):
    """One VMM line per case in round 1 (the lines up to the first case seen again), and every
    hostile VMM fault line, in order, the next case's, round after round."""
    faults = [f for _, f in vmm_faults(tr)]
    first, seen = [], set()
    for f in faults:
        c = case_of(f)
        if c in seen:
            break
        seen.add(c)
        first.append(c)
    for i, (name, fault) in enumerate(CASES):
        check(f"round 1, case {name}: the VMM printed one line naming guest '{GUEST}' and the fault", i in seen,
              f"no line matching {fault} before the first repeated case; round 1's lines are cases {first}")
    wrong = [(i, f) for i, f in enumerate(faults) if case_of(f) != i % M]
    check(f"every VMM line is the next case's, round after round ({len(faults)} lines, "
          f"{len(faults) // M} whole rounds)", not wrong and len(faults) >= rounds_needed * M,
          f"first wrong: line {wrong[0][0]}: {wrong[0][1]}" if wrong else f"only {len(faults)} lines")
    return faults


def type_line(con, text):
    con.type_slowly(text + "\r", delay=0.03)


def run(tr, con, command, answer, what):
    mark = tr.mark()
    type_line(con, command)
    m = tr.wait_for(rf"^{answer}(?=\n)", STEP_BUDGET, mark)
    ok = bool(m) and tr.wait_for(PROMPT, STEP_BUDGET, m.end()) is not None
    check(what, ok, f"no line '{answer}' and prompt after '{command}'")
    return m.end() if m else None


def check_linux(tr, con, ho):
    login = tr.wait_for(r"^(\S+) login: ", LOGIN_BUDGET)
    if not check("the Linux guest reaches its login prompt as linux0", bool(login) and login.group(1) == "linux0",
                 login.group(0) if login else "no login prompt"):
        return
    before = [p for p, _ in vmm_faults(tr) if p < login.start()]
    # Round 1 (each case reported, slowly, by emergency writes) takes about as long as Linux's
    # boot now: a whole round before the login is the overlap; later rounds come during its use.
    check("the hostile guest's attacks went on while Linux booted (a whole round before its login)",
          len(before) >= M, f"{len(before)} VMM fault lines before login:")
    mark = tr.mark()
    con.type_slowly(f"{CTRL_BS}{LINUX_CLIENT}\r", delay=0.05)
    sw = tr.wait_for(rf"^serial_rx: input now goes to client {LINUX_CLIENT} \({LINUX}\)(?=\n)", STEP_BUDGET, mark)
    if not check("Ctrl-\\ 1 Enter gives the keyboard to the Linux guest", bool(sw)):
        return
    mark = tr.mark()
    type_line(con, "root")
    if not check("root logs in without a password", bool(tr.wait_for(PROMPT, STEP_BUDGET, mark))):
        return
    run(tr, con, "tty", "/dev/hvc0", "the login is on hvc0 (the virtIO console)")
    run(tr, con, "hostname", "linux0", "hostname answers linux0")
    first = run(tr, con, "echo beside-$((6*7))-hostile", "beside-42-hostile",
                "a command runs while the hostile guest attacks its own device")
    if first is None:
        return
    # A whole further round of attacks after that answer, then the shell must still answer.
    deadline = time.monotonic() + ROUND_BUDGET
    while len(vmm_faults(tr, first)) < M and time.monotonic() < deadline:
        con.drain(0.5)
    after = len(vmm_faults(tr, first))
    check(f"a further full round of attacks ({M} VMM lines) after the Linux guest's answer", after >= M,
          f"{after} lines within {ROUND_BUDGET:.0f} s")
    run(tr, con, "echo again-$((6*7)) && cat /proc/uptime >/dev/null", "again-42",
        "the Linux guest still answers after that round")


def check_no_faults(tr, ho):
    tr.update()
    for pattern, what in BAD_LINES:
        bad = re.search(pattern, tr.text, re.MULTILINE)
        check(f"the console shows no {what}", bad is None, tr.text[bad.start():tr.text.find('\n', bad.start())] if bad else "")
    text = ho.text()
    bad = re.search(r"^hostile: .*(NOT marked broken|skipped|FAILED|no configuration interrupt).*$", text,
                    re.MULTILINE)
    check("no hostile case went unmarked, skipped or failed in any round", bad is None, bad.group(0) if bad else "")
    sums = re.findall(r"^hostile: round (\d+): (.*)\n", text, re.MULTILINE)  # whole lines only
    good = f"{M} of {M} cases marked broken, good write ok"
    check(f"every later round the guest finished reports {good} ({len(sums)} rounds)",
          bool(sums) and all(s == good for _, s in sums), f"{[s for s in sums if s[1] != good][:2] or 'none'}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--board", default="qemu_virt")
    ap.add_argument("--image", required=True)
    ap.add_argument("--verbose", action="store_true", help="echo the console while testing")
    ap.add_argument("--transcript", help="write the console (escapes kept) to this file at the end")
    args = ap.parse_args()
    if not os.path.isfile(args.image):
        print(f"FAIL: no image at {args.image}")
        return 1
    con = Console(args.board, args.image, echo=args.verbose)
    tr = Transcript(con)
    ho = Hostile(con)
    print(f"booting: {con.command_line()}", flush=True)
    t0 = time.monotonic()
    try:
        check_round_one(tr, ho)
        check_linux(tr, con, ho)
        tr.update()
        check("the console is in colour (the hostile guest's lines are read from its colour)", tr.escapes > 0)
        check_vmm_lines(tr, 2)
        check_no_faults(tr, ho)
    finally:
        con.close()
        if args.transcript:
            with open(args.transcript, "w") as f:
                f.write(con.text)
    print(f"  {time.monotonic() - t0:.1f} s in all", flush=True)
    if check.failures:
        tr.update()
        print(f"\n{len(check.failures)} check(s) FAILED. Console tail:\n" + "\n".join(tr.text.splitlines()[-60:]))
        return 1
    print("all hostile-guest checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""System test of the serial system (systems/<board>/serial.system, examples/serial/client.c).

One boot, then, on the real console: the TX virtualiser's banner; both clients' start lines
whole and in order; typed input reaching only the selected client; switching with Ctrl-\\ 1
Enter and back with Ctrl-\\ 0 Enter, with the RX virtualiser's messages; an invalid number
refused; Ctrl-\\ Ctrl-\\ passing one Ctrl-\\; 64 KiB pasted in one go arriving intact (the
client's CRC-32 equals ours); and a client that floods not holding back the other's lines. On
imx8mp_evk also that the driver programmed the i.MX UART's own registers (a PL011 driver or a
PL011 in disguise would fail): the driver's report of its registers read back, and QEMU's
imx_serial trace of the writes that reached the device.

Output is in ANSI colours (one per client) by default: the checks read the transcript with the
escape sequences removed, after checking there are some.
"""
import argparse
import os
import re
import sys
import tempfile
import threading
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest_shell import Checks  # noqa: E402
from qemu_console import Console, board_vars  # noqa: E402

BOOT_BUDGET = 20.0  # seconds from QEMU's start to both clients' start lines
STEP_BUDGET = 5.0  # seconds for one typed line to come back
PASTE_BYTES = 64 * 1024
PASTE_BUDGET = 30.0
FLOOD_LINES = 1000000  # more than can come out in the test: the flood lasts until QEMU stops
FLOOD_BOUND = 5.0  # seconds within which beta's echo must appear while alpha floods
START_LINES = 5
CLIENTS = ("alpha", "beta")
CTRL_BS = "\x1c"  # Ctrl-\

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

# What the virtualisers print (serial_virt/).
BANNER = (r"^serial: 2 clients, input goes to one at a time:\n"
          r"serial:   0 alpha\nserial:   1 beta\nserial: switch input with Ctrl-\\ ")
SWITCHED = r"^serial_rx: input now goes to client {index} \({name}\)$"
REFUSED = r"^serial_rx: no client {num} \(clients are 0 to 1\); input stays with client 0 \(alpha\)$"

check = Checks()


class Transcript:
    """The console with ANSI escape sequences removed, kept up to date from a Console."""

    def __init__(self, con):
        self.con = con
        self.raw_done = 0  # bytes of con.text already cleaned
        self.text = ""
        self.escapes = 0

    def update(self):
        raw = self.con.text[self.raw_done:]
        # An escape sequence split across reads is left for the next update.
        cut = raw.rfind("\x1b")
        if cut >= 0 and not ANSI.match(raw, cut):
            if len(raw) - cut < 16:
                raw = raw[:cut]
        self.raw_done += len(raw)
        self.escapes += len(ANSI.findall(raw))
        self.text += ANSI.sub("", raw)

    def wait_for(self, pattern, timeout, start=0):
        """The first match of `pattern` (multiline) at or after `start` within timeout s."""
        regex = re.compile(pattern, re.MULTILINE)
        deadline = time.monotonic() + timeout
        while True:
            self.update()
            m = regex.search(self.text, start)
            if m or time.monotonic() >= deadline:
                return m
            self.con.drain(0.05)

    def mark(self):
        self.update()
        return len(self.text)

    def absent(self, pattern, start, seconds=0.5):
        """True when `pattern` does not appear after `start` within `seconds`."""
        return self.wait_for(pattern, seconds, start) is None


def typed_line(con, text):
    con.type_slowly(text + "\r", delay=0.02)


def check_banner_and_start(tr):
    m = tr.wait_for(BANNER, BOOT_BUDGET)
    check("TX virtualiser's banner names both clients and the switch keys", bool(m), "no banner")
    for name in CLIENTS:
        pos = 0
        ok = True
        for n in range(1, START_LINES + 1):
            m = tr.wait_for(rf"^{name}: line {n}$", BOOT_BUDGET, pos)
            if not m:
                check(f"{name}'s start lines arrive whole and in order", False,
                      f"no whole line '{name}: line {n}' after the previous one")
                ok = False
                break
            pos = m.end()
        if ok:
            check(f"{name}'s start lines arrive whole and in order", True)
    check("the console is in colour (ANSI escapes seen)", tr.escapes > 0)


def echo_goes_only_to(tr, con, target, word, what):
    other = [c for c in CLIENTS if c != target][0]
    mark = tr.mark()
    typed_line(con, word)
    m = tr.wait_for(rf"^{target}: echo {re.escape(word)}$", STEP_BUDGET, mark)
    ok = bool(m) and tr.absent(rf"^{other}: echo {re.escape(word)}$", mark)
    return check(what, ok, f"'{word}' not echoed by {target} alone")


def switch_to(tr, con, index):
    name = CLIENTS[index]
    mark = tr.mark()
    con.type_slowly(f"{CTRL_BS}{index}\r", delay=0.05)
    m = tr.wait_for(SWITCHED.format(index=index, name=name), STEP_BUDGET, mark)
    return check(f"Ctrl-\\ {index} Enter: the switch to {name} is announced", bool(m))


def check_switching(tr, con):
    echo_goes_only_to(tr, con, "alpha", "hello-alpha", "typed input reaches only alpha (selected first)")
    switch_to(tr, con, 1)
    echo_goes_only_to(tr, con, "beta", "hello-beta", "after the switch, typed input reaches only beta")
    switch_to(tr, con, 0)
    echo_goes_only_to(tr, con, "alpha", "back-to-alpha", "after switching back, input reaches only alpha")

    mark = tr.mark()
    con.type_slowly(f"{CTRL_BS}7\r", delay=0.05)
    m = tr.wait_for(REFUSED.format(num=7), STEP_BUDGET, mark)
    check("Ctrl-\\ 7 Enter (no such client) is refused with a message", bool(m))
    echo_goes_only_to(tr, con, "alpha", "still-alpha", "the refused switch changed nothing")

    mark = tr.mark()
    con.type_slowly(f"x{CTRL_BS}{CTRL_BS}y\r", delay=0.05)
    m = tr.wait_for(r"^alpha: echo x\\x1cy$", STEP_BUDGET, mark)
    check("Ctrl-\\ Ctrl-\\ passes one Ctrl-\\ to the client", bool(m))


def paste_data(n):
    """n printable bytes (no Ctrl-\\, no Ctrl-A for QEMU's monitor, no line ends), not periodic
    in any short period, so a lost, doubled or reordered chunk changes the CRC."""
    out = bytearray()
    x = 12345
    while len(out) < n:
        x = (x * 1103515245 + 12345) & 0x7fffffff
        out.append(0x21 + (x >> 16) % 94)
    return bytes(out)


def check_paste(tr, con):
    data = paste_data(PASTE_BYTES)
    mark = tr.mark()
    typed_line(con, f"sum {PASTE_BYTES}")
    if not check("alpha takes the sum command",
                 bool(tr.wait_for(rf"^alpha: sum: reading {PASTE_BYTES} bytes$", STEP_BUDGET, mark))):
        return
    # One write of all of it, from a thread: the pty takes it as fast as QEMU reads it while the
    # main thread goes on reading the console, so neither side can block the other.
    def send():
        view = memoryview(data)
        while view:
            view = view[os.write(con.child.child_fd, view):]

    t0 = time.monotonic()
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    m = tr.wait_for(r"^alpha: sum (\d+) bytes crc32 ([0-9a-f]{8})$", PASTE_BUDGET, mark)
    sender.join(1.0)
    want = zlib.crc32(data)
    ok = bool(m) and int(m.group(1)) == PASTE_BYTES and int(m.group(2), 16) == want
    check(f"{PASTE_BYTES} bytes pasted in one go arrive intact and in order (CRC-32 {want:08x})", ok,
          m.group(0) if m else "no sum line")
    if m:
        print(f"  paste of {PASTE_BYTES} bytes: {time.monotonic() - t0:.2f} s", flush=True)


def check_flood(tr, con):
    """alpha floods; beta, given the keyboard meanwhile, must still echo within FLOOD_BOUND, with
    alpha's flood lines seen both before and after that echo (so the flood was still going and
    beta was not just served after it), and alpha's lines whole and consecutive throughout."""
    mark = tr.mark()
    typed_line(con, f"flood {FLOOD_LINES}")
    m = tr.wait_for(r"^alpha: flood 1000 of \d+$", STEP_BUDGET, mark)
    if not check("alpha floods", bool(m)):
        return
    con.type_slowly(f"{CTRL_BS}1\r", delay=0.05)
    t0 = time.monotonic()
    echo_mark = tr.mark()
    typed_line(con, "during-flood")
    m = tr.wait_for(r"^beta: echo during-flood$", FLOOD_BOUND, echo_mark)
    took = time.monotonic() - t0
    if not check(f"while alpha floods, beta's echo appears within {FLOOD_BOUND:.0f} s", bool(m),
                 f"not within {took:.1f} s"):
        return
    after = tr.wait_for(r"^alpha: flood (\d+) of \d+$", STEP_BUDGET, m.end())
    check("alpha was still flooding after beta's echo (beta was served during the flood)",
          bool(after) and int(after.group(1)) < FLOOD_LINES)
    tr.con.drain(0.3)
    tr.update()
    # Every flood line seen, in order, each whole: the numbers must run on without a gap.
    nums = [int(n) for n in re.findall(r"^alpha: flood (\d+) of \d+$", tr.text[mark:], re.MULTILINE)]
    # Every other line in that stretch is one of the few known whole lines (the last, still
    # arriving, aside): a piece of a line torn by another source's bytes matches none.
    whole = re.compile(r"^alpha: flood (\d+ of \d+|of \d+ lines)$|^beta: echo during-flood$|"
                       r"^serial_rx: input now goes to client 1 \(beta\)$|^$")
    broken = [l for l in tr.text[mark:].splitlines()[1:-1] if not whole.match(l)]
    gaps = [i for i in range(1, len(nums)) if nums[i] != nums[i - 1] + 1]
    context = ""
    if broken or gaps:
        lines = tr.text[mark:].splitlines()
        first = broken[0] if broken else f"alpha: flood {nums[gaps[0] - 1]} of {FLOOD_LINES}"
        at = lines.index(first)
        context = f"; around the first: {lines[max(0, at - 2):at + 4]}"
    check(f"alpha's {len(nums)} flood lines arrive whole and in order",
          nums[:1] == [1] and not gaps and not broken,
          f"first {nums[:1]}, gaps after {[nums[i - 1] for i in gaps[:3]]}, broken {broken[:2]}{context}")
    print(f"  {len(nums)} flood lines in {took:.1f} s around beta's echo", flush=True)


# i.MX UART registers (PLATFORM-FACTS), offsets from the base
IMX_REGS = {"UCR1": 0x80, "UCR2": 0x84, "UFCR": 0x90, "UBIR": 0xa4, "UBMR": 0xa8}


def imx_baud(ref_hz, ufcr, ubir, ubmr):
    """The baud rate the i.MX UART's registers give: ref / RFDIV * (UBIR+1) / (16 (UBMR+1))."""
    rfdiv = {0: 6, 1: 5, 2: 4, 3: 3, 4: 2, 5: 1, 6: 7}.get((ufcr >> 7) & 7)
    if rfdiv is None:
        return None
    return ref_hz / rfdiv * (ubir + 1) / (16 * (ubmr + 1))


def trace_writes(path, port, deadline):
    """{offset: last value} of the register writes QEMU's imx_serial model traced for the UART
    labelled serial<port>, once the UBMR write is there (QEMU 10's trace prints the offset in
    decimal after "0x": "imx_serial_write serial1:[0x168] <- 0x00000270")."""
    line_re = re.compile(rf"^imx_serial_write serial{port}:\[0x(\d+)\] <- 0x([0-9a-f]+)$")
    while True:
        writes = {}
        try:
            with open(path) as f:
                for line in f:
                    w = line_re.match(line.strip())
                    if w:
                        writes[int(w.group(1))] = int(w.group(2), 16)
        except FileNotFoundError:
            pass
        if IMX_REGS["UBMR"] in writes or time.monotonic() >= deadline:
            return writes
        time.sleep(0.1)


def check_imx_registers(tr, trace_path, port):
    """The driver's own report (what it computed and what it read back) against QEMU's record of
    the writes that reached the i.MX UART model: a PL011 driver, or one that skipped the
    divider, would fail. (QEMU's model reads UBIR back as 0, so UBIR is taken from the trace.)"""
    m = tr.wait_for(r"^imx_uart: 0x[0-9a-f]+ (?P<baud>\d+) 8N1 ref (?P<ref>\d+) Hz RFDIV (?P<rfdiv>\d+) "
                    r"UBIR (?P<ubir>\d+) UBMR (?P<ubmr>\d+) -> \d+ baud; read back: "
                    r"UBIR=(?P<UBIR>\d+) UBMR=(?P<UBMR>\d+) UFCR=0x(?P<UFCR>[0-9a-f]+) "
                    r"UCR1=0x(?P<UCR1>[0-9a-f]+) UCR2=0x(?P<UCR2>[0-9a-f]+) ", 1.0)
    if not check("the i.MX driver reports its registers read back", bool(m)):
        return
    back = {k: int(m.group(k), 10 if k in ("UBIR", "UBMR") else 16) for k in IMX_REGS}
    ref, want = int(m.group("ref")), int(m.group("baud"))
    writes = trace_writes(trace_path, port, time.monotonic() + 3.0)
    wrote = {k: writes.get(off) for k, off in IMX_REGS.items()}
    if not check("QEMU's imx_serial trace has the driver's writes of UCR1, UCR2, UFCR, UBIR, UBMR",
                 all(v is not None for v in wrote.values()), f"{wrote}"):
        return
    check("the values read back equal those written (UBMR, UFCR, UCR1, UCR2)",
          all(back[k] & 0xffff == wrote[k] & 0xffff for k in ("UBMR", "UFCR", "UCR1", "UCR2")),
          f"read back {back}, written {wrote}")
    check("the divider written is the one the driver reports (UBIR, UBMR)",
          wrote["UBIR"] == int(m.group("ubir")) and wrote["UBMR"] == int(m.group("ubmr")),
          f"{wrote['UBIR']}/{wrote['UBMR']} against {m.group('ubir')}/{m.group('ubmr')}")
    got = imx_baud(ref, wrote["UFCR"], wrote["UBIR"], wrote["UBMR"])
    check(f"UFCR, UBIR and UBMR as written give {want} baud from the {ref} Hz reference",
          got is not None and abs(got - want) <= want * 0.02, f"{got}")
    ucr1, ucr2 = wrote["UCR1"], wrote["UCR2"]
    check("UCR1: UART enabled", ucr1 & 1 == 1, hex(ucr1))
    check("UCR2: TX and RX on, 8 data bits, 1 stop bit, no parity, out of reset",
          ucr2 & 0x7 == 0x7 and ucr2 & (1 << 5) and not ucr2 & (1 << 6) and not ucr2 & (1 << 8),
          hex(ucr2))


def check_no_errors(tr):
    tr.update()
    bad = [l for l in tr.text.splitlines()
           if l.startswith("kernel: fault in PD") or "configuration refused" in l
           or re.match(r"^\w+: PD '[^']*': ", l) or "unexpected channel" in l]
    check("no PD faulted and no configuration or channel was refused", not bad, "; ".join(bad[:4]))


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

    imx = args.board == "imx8mp_evk"
    tmp = tempfile.TemporaryDirectory(prefix="test_serial.")
    trace = os.path.join(tmp.name, "trace.log")
    extra = ["-trace", "imx_serial_write", "-D", trace] if imx else []
    con = Console(args.board, args.image, extra_args=extra, echo=args.verbose)
    tr = Transcript(con)
    print(f"booting: {con.command_line()}", flush=True)
    t0 = time.monotonic()
    try:
        check_banner_and_start(tr)
        if imx:
            check_imx_registers(tr, trace, board_vars(args.board)[1].get("QEMU_CONSOLE_SERIAL", "0"))
        check_switching(tr, con)
        check_paste(tr, con)
        check_no_errors(tr)
        check_flood(tr, con)  # last: the flood goes on until QEMU stops
    finally:
        con.close()
        tmp.cleanup()
        if args.transcript:
            with open(args.transcript, "w") as f:
                f.write(con.text)
    print(f"  {time.monotonic() - t0:.1f} s in all", flush=True)
    if check.failures:
        tr.update()
        print(f"\n{len(check.failures)} check(s) FAILED. Console tail:\n"
              + "\n".join(tr.text.splitlines()[-60:]))
        return 1
    print("all serial checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

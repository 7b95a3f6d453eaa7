#!/usr/bin/python3
"""make bench, console part (issue 10): the host tool and two guests sharing the UART.

Boots of a two-guest virtIO system (virtio_console), both guests logged in as root on hvc0:
one with QEMU's serial port on a pty (a terminal: the echo), one on a UNIX socket, as `make
console` has it (the echo and the flood). Then:

1. Keystroke echo, plain mode against the host tool (tools/console, framed mode). Plain: this
   script on the socket or the pty types a character to guest0 (the RX virtualiser's selected
   client) and times until the character is back on the line. A person in plain mode has a
   terminal between them and QEMU (`make run`: QEMU's stdio), which the pty boot has and the
   socket boot has not. Tool: the tool runs on the same socket or pty, and
   the same keystroke goes in through a terminal of the tool's (`console --attach guest0` in a
   pty, the program of every tmux window; and the guest's tmux window itself, through a tmux
   client attached in a pty as a person has it, and through a control-mode client); timed until
   the echo comes out of that terminal. Batches of each mode
   alternate in the same boot (the tool quits between its batches, its `Q` puts the line back
   in plain mode); medians; the ratio tool / plain (target <= 1.2x). Beside it, with no guest:
   tmux's own part (`cat` on a raw pty against `cat` in a tmux pane), and the tool's own part
   against tests/console/fake_uart.py, which answers at once.
2. Two guests flooding at once: both write to hvc0 as fast as they can (a 1 MiB file of `yes`
   lines, `cat` again and again, no output processing), started together. The line is in framed
   mode (this script enters it itself and decodes the D frames with tools/console/framing.py,
   so every byte is counted for the client that wrote it), and each client's bytes are counted
   over the same window while both flood. Total throughput and each guest's share (target:
   neither below 40%); then each guest alone, and optionally the same with the guests' cores
   swapped (virtio_bench2_swapped), which tells a client's number from its core. Each window
   also gets the host CPU time of QEMU's vCPU threads (is a core busy, or waiting?).

Every reader waits in select() on its descriptor, so no polling delay is added to any figure.
Under QEMU TCG on a shared machine only ratios taken in the same run mean much.
"""
import argparse
import os
import re
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import termios
import time
import tty

import pexpect

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
sys.path.insert(0, os.path.join(ROOT, "tools", "console"))
import framing as fr  # noqa: E402
from qemu_console import QEMU, board_machine_args, board_run_args  # noqa: E402

TOOL = os.path.join(ROOT, "tools", "console", "console")
FAKE = os.path.join(ROOT, "tests", "console", "fake_uart.py")
PY = sys.executable or "/usr/bin/python3"
BOOT_BUDGET = 180.0
STEP = 20.0
FLOOD_BUDGET = 90.0  # seconds for the flood's file to be made, or for a flood to begin
ECHO_TARGET = 1.2
SHARE_TARGET = 0.40
ANSI = re.compile(rb"\x1b\[[0-9;]*[A-Za-z]")
# A terminal's escape sequences: CSI, OSC, character set selection, and the two-byte ones.
TERM_ESC = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[^\[\]()])")
LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PATTERN = "0123456789abcdef"


def qemu_args(board, image, sock):
    """The board's QEMU line (boards/<board>/board.mk) with the console's serial port on a UNIX
    socket, as `make console` starts it (QEMU waits for the first connection), or with sock None
    on a pty of QEMU's, a terminal as `make run` has and as a serial device is."""
    run = board_run_args(board)
    out = []
    i = 0
    while i < len(run):
        if run[i] == "-serial" and i + 1 < len(run) and run[i + 1] == "mon:stdio":
            out += ["-serial", f"unix:{sock},server=on,wait=on" if sock else "pty"]
            i += 2
            continue
        if run[i] != "-nographic":
            out.append(run[i])
        i += 1
    # debug-threads only names QEMU's threads ("CPU 0/TCG", ...), for the flood's CPU figures
    return (board_machine_args(board, image) + ["-display", "none", "-monitor", "none", "-name", "debug-threads=on"]
            + out + ["-kernel", image])


class Line:
    """This script's own connection to the UART: QEMU's socket, or the terminal side of QEMU's
    pty (raw, as a terminal of `make run` would be with QEMU's stdio raw); raw bytes, and a text
    view with CR and colours removed for the prompts."""

    def __init__(self, path, budget=30.0, pty=False):
        self.s = None
        if pty:
            self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
            tty.setraw(self.fd, termios.TCSANOW)
        else:
            end = time.monotonic() + budget
            while True:
                self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    self.s.connect(path)
                    break
                except OSError:
                    self.s.close()
                    if time.monotonic() > end:
                        raise
                    time.sleep(0.1)
            self.fd = self.s.fileno()
        self.raw = bytearray()

    def read(self, timeout):
        """What arrives within timeout s (returns as soon as anything does); b"" if nothing."""
        r, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not r:
            return b""
        data = os.read(self.fd, 65536)
        if not data:
            raise EOFError("the UART connection ended")
        self.raw += data
        return data

    def text(self, start=0):
        return ANSI.sub(b"", bytes(self.raw[start:])).replace(b"\r", b"").decode("utf-8", "replace")

    def wait_for(self, pattern, budget, start=0):
        regex = re.compile(pattern, re.MULTILINE)
        end = time.monotonic() + budget
        while True:
            m = regex.search(self.text(start))
            if m or time.monotonic() > end:
                return m
            self.read(min(0.2, end - time.monotonic()))

    def send(self, data):
        while data:
            data = data[os.write(self.fd, data):]

    def type_slowly(self, data, delay=0.03):
        for b in data:
            self.send(bytes([b]))
            time.sleep(delay)

    def drain(self, quiet=0.3, budget=10.0):
        end = time.monotonic() + budget
        while time.monotonic() < end and self.read(quiet):
            pass

    def close(self):
        if self.s is not None:
            self.s.close()
        else:
            os.close(self.fd)


def log_in(line, guests):
    """Every guest at login:, then root logged in on each, switching input with Ctrl-\\ N Enter;
    input is left on guest0."""
    t0 = time.monotonic()
    for g in guests:
        if not line.wait_for(rf"^{g}: {g} login: ", BOOT_BUDGET - (time.monotonic() - t0)):
            raise RuntimeError(f"{g}: no login prompt")
    order = list(range(1, len(guests))) + [0]
    for i in order:
        mark = len(line.raw)
        line.type_slowly(b"\x1c%d\r" % i, 0.05)
        if not line.wait_for(rf"input now goes to client {i}", STEP, mark):
            raise RuntimeError(f"input could not be switched to client {i}")
        g = guests[i]
        mark = len(line.raw)
        line.type_slowly(b"root\r")
        if not line.wait_for(rf"^{g}: root@{g}:[^\n]*# ", STEP, mark):
            raise RuntimeError(f"{g}: no shell prompt")
    line.drain()


def echo_batch(send, read, n, pause=0.02):
    """n typed characters, each timed from its write until it comes back (read(timeout) returns
    what arrived, as soon as anything does), then Ctrl-U so the line is dropped."""
    times = []
    for k in range(n):
        ch = LETTERS[k % len(LETTERS):][:1]
        t0 = time.monotonic()
        send(ch)
        got = b""
        while time.monotonic() - t0 < 5.0:
            got += read(5.0 - (time.monotonic() - t0))
            if ch in got:
                times.append(time.monotonic() - t0)
                break
        time.sleep(pause)
    send(b"\x15")
    end = time.monotonic() + 0.3
    while time.monotonic() < end:
        read(0.05)
    return times


class Tool:
    """tools/console on the UART (unix:SOCKET or a pty's path), without a tmux client of its own
    (--no-attach), as `make console` runs it otherwise; its tmux windows and logs in a temporary
    directory."""

    def __init__(self, uart, work, n):
        self.run_dir = os.path.join(work, f"tool{n}")
        self.log_dir = os.path.join(self.run_dir, "logs")
        os.makedirs(self.log_dir)
        self.hub = os.path.join(self.run_dir, "hub.sock")
        self.tmux_sock = os.path.join(self.run_dir, "tmux.sock")
        env = dict(os.environ, TERM=os.environ.get("TERM", "xterm") or "xterm")
        env.pop("TMUX", None)
        self.out = open(os.path.join(self.run_dir, "tool.out"), "wb")
        self.proc = subprocess.Popen([PY, TOOL, uart, "--no-attach", "--session", "bench",
                                      "--tmux-conf", "/dev/null", "--run-dir", self.run_dir,
                                      "--log-dir", self.log_dir], stdin=subprocess.DEVNULL,
                                     stdout=self.out, stderr=subprocess.STDOUT, env=env)
        end = time.monotonic() + STEP
        while time.monotonic() < end:
            try:
                with open(os.path.join(self.log_dir, "system.log"), "rb") as f:
                    if b"framed mode on" in f.read():
                        return
            except FileNotFoundError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("the tool did not reach framed mode; see " + self.run_dir)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()


class InPty:
    """A program in a pty of this script's, which types into it and reads what it writes."""

    def __init__(self, cmd, argv, settle, **kw):
        self.child = pexpect.spawn(cmd, argv, timeout=None, **kw)
        self.child.delaybeforesend = None  # pexpect sleeps 50 ms before every send otherwise
        end = time.monotonic() + settle
        while time.monotonic() < end:  # what the program writes first
            self.read(0.3)

    def send(self, data):
        self.child.send(data)

    def read(self, timeout):
        try:
            return self.child.read_nonblocking(65536, timeout=max(0.0, timeout))
        except pexpect.TIMEOUT:
            return b""

    def close(self):
        self.child.close(force=True)


class Attached(InPty):
    """`console --attach CLIENT` in a pty of its own: a terminal of the tool's, the program
    every tmux window of the tool runs."""

    def __init__(self, tool, client):
        super().__init__(PY, [TOOL, "--attach", client, "--hub", tool.hub], 2.0)  # 2 s: the backlog


class Pane:
    """The guest's tmux window of the tool, through a tmux client in control mode (`tmux -C`):
    `send-keys` goes to the window as from a keyboard, and the pane's output comes back as
    `%output` notifications as tmux reads it, with no polling."""

    def __init__(self, tool, window):
        self.child = pexpect.spawn("tmux", ["-S", tool.tmux_sock, "-C", "attach-session", "-t", "bench"],
                                   timeout=None, echo=False)
        self.child.delaybeforesend = None
        self.pane = None
        self.buf = b""
        self.cmd(b"display-message -p -t bench:%d '#{pane_id}'" % window)
        end = time.monotonic() + 5.0
        while self.pane is None and time.monotonic() < end:
            self._pump(0.2)
            m = re.search(rb"\n(%\d+)\r?\n%end", self.buf)
            if m:
                self.pane = m.group(1)
        if self.pane is None:
            raise RuntimeError("no pane id from tmux")
        self.buf = b""
        end = time.monotonic() + 1.0
        while time.monotonic() < end:
            self.read(0.3)

    def cmd(self, line):
        self.child.send(line + b"\n")

    def _pump(self, timeout):
        try:
            self.buf += self.child.read_nonblocking(65536, timeout=max(0.0, timeout))
        except pexpect.TIMEOUT:
            pass

    def send(self, data):
        self.cmd(b"send-keys -t " + self.pane + b" -H " + b" ".join(b"%02x" % c for c in data))

    def read(self, timeout):
        """The pane's output in the control-mode notifications that arrived (octal escapes
        decoded), as soon as any did."""
        self._pump(timeout)
        out = b""
        while b"\n" in self.buf:
            ln, self.buf = self.buf.split(b"\n", 1)
            ln = ln.rstrip(b"\r")
            pre = b"%output " + self.pane + b" "
            if ln.startswith(pre):
                out += re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), ln[len(pre):])
        return out

    def close(self):
        try:
            self.cmd(b"detach-client")
        except OSError:
            pass
        self.child.close(force=True)


class TmuxClient(InPty):
    """The guest's tmux window of the tool through a tmux client attached in a pty of this
    script, as a person has it: keys typed into that terminal, the echo read from what tmux
    draws there (its escape sequences taken out). The tmux server writes a client's screen to
    the client's terminal itself, so output has one hop fewer than in control mode. The
    status line is turned off on this server, so that no redraw of it is taken for an echo."""

    def __init__(self, tool, window):
        subprocess.run(["tmux", "-S", tool.tmux_sock, "set-option", "-g", "status", "off"], check=True)
        subprocess.run(["tmux", "-S", tool.tmux_sock, "select-window", "-t", f"bench:{window}"], check=True)
        self.buf = b""
        super().__init__("tmux", ["-S", tool.tmux_sock, "attach-session", "-t", "bench"], 1.5,
                         env=dict(os.environ, TERM="xterm"), dimensions=(40, 120))  # 1.5 s: the first screen

    def read(self, timeout):
        """The text tmux drew within timeout s (as soon as any came), escape sequences removed;
        an unfinished sequence waits for the next read."""
        try:
            self.buf += self.child.read_nonblocking(65536, timeout=max(0.0, timeout))
        except pexpect.TIMEOUT:
            pass
        keep = b""
        i = self.buf.rfind(b"\x1b")
        if i >= 0 and not TERM_ESC.match(self.buf, i):
            self.buf, keep = self.buf[:i], self.buf[i:]
        out, self.buf = TERM_ESC.sub(b"", self.buf), keep
        return out


class CatTmux:
    """A tmux server of its own whose one pane runs `cat` on a raw terminal: what tmux itself
    adds to an echo, with no tool and no guest (as the tool's session, window 0)."""

    def __init__(self, work):
        self.tmux_sock = os.path.join(work, "cat-tmux.sock")
        subprocess.run(["tmux", "-S", self.tmux_sock, "-f", "/dev/null", "new-session", "-d", "-s", "bench",
                        "stty raw -echo; exec cat"], check=True)
        time.sleep(0.5)

    def close(self):
        subprocess.run(["tmux", "-S", self.tmux_sock, "kill-server"], stderr=subprocess.DEVNULL)


class CatPty(InPty):
    """`cat` on a raw pty of its own: the same echo without tmux."""

    def __init__(self):
        super().__init__("sh", ["-c", "stty raw -echo; exec cat"], 0.3)


def batch_each(res, makers, args, batches=None):
    """A batch of echoes through a terminal made by each of makers, in turn, into res[name]
    (and the batch's median into batches[name])."""
    for k, make in makers:
        t = make()
        try:
            v = echo_batch(t.send, t.read, args.echoes)
        finally:
            t.close()
        res[k] += v
        if batches is not None:
            batches[k].append(med_ms(v))


def tmux_alone(args):
    """Alternating batches of cat on a bare pty and cat in a tmux pane (through an attached
    client and through a control-mode client), with the pauses of the echo batches: medians of
    each, in ms."""
    work = tempfile.mkdtemp(prefix="bench-tmux-")
    res = {"pty": [], "client": [], "control": []}
    try:
        for _ in range(args.rounds):
            batch_each(res, (("pty", CatPty),), args)
            server = CatTmux(work)
            try:
                batch_each(res, (("client", lambda: TmuxClient(server, 0)), ("control", lambda: Pane(server, 0))),
                           args)
            finally:
                server.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {k: med_ms(v) for k, v in res.items()}


def tool_alone(args):
    """The tool's own cost with no guest and no QEMU: the fake UART peer of the tool's tests
    (tests/console/fake_uart.py, which echoes at once) answered directly in framed mode, then
    through the tool's attached terminal and its tmux window; alternating batches, medians in ms."""
    work = tempfile.mkdtemp(prefix="bench-tool-")
    res = {"direct": [], "attached": [], "window": [], "window, control mode": []}

    def fake(n):
        sock = os.path.join(work, f"fake{n}.sock")
        p = subprocess.Popen([PY, FAKE, "--clients", ",".join(args.guests), "--unix", sock],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end = time.monotonic() + STEP
        while not os.path.exists(sock) and time.monotonic() < end:
            time.sleep(0.01)
        return p, sock

    procs = []
    try:
        for r in range(args.rounds):
            p, sock = fake(2 * r)
            procs.append(p)
            line = Line(sock)
            try:
                fm = Framed(line, len(args.guests))
                res["direct"] += echo_batch(lambda d: fm.send(0, d), lambda to: fm.data_of(0, to), args.echoes)
            finally:
                line.close()
            p, sock = fake(2 * r + 1)
            procs.append(p)
            tool = Tool("unix:" + sock, work, r)
            try:
                batch_each(res, (("attached", lambda: Attached(tool, args.guests[0])),
                                 ("window", lambda: TmuxClient(tool, 1)),
                                 ("window, control mode", lambda: Pane(tool, 1))), args)
            finally:
                tool.stop()
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.wait()
        shutil.rmtree(work, ignore_errors=True)
    return {k: med_ms(v) for k, v in res.items()}


def print_tool_alone(t):
    print(f"\nThe tool's own part, no guest and no QEMU (tests/console/fake_uart.py echoes at once; "
          f"{', '.join(f'{k} {v:.2f} ms' for k, v in t.items())}): the tool adds "
          f"{t['attached'] - t['direct']:.2f} ms through its terminal, {t['window'] - t['direct']:.2f} ms through "
          f"its tmux window)", flush=True)


def med_ms(v):
    return statistics.median(v) * 1000 if v else None


def echo_part(uart, work, line, args):
    """Alternating batches: plain (this script's connection), tool (attached terminal, and the
    guest's tmux window), plain, ... On a socket, which takes one connection, this script's
    connection closes while the tool has the line; a pty stays open (not read meanwhile), so
    that QEMU never sees its terminal hang up."""
    sock = uart[5:] if uart.startswith("unix:") else None
    res = {"plain": [], "framed, this script's decoder (no tool)": [], "tool, attached terminal": [],
           "tool, tmux window": [], "tool, tmux window, control-mode client": []}
    batches = {k: [] for k in res}
    for r in range(args.rounds):
        t = echo_batch(line.send, line.read, args.echoes)
        res["plain"] += t
        batches["plain"].append(med_ms(t))
        fm = Framed(line, len(args.guests), args.show_log)
        try:
            t = echo_batch(lambda d: fm.send(0, d), lambda to: fm.data_of(0, to), args.echoes)
        finally:
            fm.quit()
            line.drain()
        k = "framed, this script's decoder (no tool)"
        res[k] += t
        batches[k].append(med_ms(t))
        if sock:
            line.close()
        tool = Tool(uart, work, r)
        try:
            batch_each(res, (("tool, attached terminal", lambda: Attached(tool, args.guests[0])),
                             ("tool, tmux window", lambda: TmuxClient(tool, 1)),
                             ("tool, tmux window, control-mode client", lambda: Pane(tool, 1))), args, batches)
        finally:
            tool.stop()
        if sock:
            line = Line(sock)
        line.drain()
    t = echo_batch(line.send, line.read, args.echoes)
    res["plain"] += t
    batches["plain"].append(med_ms(t))
    return line, res, batches


def fmt(v, spec=".2f"):
    return "-" if v is None else format(v, spec)


def print_echo(args, res, batches, serial, tmux):
    plain = med_ms(res["plain"])
    where = ("QEMU's serial port on a UNIX socket (as make console); plain mode is this script on the "
             "socket, no terminal" if serial == "socket" else
             "QEMU's serial port on a pty (a terminal, as make run's, and as a serial device); plain mode "
             "is this script on that terminal, the tool runs on it as on a serial device")
    print(f"\nKeystroke echo of {args.guests[0]}, plain mode against the host tool (framed mode), one boot, "
          f"{args.rounds} alternating rounds of {args.echoes} characters per mode.\n{where}\n")
    print(f"{'path':<48}{'samples':>8}{'median ms':>11}{'x plain':>9}   per-batch medians, ms")
    print("-" * 100)
    for k, v in res.items():
        m = med_ms(v)
        ratio = m / plain if m and plain else None
        print(f"{k:<48}{len(v):>8}{fmt(m):>11}{fmt(ratio):>9}   "
              + ", ".join(fmt(b, ".1f") for b in batches[k]))
    for k in ("tool, attached terminal", "tool, tmux window"):
        m = med_ms(res[k])
        if m and plain:
            r = m / plain
            print(f"({serial}: {k} / plain: {r:.2f}x; target <= {ECHO_TARGET}x: "
                  f"{'met' if r <= ECHO_TARGET else 'NOT met'})")
    t = tmux
    print(f"(tmux's own part, no guest and no tool: `cat` on a raw pty {t['pty']:.2f} ms, in a tmux pane "
          f"{t['client']:.2f} ms through an attached client, {t['control']:.2f} ms through a control-mode "
          f"client: tmux adds {t['client'] - t['pty']:.2f} ms, {(t['client'] - t['pty']) / plain * 100:.0f}% of "
          f"the plain echo, and {t['control'] - t['pty']:.2f} ms in control mode)")


class Framed:
    """The line in framed mode, entered by this script: D frames decoded, bytes counted per
    client as they arrive."""

    def __init__(self, line, nclients, show_log=False):
        self.line = line
        self.show_log = show_log
        self.dec = fr.Decoder(fr.TYPES_TO_HOST, lambda t, c: c == fr.SYSTEM or c < nclients)
        scan = fr.EntryScanner()
        line.send(fr.ENTRY)
        end = time.monotonic() + STEP
        self.pending = []
        while time.monotonic() < end:
            data = line.read(0.5)
            _, payload, rest = scan.feed(data)
            if payload is not None:
                self.names = fr.parse_list(payload)
                self.pending = self.dec.feed(rest)
                return
        raise RuntimeError("the virtualisers did not enter framed mode")

    def frames(self, timeout):
        out, self.pending = self.pending, []
        data = self.line.read(timeout)
        out = out + (self.dec.feed(data) if data else [])
        if self.show_log:
            for t, c, p in out:
                if t == fr.T_DATA and c == fr.SYSTEM:
                    sys.stderr.write(f"[{time.monotonic():.1f}] {p.decode(errors='replace')}")
        return out

    def send(self, client, data):
        self.line.send(fr.data_frames(client, data.encode() if isinstance(data, str) else data))

    def data_of(self, client, timeout):
        """The bytes of client's D frames that arrive within timeout s (as soon as any do)."""
        return b"".join(p for t, c, p in self.frames(timeout) if t == fr.T_DATA and c == client)

    def quit(self):
        self.line.send(fr.quit_frame())


def vcpu_seconds(pid):
    """CPU seconds (user + system) so far of each of QEMU's vCPU threads ("CPU 0/TCG", ...)."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if name.startswith("CPU "):
            out[name] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return out


def flood_round(fm, clients, first, args):
    """The clients start the flood in the same write to the line, `first` first; once all are
    flooding (each one's first pattern bytes are in), each one's bytes over args.window s."""
    cmd = "stty -opost; while cat /tmp/flood; do :; done\r"
    order = [first] + [c for c in clients if c != first]
    fm.line.send(b"".join(fr.data_frames(c, cmd.encode()) for c in order))
    seen = {c: b"" for c in clients}
    started = set()
    end = time.monotonic() + FLOOD_BUDGET
    while len(started) < len(clients) and time.monotonic() < end:
        for t, c, p in fm.frames(0.2):
            if t == fr.T_DATA and c in seen and c not in started:
                seen[c] = (seen[c] + p)[-120:]
                if PATTERN.encode() in seen[c]:
                    started.add(c)
    if len(started) < len(clients):
        raise RuntimeError("not every guest started its flood: " + "; ".join(
            f"{args.guests[c]} said {v!r}" for c, v in seen.items() if c not in started))
    count = {c: 0 for c in clients}
    cpu0 = vcpu_seconds(args.qemu_pid)
    t0 = time.monotonic()
    t_end = t0 + args.window
    while True:
        now = time.monotonic()
        if now >= t_end:
            break
        for t, c, p in fm.frames(t_end - now):
            if t == fr.T_DATA and c in count:
                count[c] += len(p)
    dt = time.monotonic() - t0
    cpu1 = vcpu_seconds(args.qemu_pid)
    busy = {k: (cpu1[k] - cpu0[k]) / dt for k in sorted(cpu1) if k in cpu0}
    for c in clients:  # Ctrl-C ends the flood; output processing back on
        fm.send(c, "\x03")
    time.sleep(0.5)
    for c in clients:
        fm.send(c, "stty opost\r")
    quiet_until = time.monotonic() + 1.0
    while time.monotonic() < quiet_until + 30:
        if fm.frames(1.0):
            continue
        if time.monotonic() > quiet_until:
            break
    return count, dt, busy


def flood_part(line, args):
    fm = Framed(line, len(args.guests), args.show_log)
    clients = list(range(len(args.guests)))
    for c in clients:  # the file each guest writes again and again: lines of the pattern
        fm.send(c, f"yes {PATTERN} | head -c {args.flood_bytes} > /tmp/flood; echo ma''de\r")
    made = {c: b"" for c in clients}
    end = time.monotonic() + FLOOD_BUDGET
    while time.monotonic() < end and not all(b"made\r\n" in v for v in made.values()):
        for t, c, p in fm.frames(0.2):
            if t == fr.T_DATA and c in made:
                made[c] += p
    if not all(b"made\r\n" in v for v in made.values()):
        fm.quit()
        raise RuntimeError("the flood file was not made: " + "; ".join(
            f"{args.guests[c]} said {v[-120:]!r}" for c, v in made.items()))
    rounds = []
    try:
        for r in range(args.flood_rounds):
            rounds.append(flood_round(fm, clients, clients[r % len(clients)], args))
        alone = {c: flood_round(fm, [c], c, args) for c in clients}
    finally:
        fm.quit()
        line.drain()
    return rounds, alone, fm.dec.discarded


def print_flood(args, rounds, alone, discarded):
    print("\nTwo guests flooding hvc0 at once (`stty -opost; while cat /tmp/flood; do :; done`), bytes of each "
          f"client's D frames over {args.window:.0f} s while both flood, {len(rounds)} rounds (the guest "
          "started first alternates)\n")
    head = "".join(f"{g + ' KiB/s':>14}{g + ' share':>14}" for g in args.guests)
    print(f"{'round':<8}{'total KiB/s':>13}{head}   host CPU of QEMU's vCPU threads")
    print("-" * (21 + 28 * len(args.guests)))
    shares = {c: [] for c in range(len(args.guests))}
    totals = []
    for n, (count, dt, busy) in enumerate(rounds):
        total = sum(count.values())
        totals.append(total / dt / 1024)
        row = f"{n + 1:<8}{total / dt / 1024:>13.1f}"
        for c in range(len(args.guests)):
            s = count[c] / total if total else 0.0
            shares[c].append(s)
            row += f"{count[c] / dt / 1024:>14.1f}{s * 100:>13.1f}%"
        print(row + "   " + ", ".join(f"{k} {v * 100:.0f}%" for k, v in busy.items()))
    med = {c: statistics.median(v) for c, v in shares.items()}
    print(f"{'median':<8}{statistics.median(totals):>13.1f}"
          + "".join(f"{'':>14}{med[c] * 100:>13.1f}%" for c in med))
    print("each guest flooding alone, one round each, after those: " + ", ".join(
        f"{args.guests[c]} {n[c] / dt / 1024:.1f} KiB/s (" + ", ".join(f"{k} {v * 100:.0f}%" for k, v in busy.items())
        + ")" for c, (n, dt, busy) in alone.items()))
    print("(CPU n/TCG: the host CPU time of QEMU's thread for emulated core n over the window, per cent of one CPU)")
    worst = min(min(v) for v in shares.values())
    print(f"(smallest share in any round: {worst * 100:.1f}%; target: neither below {SHARE_TARGET * 100:.0f}%: "
          f"{'met' if worst >= SHARE_TARGET else 'NOT met'}; frames discarded by the decoder: {discarded})")


def qemu_pty(qlog_path, qemu):
    """The terminal of QEMU's `-serial pty`, which QEMU names on its output."""
    end = time.monotonic() + STEP
    while time.monotonic() < end and qemu.poll() is None:
        with open(qlog_path, "rb") as f:
            m = re.search(rb"char device redirected to (/dev/pts/\d+)", f.read())
        if m:
            return m.group(1).decode()
        time.sleep(0.05)
    raise RuntimeError("QEMU named no pty; see " + qlog_path)


def one_boot(args, image, parts, title=None, serial="socket"):
    """Boots image with its console on a socket (or a pty), logs every guest in, runs the parts."""
    work = tempfile.mkdtemp(prefix="bench-console-")
    sock = os.path.join(work, "uart.sock") if serial == "socket" else None
    qlog_path = os.path.join(work, "qemu.log")
    qlog = open(qlog_path, "wb")
    qemu = subprocess.Popen([QEMU] + qemu_args(args.board, image, sock), stdin=subprocess.DEVNULL,
                            stdout=qlog, stderr=subprocess.STDOUT, start_new_session=True)
    args.qemu_pid = qemu.pid
    line = None
    try:
        if sock:
            uart = "unix:" + sock
            line = Line(sock)
        else:
            uart = qemu_pty(qlog_path, qemu)
            line = Line(uart, pty=True)
        t0 = time.monotonic()
        log_in(line, args.guests)
        print(f"\n{title or image}: {', '.join(args.guests)} logged in, {time.monotonic() - t0:.1f} s after "
              f"QEMU's start; load average {os.getloadavg()[0]:.2f}", flush=True)
        if "echo" in parts:
            line, res, batches = echo_part(uart, work, line, args)
            print_echo(args, res, batches, serial, tmux_alone(args))
        if "flood" in parts:
            rounds, alone, discarded = flood_part(line, args)
            print_flood(args, rounds, alone, discarded)
        print(f"(load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())})", flush=True)
    finally:
        if line is not None:
            line.close()
        qemu.terminate()
        try:
            qemu.wait(10)
        except subprocess.TimeoutExpired:
            qemu.kill()
            qemu.wait()
        qlog.close()
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--board", default="qemu_virt")
    ap.add_argument("--image", required=True, help="a two-guest virtIO system (virtio_console)")
    ap.add_argument("--swapped-image",
                    help="the same system with the guests' cores swapped (virtio_bench2_swapped): "
                         "its flood too, to tell a guest's client number from its core")
    ap.add_argument("--guests", default="guest0,guest1")
    ap.add_argument("--rounds", type=int, default=8, help="echo rounds (a batch of each mode per round)")
    ap.add_argument("--echoes", type=int, default=40, help="characters per batch")
    ap.add_argument("--flood-rounds", type=int, default=3)
    ap.add_argument("--window", type=float, default=8.0, help="seconds counted per flood round")
    ap.add_argument("--flood-bytes", type=int, default=1 << 20, help="the file each guest writes over and over")
    ap.add_argument("--parts", default="echo,flood", help="echo, flood, or both, comma-separated")
    ap.add_argument("--serial", default="both", choices=("pty", "socket", "both"),
                    help="QEMU's serial port for the echo: a pty (a terminal), a UNIX socket, or a boot of each")
    ap.add_argument("--show-log", action="store_true",
                    help="copy the system's own lines (the kernel's and the PDs' log) to stderr during the flood")
    args = ap.parse_args()
    args.guests = args.guests.split(",")
    parts = args.parts.split(",")
    if "echo" in parts:
        print_tool_alone(tool_alone(args))
    if "echo" in parts and args.serial in ("pty", "both"):
        one_boot(args, args.image, ["echo"], f"{args.image}, serial port on a pty", "pty")
    if "flood" in parts or args.serial in ("socket", "both"):
        one_boot(args, args.image, [p for p in parts if p == "flood" or args.serial != "pty"])
    if args.swapped_image and "flood" in parts:
        one_boot(args, args.swapped_image, ["flood"],
                 f"{args.swapped_image} (guest0 on core 1, guest1 on core 0 with the serial PDs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""tools/console on the real system in QEMU (issue 10), driven the way a person would: through
tmux only (send-keys, capture-pane, resize-window), never through the UART directly.

`make test-console-qemu` (part of `make test`, with systems/qemu_virt/virtio_console8.system)
passes the QEMU command of `make console` with its socket as @SOCK@; this test puts the socket,
the tmux server, the hub and the logs in a temporary directory of its own. One boot, then:

- the tool shows a window per client of the system file, named after it;
- every guest reaches `login:` in its own window; root logs in there;
- in each window a command whose answer the guest computes (`echo M$((1000+N*7)) $(hostname)`)
  answers `M<1000+7N> guestN` in that window and that guest's log, and in no other window or log;
- `stty size` in every guest says its pane's size; after `resize-window` of one guest's window
  the guest says the new size, and another guest keeps its own;
- ending the tmux session (docs/console.md) stops the tool, QEMU, the tmux server and every
  relay: nothing of the run is left.
"""
import argparse
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest_shell import Checks  # noqa: E402

ROOT = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
TOOL = os.path.join(ROOT, "tools", "console", "console")
SESSION = "console"
BOOT_BUDGET = 240.0  # seconds from the tool's start to every guest's login: (about 60 s here)
STEP_BUDGET = 30.0  # one command's answer (the machine is shared and slow)
SIZE_BUDGET = 20.0  # a resize to reach the guest
QUIT_BUDGET = 30.0  # the tool, QEMU and tmux gone after the session ends
RESIZED = (101, 31)  # cols, rows

check = Checks()


def client_names(system_file):
    """The <client name=...> of the system's <serial>, in order: the client ids 0, 1, ..."""
    root = ET.parse(system_file).getroot()
    return [c.get("name") for s in root.iter("serial") for c in s.iter("client")]


def running(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def pids_mentioning(text):
    """Processes whose command line contains text (the run's own directory)."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == os.getpid():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if text in cmd and running(int(d)):
            out.append((int(d), cmd.strip()))
    return out


def wait_until(pred, timeout, step=0.25):
    end = time.monotonic() + timeout
    while True:
        v = pred()
        if v or time.monotonic() > end:
            return v
        time.sleep(step)


class Run:
    """The tool started on QEMU as `make console` does, on a private tmux server."""

    def __init__(self, qemu_cmd, names, keep, tool=TOOL):
        self.names = names
        self.dir = tempfile.mkdtemp(prefix="console-qemu-")
        self.keep = keep
        self.sock = os.path.join(self.dir, "uart.sock")
        self.tmux_sock = os.path.join(self.dir, "tmux.sock")
        self.logs = os.path.join(self.dir, "logs")
        self.qemu = qemu_cmd.replace("@SOCK@", self.sock)
        self.tool_out = os.path.join(self.dir, "tool.out")
        cmd = [sys.executable, tool, "--no-attach", "--tmux-socket", self.tmux_sock, "--tmux-conf", "/dev/null",
               "--log-dir", self.logs, "--run-dir", os.path.join(self.dir, "run"), "--session", SESSION,
               "--run", self.qemu, "unix:" + self.sock]
        self.env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
        # The session's size comes from the tool's terminal, or these when it has none.
        self.env.update(COLUMNS="120", LINES="40")
        print("tool: " + " ".join(shlex.quote(c) for c in cmd), flush=True)
        self.out = open(self.tool_out, "wb")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self.out, stderr=self.out,
                                     env=self.env, start_new_session=True)
        self.server_pid = None
        self.relay_pids = []
        self.qemu_pids = []

    def tmux(self, *a):
        r = subprocess.run(["tmux", "-S", self.tmux_sock] + list(a), stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env, timeout=30)
        return r.stdout if r.returncode == 0 else ""

    def windows(self):
        return self.tmux("list-windows", "-t", SESSION, "-F", "#{window_name}").split()

    def target(self, name):
        return "%s:=%s" % (SESSION, name)  # the window by its exact name

    def pane(self, name):
        """The window's whole text, history included, wrapped lines joined."""
        return self.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", self.target(name)).replace("\r", "")

    def pane_size(self, name):
        s = self.tmux("display-message", "-p", "-t", self.target(name), "#{pane_width} #{pane_height}").split()
        return (int(s[0]), int(s[1])) if len(s) == 2 else None

    def log(self, name):
        try:
            with open(os.path.join(self.logs, name + ".log"), "rb") as f:
                return f.read().decode("utf-8", "replace").replace("\r", "")
        except FileNotFoundError:
            return ""

    def type_line(self, name, text):
        self.tmux("send-keys", "-t", self.target(name), "-l", text)
        self.tmux("send-keys", "-t", self.target(name), "Enter")

    def wait_text(self, name, regex, timeout, start=0):
        """The first match of regex in the window's text after offset start, within timeout."""
        r = re.compile(regex, re.MULTILINE)
        return wait_until(lambda: r.search(self.pane(name), start), timeout)

    def note_processes(self):
        self.server_pid = int(self.tmux("display-message", "-p", "-t", SESSION, "#{pid}").strip() or 0) or None
        self.relay_pids = [int(p) for p in self.tmux("list-panes", "-s", "-t", SESSION, "-F", "#{pane_pid}").split()]
        self.qemu_pids = [p for p, c in pids_mentioning(self.sock)
                          if os.path.basename(c.split(" ", 1)[0]).startswith("qemu-system")]

    def tail(self, name, n=15):
        return "\n".join(("    | " + l) for l in self.pane(name).rstrip("\n").split("\n")[-n:])

    def close(self):
        """Whatever is still running of this run goes (only our own processes, by id)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.server_pid and running(self.server_pid):
            self.tmux("kill-server")
        for pid, _ in pids_mentioning(self.dir):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.out.close()
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def check_windows(r):
    want = ["system"] + r.names
    got = wait_until(lambda: r.windows() == want and r.windows(), 60.0)
    check("a window per client, named after it: %s" % " ".join(want), got == want, "got %s" % r.windows())
    r.note_processes()
    check("QEMU was started by the tool on the socket", len(r.qemu_pids) == 1, "QEMU pids %s" % r.qemu_pids)


def check_logins(r):
    end = time.monotonic() + BOOT_BUDGET
    t0 = time.monotonic()
    for g in r.names:
        m = r.wait_text(g, r"^%s login: " % re.escape(g), max(0.0, end - time.monotonic()))
        check("%s: login: in its own window" % g, bool(m), "window tail:\n" + r.tail(g))
    print("  every login: after %.1f s" % (time.monotonic() - t0), flush=True)
    for g in r.names:
        r.type_line(g, "root")
    # All were typed at once, so all answer within one budget (a broken tool fails in it).
    end = time.monotonic() + STEP_BUDGET
    for g in r.names:
        m = r.wait_text(g, r"root@%s:[^\n]*# " % re.escape(g), max(1.0, end - time.monotonic()))
        check("%s: root logs in through its window" % g, bool(m), "window tail:\n" + r.tail(g))


def check_routing(r):
    answers = {}
    for n, g in enumerate(r.names):
        r.type_line(g, "echo M$((1000+%d*7)) $(hostname)" % n)
        answers[g] = "M%d %s" % (1000 + n * 7, g)
    end = time.monotonic() + STEP_BUDGET
    for g, want in answers.items():
        # The answer on a line of its own; the echoed command line has $((...)) instead.
        m = r.wait_text(g, r"^%s$" % re.escape(want), max(1.0, end - time.monotonic()))
        check("%s: '%s' in its own window" % (g, want), bool(m), "window tail:\n" + r.tail(g))
        check("%s: '%s' in its log" % (g, want), wait_until(lambda: want in r.log(g), 5.0),
              "log tail: %r" % r.log(g)[-300:])
    for g, want in answers.items():
        others = [o for o in ["system"] + r.names if o != g]
        in_windows = [o for o in others if want in r.pane(o)]
        in_logs = [o for o in others if want in r.log(o)]
        check("%s: '%s' in no other window" % (g, want), not in_windows, "also in %s" % in_windows)
        check("%s: '%s' in no other log" % (g, want), not in_logs, "also in %s" % in_logs)


class Sizes:
    def __init__(self, r):
        self.r = r
        self.k = 0

    def ask(self, g, timeout=STEP_BUDGET):
        """`stty size` in guest g: (cols, rows) as the guest printed them, or what it printed
        instead (a string), or None (no answer)."""
        self.k += 1
        tag = "Z%d" % self.k
        self.r.type_line(g, 'echo "%s=[$(stty size 2>&1)]"' % tag)
        m = self.r.wait_text(g, r"^%s=\[(.*)\]$" % tag, timeout)
        if not m:
            return None
        rc = re.fullmatch(r"(\d+) (\d+)", m.group(1))
        return (int(rc.group(2)), int(rc.group(1))) if rc else m.group(1)

    def until(self, g, want, timeout=SIZE_BUDGET):
        """Asks again (once a second) until the guest says want; returns the last answer."""
        end = time.monotonic() + timeout
        while True:
            got = self.ask(g)
            if got == want or got is None or time.monotonic() > end:
                return got
            time.sleep(1.0)


def said(got):
    """What the guest's `stty size` printed, as it printed it."""
    if got is None:
        return "no answer"
    return "'%d %d'" % (got[1], got[0]) if isinstance(got, tuple) else repr(got)


def check_sizes(r):
    sz = Sizes(r)
    for g in r.names:
        pane = r.pane_size(g)
        got = sz.until(g, pane, 5.0)
        check("%s: stty size says its pane's size, '%d %d'" % (g, pane[1], pane[0]), got == pane,
              "the guest said %s" % said(got))
    g = r.names[min(3, len(r.names) - 1)]
    other = r.names[min(2, len(r.names) - 2)]
    other_before = r.pane_size(other)
    r.tmux("resize-window", "-t", r.target(g), "-x", str(RESIZED[0]), "-y", str(RESIZED[1]))
    ok = wait_until(lambda: r.pane_size(g) == RESIZED, 10.0)
    check("%s: its pane is %dx%d after resize-window" % (g, *RESIZED), ok, "pane %s" % (r.pane_size(g),))
    got = sz.until(g, RESIZED)
    check("%s: stty size says '%d %d' after the resize" % (g, RESIZED[1], RESIZED[0]), got == RESIZED,
          "the guest said %s" % said(got))
    got = sz.ask(other)
    check("%s: keeps its own size, '%d %d'" % (other, other_before[1], other_before[0]),
          got == other_before and r.pane_size(other) == other_before,
          "the guest said %s, pane %s" % (said(got), r.pane_size(other)))


def check_quit(r):
    r.tmux("kill-session", "-t", SESSION)
    try:
        r.proc.wait(QUIT_BUDGET)
        check("the tool quits when its tmux session ends", True)
    except subprocess.TimeoutExpired:
        check("the tool quits when its tmux session ends", False, "still running after %d s" % QUIT_BUDGET)
    procs = [("QEMU", p) for p in r.qemu_pids] + [("relay", p) for p in r.relay_pids]
    if r.server_pid:
        procs.append(("tmux server", r.server_pid))
    left = [(w, p) for w, p in procs if wait_until(lambda: not running(p), 10.0) is False]
    check("QEMU, the tmux server and all %d relays are gone" % len(r.relay_pids), not left, "left: %s" % left)
    rest = pids_mentioning(r.dir)
    check("nothing of the run is left running", not rest, "left: %s" % rest)
    with open(r.tool_out, "rb") as f:
        said = f.read().decode("utf-8", "replace")
    check("the tool left framed mode with Q", "framed mode left with Q" in said, said.strip()[-300:])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--qemu", required=True, help="QEMU's command line, the serial socket's path as @SOCK@")
    ap.add_argument("--system", required=True, help="the system file (its <client> names are the windows)")
    ap.add_argument("--keep", action="store_true", help="keep the run's directory (logs, tool output)")
    ap.add_argument("--tool", default=TOOL, help="another copy of tools/console/console (to see the test fail)")
    args = ap.parse_args()
    names = client_names(args.system)
    r = Run(args.qemu, names, args.keep, args.tool)
    t0 = time.monotonic()
    try:
        # A part that failed makes the later ones wait for what cannot come: stop there.
        for part in (check_windows, check_logins, check_routing, check_sizes, check_quit):
            part(r)
            if check.failures:
                print("  stopping after %s failed" % part.__name__, flush=True)
                break
    finally:
        r.close()
    print("  %.1f s in all" % (time.monotonic() - t0), flush=True)
    if args.keep:
        print("  run directory kept: %s" % r.dir)
    if check.failures:
        print("\n%d check(s) FAILED" % len(check.failures))
        return 1
    print("all console tool checks passed (%d guests)" % len(names))
    return 0


if __name__ == "__main__":
    sys.exit(main())

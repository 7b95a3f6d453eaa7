#!/usr/bin/python3
"""End-to-end test of tools/console against a fake UART peer (tests/console/fake_uart.py), driven
the way a person would: through tmux (send-keys, capture-pane, resize-window) and, for the quit
key, a tmux client attached in a pty.

Each scenario starts the tool with --run so that the tool itself starts the fake peer (as
`make console` starts QEMU), and checks what actually appeared: in the panes, in the per-client
logs, and in the frames the fake peer received (its --record file)."""

import json
import os
import pty
import select
import signal
import subprocess
import sys
import tempfile
import termios
import time
import unittest

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.realpath(os.path.join(HERE, "..", ".."))
TOOL = os.path.join(ROOT, "tools", "console", "console")
FAKE = os.path.join(HERE, "fake_uart.py")
PY = sys.executable
CLIENTS = ["alpha", "beta", "gamma"]
SESSION = "console"


def wait_until(pred, timeout=10.0, what="condition"):
    end = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.05)


def running(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


class Run:
    """One run of the tool against the fake peer."""

    def __init__(self, t, uart="unix", attach=False, fake_args=(), tool_args=(), plain=False, clients=CLIENTS):
        self.t = t
        self.clients = clients
        self.dir = tempfile.mkdtemp(prefix="console-e2e-")
        self.tmux_sock = os.path.join(self.dir, "tmux.sock")
        self.logs = os.path.join(self.dir, "logs")
        self.record = os.path.join(self.dir, "record.jsonl")
        self.fake_pid_file = os.path.join(self.dir, "fake.pid")
        fake = [PY, FAKE, "--clients", ",".join(clients), "--record", self.record, "--pid-file", self.fake_pid_file]
        fake += list(fake_args)
        if uart == "unix":
            sock = os.path.join(self.dir, "uart.sock")
            fake += ["--unix", sock]
            spec = "unix:" + sock
        elif uart == "tcp":
            port = os.path.join(self.dir, "port")
            fake += ["--tcp", "0", "--port-file", port]
            # The port is known only once the fake peer listens: a tiny shell wrapper waits.
            spec = None
        else:
            link = os.path.join(self.dir, "pty")
            fake += ["--pty", link]
            spec = None
        run_cmd = " ".join("'%s'" % a for a in fake)
        cmd = [PY, TOOL, "--tmux-conf", "/dev/null", "--tmux-socket", self.tmux_sock, "--log-dir", self.logs,
               "--session", SESSION, "--entry-retry", "0.3"] + list(tool_args)
        if not attach:
            cmd.append("--no-attach")
        if spec is None:
            # Start the fake peer first to learn its port or pty, then hand it to the tool with --run
            # of a command that waits for it (so the tool still owns stopping it).
            self.fake = subprocess.Popen(fake, start_new_session=True)
            path = port if uart == "tcp" else link
            wait_until(lambda: os.path.exists(path), what="the fake peer")
            with open(path) as f:
                v = f.read().strip()
            spec = "tcp:127.0.0.1:" + v if uart == "tcp" else v
            cmd += [spec]
        else:
            self.fake = None
            cmd += ["--run", run_cmd, spec]
        self.out = open(os.path.join(self.dir, "tool.out"), "wb")
        self.master = None
        if attach:
            self.master, self.slave = pty.openpty()
            os.set_blocking(self.master, False)
            import fcntl
            import struct
            fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 90, 0, 0))
            self.attrs_before = termios.tcgetattr(self.slave)
            self.proc = subprocess.Popen(cmd, stdin=self.slave, stdout=self.slave, stderr=self.out,
                                         start_new_session=True, env=dict(os.environ, TERM="xterm"))
        else:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self.out, stderr=self.out)
        wait_until(lambda: self.windows() == ["system"] + ([] if plain else clients), 15, "the client windows")
        self.server_pid = int(self.tmux("display-message", "-p", "-t", SESSION, "#{pid}").strip())
        self.pane_pids = [int(p) for p in self.tmux("list-panes", "-s", "-t", SESSION, "-F", "#{pane_pid}").split()]
        if self.fake is None:
            wait_until(lambda: os.path.exists(self.fake_pid_file), what="the fake peer's pid")
        with open(self.fake_pid_file) as f:
            self.fake_pid = int(f.read())

    def drain_pty(self):
        if self.master is None:
            return
        while select.select([self.master], [], [], 0)[0]:
            try:
                if not os.read(self.master, 65536):
                    return
            except OSError:
                return

    def tmux(self, *a):
        self.drain_pty()
        r = subprocess.run(["tmux", "-S", self.tmux_sock] + list(a), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        return r.stdout if r.returncode == 0 else ""

    def windows(self):
        return self.tmux("list-windows", "-t", SESSION, "-F", "#{window_name}").split()

    def pane(self, i):
        return self.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "%s:%d" % (SESSION, i))

    def pane_size(self, i):
        s = self.tmux("display-message", "-p", "-t", "%s:%d" % (SESSION, i), "#{pane_width} #{pane_height}")
        return tuple(int(x) for x in s.split())

    def frames(self):
        try:
            with open(self.record) as f:
                return [json.loads(x) for x in f]
        except FileNotFoundError:
            return []

    def sizes(self, client):
        return [(f["cols"], f["rows"]) for f in self.frames() if f.get("type") == "S" and f["client"] == client]

    def log(self, name):
        try:
            with open(os.path.join(self.logs, name + ".log"), "rb") as f:
                return f.read().decode("latin-1")
        except FileNotFoundError:
            return ""

    def relay_ready(self, window):
        """Whether the window's relay has put its terminal in raw mode (a window made a moment
        ago may not have: what is typed then is cooked, Enter becoming a line feed)."""
        tty_path = self.tmux("display-message", "-p", "-t", "%s:%d" % (SESSION, window), "#{pane_tty}").strip()
        if not tty_path:
            return False
        fd = os.open(tty_path, os.O_RDWR | os.O_NOCTTY)
        try:
            return not termios.tcgetattr(fd)[3] & termios.ICANON
        finally:
            os.close(fd)

    def type_line(self, window, text):
        self.tmux("send-keys", "-t", "%s:%d" % (SESSION, window), "-l", text)
        self.tmux("send-keys", "-t", "%s:%d" % (SESSION, window), "Enter")

    def check_gone(self):
        """Nothing left running: the tool, its tmux server, the relays, the --run command."""
        t = self.t
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            t.fail("the tool did not exit")
        procs = [("tmux server", self.server_pid)] + [("relay", p) for p in self.pane_pids]
        if self.fake is None:  # started by the tool (--run), so stopped by it
            procs.append(("fake peer (--run)", self.fake_pid))
        for what, pid in procs:
            try:
                wait_until(lambda: not running(pid), 5, what)
            except AssertionError:
                t.fail("%s %d still running after quitting" % (what, pid))
        t.assertFalse(os.path.exists(self.tmux_sock), "tmux socket left behind")
        types = [f["type"] for f in self.frames() if "type" in f]
        t.assertEqual(types[-1:], ["Q"], "the last frame the peer got is Q")

    def close(self):
        for p in (self.proc, self.fake):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()
        if running(getattr(self, "server_pid", 0) or 0):
            subprocess.run(["tmux", "-S", self.tmux_sock, "kill-server"], stderr=subprocess.DEVNULL)
        if self.master is not None:
            os.close(self.master)
            os.close(self.slave)
        self.out.close()
        subprocess.run(["rm", "-rf", self.dir])


class Console(unittest.TestCase):
    def start(self, **kw):
        r = Run(self, **kw)
        self.addCleanup(r.close)
        return r

    def check_routing(self, r, boot_text=True):
        # Each client's prompt (sent after the list) is in its own window.
        for i, name in enumerate(CLIENTS):
            wait_until(lambda: "%s$ " % name in r.pane(i + 1), what="%s's prompt" % name)
        for i, name in enumerate(CLIENTS):
            token = "tok-%s-%d" % (name, os.getpid())
            r.type_line(i + 1, "echo " + token)
            want = "%s got: echo %s" % (name, token)
            wait_until(lambda: want in r.pane(i + 1), what="%s's answer in its window" % name)
            wait_until(lambda: want in r.log(name), what="%s's answer in its log" % name)
        time.sleep(0.3)
        for i, name in enumerate(CLIENTS):
            token = "tok-%s-%d" % (name, os.getpid())
            for j, other in enumerate(["system"] + CLIENTS):
                if other == name:
                    continue
                self.assertNotIn(token, r.pane(j), "%s's text in %s's window" % (name, other))
                self.assertNotIn(token, r.log(other), "%s's text in %s's log" % (name, other))
            # Only the right client's input frames carry it.
            got = "".join(f["data"] for f in r.frames() if f.get("type") == "D" and f["client"] == i)
            self.assertIn("echo %s\r" % token, got)
            for f in r.frames():
                if f.get("type") == "D" and f["client"] != i:
                    self.assertNotIn(token, f["data"], "typed for %s, sent to client %d" % (name, f["client"]))
        self.assertIn("fake_uart: framed mode on", r.pane(0))
        if boot_text:  # plain text before the list (a tty is flushed when opened: none there)
            self.assertIn("fake_uart: booting", r.pane(0))

    def check_sizes(self, r):
        # The size at start, as the pane has it.
        for i in range(len(CLIENTS)):
            wait_until(lambda: r.sizes(i) and r.sizes(i)[-1] == r.pane_size(i + 1), what="client %d's size" % i)
        r.tmux("resize-window", "-t", "%s:2" % SESSION, "-x", "101", "-y", "33")
        wait_until(lambda: r.pane_size(2) == (101, 33), what="the resize")
        wait_until(lambda: r.sizes(1)[-1:] == [(101, 33)], what="the S frame after the resize")
        self.assertNotIn((101, 33), r.sizes(0) + r.sizes(2), "another client got beta's size")
        r.type_line(2, "size")
        wait_until(lambda: "\n33 101" in r.pane(2), what="'size' answering 33 101 in beta's window")

    def test_unix_socket_detached_kill_session(self):
        r = self.start(uart="unix")
        self.check_routing(r)
        self.check_sizes(r)
        # Typing in the system window goes nowhere.
        n = len([f for f in r.frames() if f.get("type") == "D"])
        r.type_line(0, "nothing")
        time.sleep(0.5)
        self.assertEqual(len([f for f in r.frames() if f.get("type") == "D"]), n)
        # A terminal of one's own for alpha, outside tmux: raw while attached, restored after.
        master, slave = pty.openpty()
        before = termios.tcgetattr(slave)
        hub = r.tmux("show-environment", "-t", SESSION, "CONSOLE_HUB").strip().split("=", 1)[1]
        rel = subprocess.Popen([PY, TOOL, "--attach", "alpha", "--hub", hub], stdin=slave, stdout=slave,
                               stderr=slave, start_new_session=True)
        self.addCleanup(lambda: rel.poll() is None and rel.kill())
        seen = bytearray()

        def got(text):
            while select.select([master], [], [], 0.05)[0]:
                seen.extend(os.read(master, 65536))
            return text.encode() in seen

        wait_until(lambda: got("alpha got: echo tok-alpha"), what="alpha's backlog in an --attach terminal")
        self.assertFalse(termios.tcgetattr(slave)[3] & termios.ICANON, "--attach terminal not raw")
        os.write(master, b"from-outside\r")
        wait_until(lambda: "alpha got: from-outside" in r.pane(1), what="input from the --attach terminal")
        self.assertNotIn("from-outside", r.pane(2) + r.pane(3))
        # Quitting: the tmux session ends.
        r.tmux("kill-session", "-t", SESSION)
        r.check_gone()
        rel.wait(5)
        self.assertEqual(termios.tcgetattr(slave), before, "--attach terminal not restored")
        os.close(master)
        os.close(slave)

    def test_attach_pipe_and_stuck_terminal(self):
        r = self.start(uart="unix")
        hub = r.tmux("show-environment", "-t", SESSION, "CONSOLE_HUB").strip().split("=", 1)[1]
        wait_until(lambda: all(r.relay_ready(w) for w in (1, 2, 3)), what="the relays")
        # A relay on pipes, not a terminal: the hub cannot open it, so output and keystrokes go
        # through the relay itself.
        pipe = subprocess.Popen([PY, TOOL, "--attach", "beta", "--hub", hub], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.addCleanup(lambda: (pipe.kill(), pipe.wait(), pipe.stdin.close(), pipe.stdout.close()))
        os.set_blocking(pipe.stdout.fileno(), False)
        seen = bytearray()

        def piped(text):
            while select.select([pipe.stdout], [], [], 0.05)[0]:
                d = os.read(pipe.stdout.fileno(), 65536)
                if not d:
                    break
                seen.extend(d)
            return text.encode() in seen

        wait_until(lambda: piped("beta: plain-mode line") or piped("beta$"), what="beta's backlog on a pipe")
        pipe.stdin.write(b"from-a-pipe\r")
        pipe.stdin.flush()
        wait_until(lambda: piped("beta got: from-a-pipe"), what="the answer on the pipe")
        wait_until(lambda: "beta got: from-a-pipe" in r.pane(2), what="the pipe's input in beta's window")
        self.assertNotIn("from-a-pipe", r.pane(1) + r.pane(3))
        # A terminal that does not read (its pty's other side is not read): the hub writes it
        # itself, so it must neither block nor hold more than it may. gamma floods 1.5 MB; alpha
        # answers meanwhile; the stuck terminal is told what it missed; the log has it all.
        master, slave = pty.openpty()
        self.addCleanup(lambda: (os.close(master), os.close(slave)))
        stuck = subprocess.Popen([PY, TOOL, "--attach", "gamma", "--hub", hub], stdin=slave, stdout=slave,
                                 stderr=slave, start_new_session=True)
        self.addCleanup(lambda: (stuck.kill(), stuck.wait()))
        wait_until(lambda: not termios.tcgetattr(slave)[3] & termios.ICANON, what="the stuck terminal raw")
        r.type_line(3, "flood 1500000")
        wait_until(lambda: "flood done" in r.log("gamma"), 60, "gamma's flood in its log")
        self.assertGreaterEqual(r.log("gamma").count("gamma " + "f" * 56), 1500000 // 64)
        r.type_line(1, "still-here")
        wait_until(lambda: "alpha got: still-here" in r.pane(1), 20, "alpha's answer during the flood")
        got = bytearray()
        end = time.monotonic() + 20
        while b"bytes not shown here" not in got and time.monotonic() < end:
            if select.select([master], [], [], 0.1)[0]:
                got.extend(os.read(master, 65536))
        self.assertIn(b"bytes not shown here", got)
        self.assertLess(len(got), 1500000, "the stuck terminal got everything: nothing was held back")

    def test_tcp_attached_quit_key_and_retry(self):
        # The peer ignores the first entry sequence: the tool must ask again.
        r = self.start(uart="tcp", attach=True, fake_args=["--ignore-entries", "1"])
        self.assertTrue(any(f.get("event") == "entry ignored" for f in r.frames()))
        self.check_routing(r)
        # The attached client's terminal is 90x30: the windows follow it (29 rows under the status line).
        wait_until(lambda: r.pane_size(1) == (90, 29), what="the windows at the terminal's size")
        wait_until(lambda: r.sizes(0)[-1:] == [(90, 29)], what="alpha's S frame at the terminal's size")
        # The quit key: C-b Q, then y to confirm.
        os.write(r.master, b"\x02Q")
        time.sleep(0.5)
        os.write(r.master, b"y")
        r.check_gone()
        self.assertEqual(termios.tcgetattr(r.slave), r.attrs_before, "the terminal was not restored")

    def test_pty_device_sigint(self):
        r = self.start(uart="pty", fake_args=["--byte-at-a-time"])
        self.check_routing(r, boot_text=False)
        r.proc.send_signal(signal.SIGINT)
        r.check_gone()

    def test_split_client_list(self):
        # 16 clients whose list comes in 6 L frames (3 entries of 28 bytes each at most 100 bytes).
        # Parts 1 (a middle one: the next part shows the gap) and 5 (the last: only its clients'
        # output shows it) are lost on the line; the tool asks again and gets every client.
        clients = ["client-with-a-long-name-%02d" % i for i in range(16)]
        r = self.start(uart="unix", clients=clients,
                       fake_args=["--list-part-max", "100", "--lose-list-part", "1", "--lose-list-part", "5"])
        lost = [f["part"] for f in r.frames() if f.get("event") == "list part lost"]
        self.assertEqual(lost, [1, 5])
        asked = [f for f in r.frames() if f.get("type") == "L"]
        self.assertGreaterEqual(len(asked), 1, "the tool did not ask for the list again")
        for cid in (0, 4, 15):  # parts 0, 1 (lost first) and 5 (lost first)
            name = clients[cid]
            token = "split-%d-%d" % (cid, os.getpid())
            wait_until(lambda: r.relay_ready(cid + 1), what="%s's relay" % name)
            r.type_line(cid + 1, "echo " + token)
            want = "%s got: echo %s" % (name, token)
            wait_until(lambda: want in r.pane(cid + 1), what="%s's answer in its window" % name)
            wait_until(lambda: want in r.log(name), what="%s's answer in its log" % name)
            got = "".join(f["data"] for f in r.frames() if f.get("type") == "D" and f["client"] == cid)
            self.assertIn("echo %s\r" % token, got)
        self.assertIn("asking for the client list again", r.pane(0))
        r.tmux("kill-session", "-t", SESSION)
        r.check_gone()

    def test_plain_fallback(self):
        # Virtualisers without framed mode refuse the entry sequence: the tool stops asking, and
        # its system window is a plain terminal on the line.
        r = self.start(uart="unix", fake_args=["--no-framed"], plain=True)
        wait_until(lambda: "refused framed mode" in r.pane(0), what="the refusal noticed")
        time.sleep(1.5)  # several --entry-retry periods
        self.assertEqual(len([f for f in r.frames() if f.get("event") == "entry refused"]), 1, "asked again")
        self.assertEqual(r.windows(), ["system"])
        r.type_line(0, "ls")
        want = [ord(c) for c in "ls\r"]
        wait_until(lambda: [f["byte"] for f in r.frames() if f.get("event") == "plain input"][-3:] == want,
                   what="plain input from the system window")
        r.tmux("kill-session", "-t", SESSION)
        r.proc.wait(15)
        types = [f["type"] for f in r.frames() if "type" in f]
        self.assertEqual(types, [], "frames sent to a line in plain mode")

    def test_broken_routing_is_caught(self):
        # The test must be able to fail: a tool that sends alpha's keystrokes to beta.
        import shutil
        d = tempfile.mkdtemp(prefix="console-broken-")
        self.addCleanup(lambda: shutil.rmtree(d, ignore_errors=True))
        for f in ("console", "framing.py"):
            shutil.copy(os.path.join(ROOT, "tools", "console", f), d)
        p = os.path.join(d, "framing.py")
        with open(p) as f:
            s = f.read()
        with open(p, "w") as f:
            f.write(s.replace("return b\"\".join(encode_frame(T_DATA, client,",
                              "return b\"\".join(encode_frame(T_DATA, (client + 1) % 3,"))
        global TOOL
        saved, TOOL = TOOL, os.path.join(d, "console")
        try:
            r = self.start(uart="unix")
            with self.assertRaises(AssertionError):
                self.check_routing(r)
            r.tmux("kill-session", "-t", SESSION)
            r.check_gone()
        finally:
            TOOL = saved


if __name__ == "__main__":
    unittest.main(verbosity=2)

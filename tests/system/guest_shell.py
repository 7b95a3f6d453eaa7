"""A Linux guest's serial console driven through pexpect: log in as root, run commands, read
/proc/interrupts. Shared by the tests that boot a guest natively and under the hypervisor."""
import io
import re
import time

import pexpect

PROMPT = r"root@[\w-]+:[^\r\n]*# "


class GuestShell:
    """A QEMU child whose whole console output is kept for the failure report."""

    def __init__(self, cmd, timeout):
        self.log = io.StringIO()
        self.started = time.monotonic()
        self.child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", codec_errors="replace",
                                   timeout=timeout)
        self.child.logfile_read = self.log

    def wait_login(self):
        """Waits for the login prompt; returns seconds since QEMU started."""
        self.child.expect(r"login: ")
        return time.monotonic() - self.started

    def login(self):
        """Logs in as root. Returns True if login asked for a password (it must not)."""
        self.child.sendline("root")
        asked = self.child.expect([PROMPT, r"Password: "]) == 1
        if asked:
            self.child.sendline("")
            self.child.expect(PROMPT)
        return asked

    def run(self, command):
        """Runs one shell command and returns its output lines (without the echoed command)."""
        self.child.sendline(command)
        self.child.expect(PROMPT)
        lines = self.child.before.replace("\r", "").split("\n")
        return [l for l in lines[1:] if l.strip()] if lines and command in lines[0] else lines

    def interrupt_counts(self):
        """{name: count on CPU0} from /proc/interrupts, keyed by the line's last field."""
        counts = {}
        for line in self.run("cat /proc/interrupts"):
            m = re.match(r"\s*\w+:\s+(\d+)\s+(.*)$", line)
            if m:
                counts[m.group(2).split()[-1]] = int(m.group(1))
        return counts

    def text(self):
        return self.log.getvalue().replace("\r", "")

    def tail(self, n=40):
        return "\n".join(self.text().split("\n")[-n:])

    def close(self):
        if self.child.isalive():
            self.child.terminate(force=True)


class Checks:
    """PASS/FAIL lines and a failure count."""

    def __init__(self):
        self.failures = []

    def __call__(self, name, ok, detail=""):
        print(f"{'PASS' if ok else 'FAIL'}: {name}" + (f" ({detail})" if detail and not ok else ""),
              flush=True)
        if not ok:
            self.failures.append(name)
        return ok

"""Boot a system image in QEMU and read its console (shared by the system tests and scripts/bench.py).

Output of different PDs may interleave in any order, so the console is kept as one transcript and
searched for each expected line, rather than consumed line by line as a plain pexpect script would.
"""
import os
import re
import shlex
import time

import pexpect

BOARDS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "boards")


def board_machine_args(board):
    """QEMU's machine arguments for a board: QEMU_MACHINE_ARGS from boards/<board>/board.mk,
    the same line `make run` uses, so tests always boot the machine the build targets."""
    path = os.path.join(BOARDS_DIR, board, "board.mk")
    try:
        with open(path) as f:
            for line in f:
                m = re.match(r"^QEMU_MACHINE_ARGS\s*:?=\s*(.*)$", line)
                if m:
                    return shlex.split(m.group(1))
    except FileNotFoundError:
        raise ValueError(f"unknown board '{board}': no {path}") from None
    raise ValueError(f"{path}: no QEMU_MACHINE_ARGS line")


RUN_ARGS = ["-nographic", "-serial", "mon:stdio"]
QEMU = "qemu-system-aarch64"


class Console:
    """A running QEMU whose serial console is collected into `self.text` (CR stripped)."""

    def __init__(self, board, image, extra_args=(), echo=False):
        self.args = board_machine_args(board) + RUN_ARGS + list(extra_args) + ["-kernel", image]
        self.text = ""
        self.echo = echo
        self.exited = False
        self.child = pexpect.spawn(QEMU, self.args, encoding="utf-8", codec_errors="replace",
                                   timeout=None)

    def command_line(self):
        return " ".join([QEMU] + self.args)

    def _read_some(self, timeout):
        """Append whatever output arrives within `timeout` seconds to the transcript."""
        if self.exited:
            time.sleep(timeout)
            return
        try:
            data = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return
        except pexpect.EOF:
            self.exited = True
            return
        data = data.replace("\r", "")
        if self.echo:
            print(data, end="", flush=True)
        self.text += data

    def wait_for(self, pattern, deadline, start=0):
        """Search the transcript from `start` for `pattern` (a regex, multiline) until the
        monotonic `deadline`. Returns the match or None."""
        regex = re.compile(pattern, re.MULTILINE)
        while True:
            m = regex.search(self.text, start)
            if m:
                return m
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self._read_some(min(remaining, 0.2))

    def drain(self, seconds):
        """Collect output for a while (to see lines that must NOT appear)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self._read_some(min(end - time.monotonic(), 0.2))

    def type_slowly(self, s, delay=0.05):
        """Send keystrokes one at a time, as a person types, so the UART FIFO never overflows."""
        for ch in s:
            self.child.send(ch)
            time.sleep(delay)

    def tail(self, lines=40):
        return "\n".join(self.text.splitlines()[-lines:])

    def close(self):
        if self.child.isalive():
            self.child.terminate(force=True)
        self.child.close(force=True)

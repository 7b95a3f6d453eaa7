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


def board_vars(board):
    """The simple assignments (`NAME := value`, `NAME = value`) of boards/<board>/board.mk."""
    path = os.path.join(BOARDS_DIR, board, "board.mk")
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        raise ValueError(f"unknown board '{board}': no {path}") from None
    found = {}
    for line in lines:
        m = re.match(r"^([A-Z_][A-Z0-9_]*)\s*:?=\s*(.*)$", line)
        if m:
            found[m.group(1)] = m.group(2).strip()
    return path, found


def _expand(value, found, known, depth=0):
    """Make's $(NAME) references, from the board's own variables and `known`."""
    def one(m):
        name = m.group(1)
        if name in known:
            return known[name]
        if name in found and depth < 8:
            return _expand(found[name], found, known, depth + 1)
        raise ValueError(f"board.mk refers to $({name}), which the tests cannot know")
    return re.sub(r"\$\(([A-Z_][A-Z0-9_]*)\)", one, value)


def board_dtb_for(image):
    """The board tree the Makefile wrote for an image: $(BUILD)/<board>/board.dtb beside the
    system's directory $(BUILD)/<board>/<system>/."""
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(image))), "board.dtb")


def _board_args(board, var, image, default=None):
    path, found = board_vars(board)
    if var not in found:
        if default is not None:
            return list(default)
        raise ValueError(f"{path}: no {var} line")
    known = {"BOARD_DTB": board_dtb_for(image)} if image else {}
    return shlex.split(_expand(found[var], found, known))


def board_machine_args(board, image=None):
    """QEMU's machine arguments for a board: QEMU_MACHINE_ARGS from boards/<board>/board.mk,
    the same line `make run` uses, so tests always boot the machine the build targets. A board
    whose line names $(BOARD_DTB) (imx8mp_evk: QEMU needs -dtb) needs the image's path."""
    return _board_args(board, "QEMU_MACHINE_ARGS", image)


RUN_ARGS = ["-nographic", "-serial", "mon:stdio"]
QEMU = "qemu-system-aarch64"


def board_run_args(board):
    """QEMU_RUN_ARGS of the board: which serial port is the console (QEMU's second one on
    imx8mp_evk, whose console is UART2); RUN_ARGS if the board does not say."""
    return _board_args(board, "QEMU_RUN_ARGS", None, RUN_ARGS)


class Console:
    """A running QEMU whose serial console is collected into `self.text` (CR stripped)."""

    def __init__(self, board, image, extra_args=(), echo=False):
        self.args = (board_machine_args(board, image) + board_run_args(board) + list(extra_args) +
                     ["-kernel", image])
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
            self._read_some(max(0.0, min(end - time.monotonic(), 0.2)))

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

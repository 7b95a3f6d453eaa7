#!/usr/bin/python3
"""A fake UART peer: the virtualiser side of the framed mode (docs/serial.md), for testing
tools/console without the real system.

It listens like QEMU's serial port (a UNIX socket server, a TCP port, or a pty) and behaves like
the serial virtualisers with the clients named on the command line:

- plain mode: prints a boot banner and echoes nothing; recognises the entry sequence
  1c 02 46 52 4d 31 and then answers with an L frame (the acknowledgement);
- framed mode: decodes the host's frames strictly (COBS, CRC, type, client exists); a D frame's
  bytes are echoed back as that client's output, like a shell: each byte as typed, and at a
  carriage return "\\r\\n<name> got: <line>\\r\\n<name>$ ". The line "size" answers with the last
  S frame's "rows cols", as `stty size` would. An L request is answered with an L; Q goes back to
  plain mode.
- every frame received, and every discarded block, is recorded as a JSON line in --record.

--ignore-entries N ignores the first N entry sequences (to test the tool's retry).
--list-part-max B splits the client list into L frames of at most B bytes of whole entries, as
the TX virtualiser does at 240; --lose-list-part K corrupts the K-th L frame sent (from 0) on
the line, as a line error would.
"""

import argparse
import json
import os
import pty
import socket
import sys
import termios
import time
import tty

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..", "tools", "console"))
import framing as fr  # noqa: E402


class Peer:
    def __init__(self, args, write):
        self.args = args
        self.write = write
        self.names = args.clients.split(",")
        self.framed = False
        self.match = 0
        self.ignored = 0
        self.lines = {i: bytearray() for i in range(len(self.names))}
        self.sizes = {}
        self.list_frames = 0
        self.rec = open(args.record, "a") if args.record else None
        self.decoder = fr.Decoder(fr.TYPES_TO_UART, self.client_ok)

    def client_ok(self, t, c):
        if t in (fr.T_DATA, fr.T_SIZE):
            return c < len(self.names)
        return c == fr.SYSTEM

    def record(self, **kw):
        if self.rec:
            self.rec.write(json.dumps(kw) + "\n")
            self.rec.flush()

    def send_list(self):
        for p in fr.list_parts(list(enumerate(self.names)), self.args.list_part_max):
            f = fr.encode_frame(fr.T_LIST, fr.SYSTEM, p)
            if self.list_frames in self.args.lose_list_part:
                f = f[:3] + bytes([f[3] ^ 0x01]) + f[4:]  # the CRC catches it: the frame is lost
                self.record(event="list part lost", part=self.list_frames)
            self.list_frames += 1
            self.write(f)

    def out(self, cid, data):
        self.write(fr.data_frames(cid, data))

    def plain(self, data):
        for i, b in enumerate(data):
            if b == fr.ENTRY[self.match]:
                self.match += 1
                if self.match == len(fr.ENTRY):
                    self.match = 0
                    if self.args.no_framed:
                        # As the virtualisers before framed mode: Ctrl-\ then Ctrl-B is refused.
                        self.record(event="entry refused")
                        self.write(b"serial_rx: switch refused: Ctrl-\\ takes a client number and Enter, "
                                   b"or Ctrl-\\; input stays with client 0 (alpha)\r\n")
                        continue
                    if self.ignored < self.args.ignore_entries:
                        self.ignored += 1
                        self.record(event="entry ignored")
                        continue
                    self.framed = True
                    self.record(event="entry")
                    self.send_list()
                    self.out(fr.SYSTEM, b"fake_uart: framed mode on\r\n")
                    for c, name in enumerate(self.names):
                        self.out(c, ("%s$ " % name).encode())
                    self.framed_input(data[i + 1:])
                    return
            else:
                self.match = 1 if b == fr.ENTRY[0] else 0
                self.record(event="plain input", byte=b)

    def framed_input(self, data):
        before = self.decoder.discarded
        for t, c, p in self.decoder.feed(data):
            if t == fr.T_DATA:
                self.record(type="D", client=c, data=p.decode("latin-1"))
                self.echo(c, p)
            elif t == fr.T_SIZE:
                sz = fr.parse_size(p)
                if sz is None:
                    self.record(type="S", client=c, bad=True)
                    continue
                self.sizes[c] = sz
                self.record(type="S", client=c, cols=sz[0], rows=sz[1])
            elif t == fr.T_LIST:
                self.record(type="L", client=c)
                self.send_list()
            elif t == fr.T_QUIT:
                self.record(type="Q", client=c)
                self.framed = False
                self.write(b"fake_uart: plain mode again\r\n")
                return
        if self.decoder.discarded != before:
            self.record(event="discarded", count=self.decoder.discarded - before)

    def echo(self, c, data):
        name = self.names[c]
        for b in data:
            if b in (0x0D, 0x0A):
                line = bytes(self.lines[c])
                self.lines[c].clear()
                if line == b"size":
                    cols, rows = self.sizes.get(c, (0, 0))
                    reply = b"\r\n%d %d\r\n" % (rows, cols)
                elif line.startswith(b"flood ") and line[6:].isdigit():
                    # N bytes of output at once (lines of 64), then "flood done".
                    n = int(line[6:])
                    row = b"%s %s\r\n" % (name.encode(), b"f" * (61 - len(name)))
                    chunk = row * 64
                    while n > 0:
                        self.out(c, chunk[:n])
                        n -= len(chunk)
                    reply = b"\r\nflood done\r\n"
                else:
                    reply = b"\r\n" + name.encode() + b" got: " + line + b"\r\n"
                self.out(c, reply + ("%s$ " % name).encode())
            elif b in (0x7F, 0x08):
                if self.lines[c]:
                    self.lines[c].pop()
                    self.out(c, b"\b \b")
            else:
                self.lines[c].append(b)
                self.out(c, bytes([b]))

    def input(self, data):
        if self.framed:
            self.framed_input(data)
        else:
            self.plain(data)


def serve(args, rfd, wfd):
    def write(data):
        if args.byte_at_a_time:
            for i in range(len(data)):
                os.write(wfd, data[i:i + 1])
        else:
            while data:
                data = data[os.write(wfd, data):]

    peer = Peer(args, write)
    # Plain-mode boot text, with a prefix as the virtualisers print it, before the tool asks.
    write(b"fake_uart: booting\r\n")
    for c, name in enumerate(peer.names):
        write(("%s: plain-mode line of client %d\r\n" % (name, c)).encode())
    while True:
        try:
            data = os.read(rfd, 4096)
        except OSError:
            break
        if not data:
            break
        peer.input(data)
    peer.record(event="closed")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", default="alpha,beta")
    ap.add_argument("--unix", help="listen on this UNIX socket (as QEMU -serial unix:PATH,server)")
    ap.add_argument("--tcp", type=int, help="listen on this TCP port (0: any; written to --port-file)")
    ap.add_argument("--port-file")
    ap.add_argument("--pty", metavar="LINK", help="make a pty and write the path of its terminal to LINK")
    ap.add_argument("--record", help="JSON lines of every frame received")
    ap.add_argument("--ignore-entries", type=int, default=0)
    ap.add_argument("--list-part-max", type=int, default=fr.MAX_PAYLOAD)
    ap.add_argument("--lose-list-part", type=int, action="append", default=[])
    ap.add_argument("--no-framed", action="store_true", help="refuse the entry sequence, as old virtualisers")
    ap.add_argument("--pid-file", help="write this process's id here")
    ap.add_argument("--byte-at-a-time", action="store_true", help="write every frame a byte at a time")
    args = ap.parse_args()
    if args.pid_file:
        with open(args.pid_file, "w") as f:
            f.write(str(os.getpid()))

    if args.pty:
        master, slave = pty.openpty()
        tty.setraw(slave, termios.TCSANOW)
        name = os.ttyname(slave)
        tmp = args.pty + ".tmp"
        with open(tmp, "w") as f:
            f.write(name)
        os.rename(tmp, args.pty)
        # Keep the slave open so that reading the master does not fail before the tool opens it.
        serve(args, master, master)
        return
    if args.unix:
        if os.path.exists(args.unix):
            os.unlink(args.unix)
        ls = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        ls.bind(args.unix)
    else:
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("127.0.0.1", args.tcp or 0))
        if args.port_file:
            tmp = args.port_file + ".tmp"
            with open(tmp, "w") as f:
                f.write(str(ls.getsockname()[1]))
            os.rename(tmp, args.port_file)
    ls.listen(1)
    conn, _ = ls.accept()
    ls.close()
    if args.unix:
        os.unlink(args.unix)
    serve(args, conn.fileno(), conn.fileno())
    time.sleep(0.1)


if __name__ == "__main__":
    main()

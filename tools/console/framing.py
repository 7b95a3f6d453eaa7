"""The framed mode of the serial virtualisers (docs/serial.md, "Framed mode: a terminal per client").

A frame on the line is

    COBS( type:u8  client:u8  payload:0..240 bytes  crc:u32 little-endian )  0x00

with the CRC-32 of zlib over type, client and payload. This module is the host side's framing:
encoding, a byte-at-a-time decoder that resynchronises at every 0x00, and the payloads of the
frame types (L client list, S size). It uses the standard library only (zlib, struct), so it
runs under Debian bookworm's /usr/bin/python3 as it is. tools/console/console uses it, and so do
the fake UART peer and the unit tests in tests/console/.
"""

import struct
import zlib

ENTRY = bytes([0x1C, 0x02, 0x46, 0x52, 0x4D, 0x31])  # Ctrl-\ Ctrl-B "FRM1": plain -> framed mode

T_DATA = 0x44  # 'D'
T_LIST = 0x4C  # 'L'
T_SIZE = 0x53  # 'S'
T_QUIT = 0x51  # 'Q'

SYSTEM = 0xFF  # the client id of the system (kernel log, virtualisers' own messages)
MAX_PAYLOAD = 240
MIN_BODY = 6  # type, client, crc
# The longest frame on the line: a body of 2 + 240 + 4 bytes, one COBS code byte per 254 and
# one more (MAX_COBS), then the 0x00 that ends it (MAX_ENCODED).
MAX_BODY = 2 + MAX_PAYLOAD + 4
MAX_COBS = MAX_BODY + (MAX_BODY // 254) + 1
MAX_ENCODED = MAX_COBS + 1

# Which types each side may receive.
TYPES_TO_HOST = frozenset((T_DATA, T_LIST))
TYPES_TO_UART = frozenset((T_DATA, T_LIST, T_SIZE, T_QUIT))


def cobs_encode(data):
    """COBS-encode data: the result contains no 0x00 (the 0x00 that ends a frame is not added)."""
    out = bytearray([0])
    code_at = 0
    code = 1
    for b in data:
        if b == 0:
            out[code_at] = code
            code_at = len(out)
            out.append(0)
            code = 1
        else:
            out.append(b)
            code += 1
            if code == 0xFF:
                out[code_at] = code
                code_at = len(out)
                out.append(0)
                code = 1
    out[code_at] = code
    return bytes(out)


def cobs_decode(data):
    """Decode one COBS block (without its ending 0x00). Returns the bytes, or None if it is not
    valid COBS (a 0x00 inside, or a code byte that points past the end). Accepts both endings
    of a block that ends just after 254 non-zero bytes (with or without a trailing 0x01)."""
    out = bytearray()
    i = 0
    n = len(data)
    while i < n:
        code = data[i]
        if code == 0 or i + code > n:
            return None
        end = i + code
        chunk = data[i + 1:end]
        if 0 in chunk:
            return None
        out += chunk
        i = end
        if code != 0xFF and i < n:
            out.append(0)
    return bytes(out)


def crc32(data):
    return zlib.crc32(data) & 0xFFFFFFFF


def encode_frame(ftype, client, payload=b""):
    """One frame as it goes on the line, ending 0x00."""
    if len(payload) > MAX_PAYLOAD:
        raise ValueError("payload of %d bytes: at most %d" % (len(payload), MAX_PAYLOAD))
    body = bytes([ftype, client]) + bytes(payload)
    body += struct.pack("<I", crc32(body))
    return cobs_encode(body) + b"\x00"


def data_frames(client, data):
    """D frames carrying data for (or from) client, in pieces of at most 240 bytes."""
    data = bytes(data)
    return b"".join(encode_frame(T_DATA, client, data[i:i + MAX_PAYLOAD])
                    for i in range(0, len(data), MAX_PAYLOAD))


def size_frame(client, cols, rows):
    cols = max(0, min(cols, 0xFFFF))
    rows = max(0, min(rows, 0xFFFF))
    return encode_frame(T_SIZE, client, struct.pack("<HH", cols, rows))


def list_request():
    return encode_frame(T_LIST, SYSTEM)


def quit_frame():
    return encode_frame(T_QUIT, SYSTEM)


def encode_list(clients):
    """The L payload for clients, a list of (id, name) pairs (name as str or bytes)."""
    out = bytearray()
    for cid, name in clients:
        if isinstance(name, str):
            name = name.encode()
        out += bytes([cid, len(name)]) + name
    return bytes(out)


def list_parts(clients, max_payload=MAX_PAYLOAD):
    """The L payloads of a client list, as the serial TX virtualiser splits a long one: whole
    entries, ids ascending, as many in each as fit in max_payload bytes."""
    parts, cur = [], b""
    for cid, name in clients:
        e = encode_list([(cid, name)])
        if cur and len(cur) + len(e) > max_payload:
            parts.append(cur)
            cur = b""
        cur += e
    parts.append(cur)
    return parts


def parse_list(payload):
    """The (id, name) pairs of an L payload, name as str; None if the payload is malformed."""
    out = []
    i = 0
    while i < len(payload):
        if i + 2 > len(payload):
            return None
        cid, ln = payload[i], payload[i + 1]
        if i + 2 + ln > len(payload) or cid == SYSTEM:
            return None
        out.append((cid, payload[i + 2:i + 2 + ln].decode("utf-8", "replace")))
        i += 2 + ln
    return out


class ClientList:
    """The client list as it comes in L frames. A list longer than one frame's payload comes in
    several L frames, each of whole entries, ids ascending (docs/serial.md); the serial TX
    virtualiser sends the parts back to back, clients 0, 1, ... n-1, and starts again at 0 for
    every list request. No part says which one it is, so:

    - a part that starts at id 0, or at an id not above the last one seen, starts a new list
      (a repeated list, or one that started again); any other part continues the current one;
    - a part that does not start just after the previous part's last id (at 0 for a new list)
      means a part before it was lost (a frame discarded on the line): `gap` says so until a
      list arrives whole from 0, and the caller asks for the list again.

    The last part is not marked either; a lost last part shows as output from a client not in
    the list, which the caller also answers with a list request."""

    def __init__(self):
        self.names = {}      # id -> name, of every client seen in any list
        self.current = {}    # id -> name, of the list being received
        self.last = None     # the last id of the list being received (None: none yet)
        self.gap = False     # a part of the current list was lost
        self.parts = 0       # parts of the current list so far
        self.lists = 0       # lists started

    def feed(self, payload):
        """One L frame's payload. Returns its (id, name) entries, or None if it is malformed
        (then nothing changes)."""
        entries = parse_list(payload)
        if entries is None or any(b[0] <= a[0] for a, b in zip(entries, entries[1:])):
            return None
        if not entries:
            return entries  # nothing to add (a system without clients)
        first = entries[0][0]
        if self.last is None or first == 0 or first <= self.last:
            self.lists += 1
            self.current = {}
            self.parts = 0
            self.gap = first != 0
        elif first != self.last + 1:
            self.gap = True
        self.parts += 1
        self.last = entries[-1][0]
        for cid, name in entries:
            self.current[cid] = name
            self.names[cid] = name
        return entries


def parse_size(payload):
    if len(payload) != 4:
        return None
    return struct.unpack("<HH", payload)


def decode_body(block, types, client_ok=None):
    """Decode what sat between two 0x00 bytes. Returns (type, client, payload), or a string
    saying why the block is discarded."""
    body = cobs_decode(block)
    if body is None:
        return "bad COBS"
    if len(body) < MIN_BODY:
        return "short"
    if len(body) > MAX_BODY:
        return "long"
    if struct.unpack("<I", body[-4:])[0] != crc32(body[:-4]):
        return "CRC"
    ftype, client, payload = body[0], body[1], body[2:-4]
    if ftype not in types:
        return "type"
    if client_ok is not None and not client_ok(ftype, client):
        return "client"
    return (ftype, client, payload)


class Decoder:
    """Byte stream -> frames. Everything between two 0x00 bytes that is not a valid frame is
    discarded and counted (docs/serial.md); a block longer than any frame is cut off at once,
    so a lost 0x00 costs no more than the frames around it.

    types: the frame types this side accepts. client_ok(type, client): whether the client
    exists (None: any)."""

    def __init__(self, types=TYPES_TO_HOST, client_ok=None):
        self.types = types
        self.client_ok = client_ok
        self.buf = bytearray()
        self.overflow = False
        self.discarded = 0
        self.reasons = {}
        self.frames = 0

    def _discard(self, why):
        self.discarded += 1
        self.reasons[why] = self.reasons.get(why, 0) + 1

    def feed(self, data):
        """Returns the list of (type, client, payload) of the frames completed by data."""
        out = []
        start = 0
        data = bytes(data)
        while True:
            z = data.find(b"\x00", start)
            piece = data[start:] if z < 0 else data[start:z]
            if not self.overflow:
                self.buf += piece
                if len(self.buf) > MAX_COBS:
                    self.overflow = True
                    self.buf.clear()
            if z < 0:
                return out
            if self.overflow:
                self._discard("long")
            elif self.buf:
                r = decode_body(bytes(self.buf), self.types, self.client_ok)
                if isinstance(r, str):
                    self._discard(r)
                else:
                    self.frames += 1
                    out.append(r)
            self.buf.clear()
            self.overflow = False
            start = z + 1


class EntryScanner:
    """The line before framed mode is acknowledged: plain text, then (the acknowledgement) the
    first L frame, which need not be preceded by a 0x00.

    feed(data) returns (text, payload, rest): the plain bytes that may be shown now, and once
    the L frame has been seen its payload and the bytes that followed it (for the Decoder);
    payload is None before. Bytes that may be the start of an L frame (any byte, then 'L',
    0xff: the COBS code byte, the type, the client 0xff) are held back until a 0x00 shows
    whether they are one, or until more than a frame's length followed, or until release()
    gives them up (the caller calls it when nothing came for a moment)."""

    def __init__(self):
        self.held = bytearray()

    def feed(self, data):
        buf = bytes(self.held) + bytes(data)
        self.held = bytearray()
        text = bytearray()
        pos = 0
        while True:
            i = buf.find(b"\x4c\xff", pos + 1)
            if i < 0:
                # The tail may be the start of a candidate split over two reads.
                keep = 2 if buf.endswith(b"\x4c") else 1
                if buf.endswith(b"\x00"):
                    keep = 0
                keep = min(keep, len(buf) - pos)
                text += buf[pos:len(buf) - keep]
                self.held = bytearray(buf[len(buf) - keep:])
                return bytes(text), None, b""
            c = i - 1
            text += buf[pos:c]
            z = buf.find(b"\x00", c)
            if z < 0:
                if len(buf) - c < MAX_ENCODED:
                    self.held = bytearray(buf[c:])
                    return bytes(text), None, b""
            else:
                r = decode_body(buf[c:z], (T_LIST,), lambda t, cl: cl == SYSTEM)
                if not isinstance(r, str):
                    return bytes(text), r[2], buf[z + 1:]
            # Not a frame: its first byte is text, and the search goes on after it.
            text += buf[c:c + 1]
            pos = c + 1

    def release(self):
        """Give up on what is held: it was plain text."""
        out = bytes(self.held)
        self.held = bytearray()
        return out

#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz_virtio target (tests/fuzz/fuzz_virtio.c) into
tests/fuzz/corpus/virtio/. The input layout is described at the top of fuzz_virtio.c; each seed
is a short scenario a driver really goes through, so mutations start from deep states.
Usage: tests/virtio/make_fuzz_seeds.py  (from the top of the tree)"""
import os
import struct

OUT = "tests/fuzz/corpus/virtio"
RAM = 0x40000000
BUF = 0x8000  # RAM offset of data buffers


def u8(v):
    return struct.pack("<B", v & 0xFF)


def u16(v):
    return struct.pack("<H", v & 0xFFFF)


def u32(v):
    return struct.pack("<I", v & 0xFFFFFFFF)


def reg_write(off, v):
    return u8(0) + u8(0x80 | 0) + u16(off) + u32(v)  # sel 0x80: offset given, width 4


def reg_read(off):
    return u8(1) + u8(0x80) + u16(off) + u32(0)


def ram(off, data):
    return u8(2) + u16(off) + u8(len(data)) + data


def desc(q, i, off, length, flags, nxt):
    # guest_addr kind 2: RAM + u16; len as u8 (flag 0) or u32 (flag 1)
    return u8(3) + u8(q) + u8(i) + u8(2) + u16(off) + u8(1) + u32(length) + u8(flags) + u8(nxt)


def itable_entry(at, off, length, flags, nxt):
    return u8(0x83) + u8(0) + u8(0) + u8(2) + u16(off) + u8(1) + u32(length) + u8(flags) + u8(nxt) + u16(at)


def avail(q, head):
    return u8(4) + u8(q) + u8(head)


def drain(n):
    return u8(5) + u8(n)


def rx(data):
    return u8(6) + u8(len(data)) + data


def bring_up(log2num, indirect=True):
    return u8(7) + u8(log2num | (0x10 if indirect else 0))


# Multiport (first byte bit 3: two ports, with bit 7: three): port 1 is queues 4 and 5, the
# control receiveq 2 and transmitq 3; drain and rx name a port first.
CRXB = 0x9000  # control receive buffers, 64 bytes each
CTXB = 0xA000  # control messages, 16 bytes each (CRXB + 64 * 16 at most)


def mp_drain(port, n):
    return u8(5) + u8(port) + u8(n)


def mp_rx(port, data):
    return u8(6) + u8(port) + u8(len(data)) + data


def ctrl_buffers(n):
    return b"".join(desc(2, i, CRXB + 64 * i, 64, 2, 0) + avail(2, i) for i in range(n))


def ctrl_msg(slot, pid, event, value, length=8):
    msg = struct.pack("<IHH", pid, event, value)
    return ram(CTXB + 16 * slot, msg) + desc(3, slot, CTXB + 16 * slot, length, 0, 0) + avail(3, slot)


def set_size(port, cols, rows):
    return u8(0x88) + u8(port) + u16(cols) + u16(rows)


MP_HANDSHAKE = (bring_up(4 | 0x20) + ctrl_buffers(12) + ctrl_msg(0, 0xFFFFFFFF, 0, 1) + ctrl_msg(1, 0, 3, 1)
                + ctrl_msg(2, 1, 3, 1) + ctrl_msg(3, 0, 6, 1) + ctrl_msg(4, 1, 6, 1))

SEEDS = {
    "probe": u8(0x33) + b"".join(reg_read(o) for o in (0, 4, 8, 0xC, 0x10, 0x34, 0x44, 0x60, 0x70, 0xFC, 0x100)),
    "tx_hello": u8(0x33) + bring_up(3) + ram(BUF, b"hello\n") + desc(1, 0, BUF, 6, 0, 0) + avail(1, 0) + drain(64),
    "tx_chain": u8(0x33) + bring_up(2) + ram(BUF, b"abcdef") + desc(1, 0, BUF, 3, 1, 1)
    + desc(1, 1, BUF + 3, 3, 0, 0) + avail(1, 0) + drain(8),
    "tx_full_ring": u8(0x30) + bring_up(4) + ram(BUF, bytes(range(200))) + desc(1, 0, BUF, 200, 0, 0)
    + avail(1, 0) + drain(2) + drain(2) + drain(100) + drain(100),
    "rx_input": u8(0x33) + bring_up(3) + rx(b"typed") + desc(0, 0, BUF, 16, 2, 0) + avail(0, 0)
    + rx(b"more") + desc(0, 1, BUF + 16, 2, 2, 0) + avail(0, 1),
    "rx_before_ok": u8(0x33) + rx(b"early") + bring_up(1) + desc(0, 0, BUF, 8, 2, 0) + avail(0, 0),
    "indirect": u8(0x33) + bring_up(3) + ram(BUF, b"xyz") + itable_entry(0x6000, BUF, 1, 1, 1)
    + itable_entry(0x6010, BUF + 1, 2, 0, 0) + desc(1, 0, 0x6000, 32, 4, 0) + avail(1, 0) + drain(8),
    "loop": u8(0x33) + bring_up(3) + desc(1, 0, BUF, 1, 1, 1) + desc(1, 1, BUF, 1, 1, 0) + avail(1, 0)
    + reg_read(0x70) + reg_write(0x70, 0) + bring_up(3),
    "emerg": u8(0x11) + reg_write(0x108, 0x41) + reg_write(0x108, 0x42) + reg_write(0x108, 0x43) + drain(1)
    + u8(8),
    "reset_mid_tx": u8(0x30) + bring_up(2) + ram(BUF, b"0123456789" * 5) + desc(1, 0, BUF, 50, 0, 0)
    + avail(1, 0) + reg_write(0x70, 0) + drain(32) + bring_up(2) + desc(1, 0, BUF, 5, 0, 0) + avail(1, 0),
    "mp_handshake": u8(0x3B) + MP_HANDSHAKE + reg_read(0x104),
    "mp_port1_data": u8(0x3B) + MP_HANDSHAKE + ram(BUF, b"one\n") + desc(5, 0, BUF, 4, 0, 0) + avail(5, 0)
    + mp_drain(1, 64) + mp_drain(0, 64) + desc(4, 0, BUF + 0x100, 16, 2, 0) + avail(4, 0) + mp_rx(1, b"typed")
    + desc(0, 0, BUF + 0x200, 16, 2, 0) + avail(0, 0) + mp_rx(0, b"zero"),
    "mp_resize": u8(0x3B) + MP_HANDSHAKE + set_size(0, 132, 43) + set_size(1, 100, 30) + set_size(3, 1, 1)
    + ctrl_buffers(2) + set_size(0, 80, 24),
    "mp_3ports_console1": u8(0xBB) + bring_up(4 | 0x20) + ctrl_buffers(12) + ctrl_msg(0, 0xFFFFFFFF, 0, 1)
    + ctrl_msg(1, 1, 3, 1) + ctrl_msg(2, 2, 3, 1) + mp_rx(2, b"held") + desc(6, 0, BUF, 8, 2, 0) + avail(6, 0)
    + ctrl_msg(3, 2, 6, 1),
    "mp_without_multiport": u8(0x3B) + bring_up(3) + ram(BUF, b"hi") + desc(1, 0, BUF, 2, 0, 0) + avail(1, 0)
    + mp_drain(0, 8) + ctrl_buffers(1) + ctrl_msg(0, 0xFFFFFFFF, 0, 1) + set_size(0, 90, 30),
    "mp_bad_short": u8(0x3B) + bring_up(3 | 0x20) + ctrl_buffers(2) + ctrl_msg(0, 0xFFFFFFFF, 0, 1, 4)
    + reg_read(0x70) + reg_write(0x70, 0) + bring_up(3 | 0x20),
    "mp_bad_port": u8(0x3B) + MP_HANDSHAKE + ctrl_msg(5, 7, 3, 1),
    "mp_small_buffer": u8(0x3B) + bring_up(3 | 0x20) + desc(2, 0, CRXB, 4, 2, 0) + avail(2, 0)
    + ctrl_msg(0, 0xFFFFFFFF, 0, 1),
    "mp_ignored": u8(0x3B) + bring_up(3 | 0x20) + ctrl_buffers(8) + ctrl_msg(0, 0, 3, 1) + ctrl_msg(1, 0, 99, 1)
    + ctrl_msg(2, 0xFFFFFFFF, 0, 0) + ctrl_msg(3, 0xFFFFFFFF, 0, 1) + ctrl_msg(4, 0xFFFFFFFF, 0, 1)
    + ctrl_msg(5, 1, 6, 5) + ctrl_msg(6, 1, 3, 1, 12) + ctrl_msg(7, 1, 3, 1),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Unit tests of the framed mode's framing (tools/console/framing.py, docs/serial.md)."""

import os
import random
import struct
import sys
import unittest
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..", "tools", "console"))
import framing as fr  # noqa: E402

D, L, S, Q = fr.T_DATA, fr.T_LIST, fr.T_SIZE, fr.T_QUIT

# docs/serial.md, "Worked examples".
EXAMPLES = [
    ((D, 1, b"hi\r\n"), "0b 44 01 68 69 0d 0a 79 78 84 f4 00"),
    ((S, 0, struct.pack("<HH", 120, 40)), "02 53 02 78 02 28 05 23 fd 0e c8 00"),
    ((D, 2, bytes([0x61, 0x00, 0x62])), "04 44 02 61 06 62 7c 60 f1 2b 00"),
]


def host_decoder(nclients=3):
    return fr.Decoder(fr.TYPES_TO_HOST, lambda t, c: c == fr.SYSTEM if t == L else (c < nclients or c == fr.SYSTEM))


def uart_decoder(nclients=3):
    return fr.Decoder(fr.TYPES_TO_UART, lambda t, c: c < nclients if t in (D, S) else c == fr.SYSTEM)


def per_client(frames):
    out = {}
    for t, c, p in frames:
        if t == D:
            out[c] = out.get(c, b"") + p
    return out


class Cobs(unittest.TestCase):
    def test_round_trip(self):
        rng = random.Random(1)
        cases = [b"", b"\x00", b"\x00\x00", b"\x01", bytes(range(256)), b"\xff" * 253, b"\xff" * 254,
                 b"\xff" * 255, b"\xff" * 508, b"\x00" * 300]
        cases += [bytes(rng.choice((0, 1, 255, rng.randrange(256))) for _ in range(rng.randrange(600)))
                  for _ in range(500)]
        for data in cases:
            enc = fr.cobs_encode(data)
            self.assertNotIn(0, enc)
            self.assertLessEqual(len(enc), len(data) + len(data) // 254 + 1)
            self.assertEqual(fr.cobs_decode(enc), data)

    def test_both_endings_after_254(self):
        data = b"\x07" * 254
        self.assertEqual(fr.cobs_decode(b"\xff" + data), data)
        self.assertEqual(fr.cobs_decode(b"\xff" + data + b"\x01"), data)

    def test_invalid(self):
        self.assertIsNone(fr.cobs_decode(b"\x05\x01\x02"))  # points past the end
        self.assertIsNone(fr.cobs_decode(b"\x03\x00\x01"))  # a zero inside


class Frames(unittest.TestCase):
    def test_worked_examples_byte_exact(self):
        for (t, c, p), line in EXAMPLES:
            wire = bytes.fromhex(line)
            self.assertEqual(fr.encode_frame(t, c, p), wire, line)
            if t == S:
                self.assertEqual(fr.size_frame(c, 120, 40), wire)
            self.assertEqual(uart_decoder().feed(wire), [(t, c, p)])
            if t == D:
                self.assertEqual(host_decoder().feed(wire), [(t, c, p)])

    def test_crc_is_zlibs(self):
        body = bytes([D, 1]) + b"hi\r\n"
        self.assertEqual(struct.pack("<I", zlib.crc32(body)), bytes.fromhex("797884f4"))

    def test_round_trip_frames(self):
        rng = random.Random(2)
        for _ in range(2000):
            t = rng.choice((D, L, S, Q))
            c = fr.SYSTEM if t in (L, Q) else rng.randrange(3)
            p = bytes(rng.randrange(256) for _ in range(rng.randrange(fr.MAX_PAYLOAD + 1)))
            if t == Q:
                p = b""
            wire = fr.encode_frame(t, c, p)
            self.assertLessEqual(len(wire), fr.MAX_ENCODED)
            self.assertEqual(wire.count(0), 1)
            self.assertEqual(uart_decoder().feed(wire), [(t, c, p)])

    def test_payload_limit(self):
        fr.encode_frame(D, 0, b"x" * 240)
        with self.assertRaises(ValueError):
            fr.encode_frame(D, 0, b"x" * 241)

    def test_extra_zeros_ignored(self):
        wire = b"\x00\x00" + fr.encode_frame(D, 1, b"a") + b"\x00\x00\x00" + fr.encode_frame(D, 0, b"b")
        d = host_decoder()
        self.assertEqual(d.feed(wire), [(D, 1, b"a"), (D, 0, b"b")])
        self.assertEqual(d.discarded, 0)

    def test_discards(self):
        d = host_decoder(nclients=2)
        good = fr.encode_frame(D, 1, b"ok")
        bad = [
            b"\x05\x01\x00",                                         # bad COBS (before the 0x00)
            fr.cobs_encode(b"\x44\x01\x02\x03\x04") + b"\x00",       # shorter than 6 bytes
            fr.cobs_encode(bytes([D, 0]) + b"x" * 241 + b"\0" * 4) + b"\x00",  # payload too long
            fr.encode_frame(D, 1, b"ok")[:-2] + b"\x01\x00",          # CRC
            fr.encode_frame(0x58, 0, b"x"),                          # unknown type
            fr.encode_frame(D, 2, b"x"),                             # no client 2
            fr.encode_frame(S, 0, b"\x01\x02\x03\x04"),             # S does not go to the host
        ]
        for b in bad:
            self.assertEqual(d.feed(b + good), [(D, 1, b"ok")], b.hex(" "))
        self.assertEqual(d.discarded, len(bad))

    def test_client_list(self):
        lst = [(0, "alpha"), (1, "beta"), (2, "a-much-longer-name-of-31-bytes!")]
        wire = fr.encode_frame(L, fr.SYSTEM, fr.encode_list(lst))
        [(t, c, p)] = host_decoder().feed(wire)
        self.assertEqual((t, c), (L, fr.SYSTEM))
        self.assertEqual(fr.parse_list(p), lst)
        self.assertIsNone(fr.parse_list(b"\x00\x05abc"))
        self.assertEqual(fr.list_request(), fr.encode_frame(L, fr.SYSTEM))
        self.assertEqual(fr.quit_frame(), fr.encode_frame(Q, fr.SYSTEM))


def stream_of(frames):
    return b"".join(fr.encode_frame(t, c, p) for t, c, p in frames)


class Stream(unittest.TestCase):
    FRAMES = [(D, 0, b"alpha line one\r\n"), (D, 1, b"beta: \x00\x1c\xff binary"), (D, fr.SYSTEM, b"kernel\n"),
              (D, 2, b"g" * 240), (D, 0, b"alpha two\r\n"), (D, 1, b"\x00" * 10), (D, 2, b"")]

    def test_interleaved_clients(self):
        rng = random.Random(3)
        want = {}
        frames = []
        for _ in range(300):
            c = rng.choice((0, 1, 2, fr.SYSTEM))
            p = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 60)))
            frames.append((D, c, p))
            want[c] = want.get(c, b"") + p
        self.assertEqual(per_client(host_decoder().feed(stream_of(frames))), want)

    def test_split_at_every_position(self):
        wire = stream_of(self.FRAMES)
        for i in range(len(wire) + 1):
            d = host_decoder()
            got = d.feed(wire[:i]) + d.feed(wire[i:])
            self.assertEqual(got, self.FRAMES, "split at %d" % i)
            self.assertEqual(d.discarded, 0)
        d = host_decoder()
        got = []
        for i in range(len(wire)):
            got += d.feed(wire[i:i + 1])
        self.assertEqual(got, self.FRAMES)

    AFTER = [(D, 1, b"after the damage"), (D, 0, b"and in step again")]

    def check_damaged(self, wire, damaged, what):
        """Whatever is delivered is an original frame, in order (no byte misrouted or altered);
        at most the two frames around the damage are lost (the one it hit, and the next when it
        hit the 0x00 between them); the stream is in step again after that."""
        d = host_decoder()
        got = d.feed(damaged + stream_of(self.AFTER))
        want = self.FRAMES + self.AFTER
        it = iter(want)
        for f in got:
            self.assertIn(f, it, "%s: delivered %r, not an original frame in order" % (what, f))
        self.assertGreaterEqual(len(got), len(want) - 2, what)
        self.assertEqual(got[-1], want[-1], what)

    def test_dropped_byte(self):
        wire = stream_of(self.FRAMES)
        for i in range(len(wire)):
            self.check_damaged(wire, wire[:i] + wire[i + 1:], "byte %d dropped" % i)

    def test_corrupted_byte(self):
        wire = stream_of(self.FRAMES)
        for i in range(len(wire)):
            for x in (0x01, 0x80, 0xff, wire[i]):  # wire[i] ^ wire[i]: the byte becomes 0x00
                if x == 0:
                    continue
                self.check_damaged(wire, wire[:i] + bytes([wire[i] ^ x]) + wire[i + 1:],
                                   "byte %d xor %#x" % (i, x))

    def test_inserted_byte(self):
        wire = stream_of(self.FRAMES)
        for i in range(len(wire) + 1):
            for b in (0x00, 0x41):
                self.check_damaged(wire, wire[:i] + bytes([b]) + wire[i:], "%#x inserted at %d" % (b, i))

    def test_corrupted_client_never_misroutes(self):
        f = fr.encode_frame(D, 1, b"for beta only")
        for c in range(256):
            if c == 1:
                continue
            bad = bytearray(f)
            bad[2] = c if c else 1  # the client byte (code byte, type, client); 0 is not COBS
            if bytes(bad) == f:
                continue
            self.assertEqual(host_decoder(nclients=255).feed(bytes(bad)), [], "client byte %#x" % c)

    def test_long_garbage_resynchronises(self):
        d = host_decoder()
        self.assertEqual(d.feed(b"\x41" * 5000 + b"\x00" + fr.encode_frame(D, 0, b"x")), [(D, 0, b"x")])
        self.assertEqual(d.discarded, 1)


class Input(unittest.TestCase):
    def test_input_addressed_to_each_client(self):
        rng = random.Random(4)
        n = 16
        want = {}
        wire = bytearray()
        for _ in range(400):
            c = rng.randrange(n)
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 600)))
            wire += fr.data_frames(c, data)
            want[c] = want.get(c, b"") + data
        got = uart_decoder(nclients=n).feed(bytes(wire))
        self.assertTrue(all(len(p) <= fr.MAX_PAYLOAD for _, _, p in got))
        self.assertEqual(per_client(got), want)

    def test_ctrl_backslash_is_data(self):
        self.assertEqual(uart_decoder().feed(fr.data_frames(1, b"\x1c\x1c0\r")), [(D, 1, b"\x1c\x1c0\r")])

    def test_size_frames(self):
        for c in range(3):
            for cols, rows in ((80, 24), (120, 40), (1, 1), (65535, 65535)):
                [(t, cc, p)] = uart_decoder().feed(fr.size_frame(c, cols, rows))
                self.assertEqual((t, cc, fr.parse_size(p)), (S, c, (cols, rows)))

    def test_size_for_missing_client_discarded(self):
        d = uart_decoder(nclients=2)
        self.assertEqual(d.feed(fr.size_frame(2, 80, 24)), [])
        self.assertEqual(d.discarded, 1)


def names(n, fmt="client-with-a-long-name-%02d"):
    return [(i, fmt % i) for i in range(n)]


class SplitList(unittest.TestCase):
    """A client list longer than one frame comes in several L frames (docs/serial.md)."""

    def wire(self, lst, max_payload=fr.MAX_PAYLOAD):
        return [fr.encode_frame(L, fr.SYSTEM, p) for p in fr.list_parts(lst, max_payload)]

    def assemble(self, frames):
        cl = fr.ClientList()
        for t, c, p in host_decoder(64).feed(b"".join(frames)):
            self.assertEqual((t, c), (L, fr.SYSTEM))
            self.assertIsNotNone(cl.feed(p))
        return cl

    def test_parts_as_tx_makes_them(self):
        # 16 entries of 2 + 26 bytes: 8 fit in 240 bytes, so two parts of 224 bytes.
        parts = fr.list_parts(names(16))
        self.assertEqual([len(p) for p in parts], [224, 224])
        self.assertEqual(fr.parse_list(parts[0]) + fr.parse_list(parts[1]), names(16))
        self.assertEqual(fr.list_parts(names(3)), [fr.encode_list(names(3))])
        self.assertEqual(fr.list_parts([]), [b""])

    def test_two_parts(self):
        cl = self.assemble(self.wire(names(16)))
        self.assertEqual(sorted(cl.names.items()), names(16))
        self.assertEqual(cl.current, cl.names)
        self.assertEqual((cl.parts, cl.lists, cl.gap), (2, 1, False))

    def test_three_parts(self):
        for lst, max_payload in ((names(24), fr.MAX_PAYLOAD), (names(16), 100),
                                 (names(200, "guest%03d"), fr.MAX_PAYLOAD)):
            n = len(lst)
            frames = self.wire(lst, max_payload)
            cl = self.assemble(frames)
            self.assertGreaterEqual(len(frames), 3)
            self.assertEqual(len(cl.names), n)
            self.assertEqual((cl.parts, cl.lists, cl.gap), (len(frames), 1, False))

    def test_part_lost(self):
        lst = names(24)
        frames = self.wire(lst)
        self.assertEqual(len(frames), 3)
        parts = [dict(fr.parse_list(p)) for p in fr.list_parts(lst)]
        for k in range(3):
            cl = self.assemble(frames[:k] + frames[k + 1:])
            want = {i: n for j, part in enumerate(parts) if j != k for i, n in part.items()}
            self.assertEqual(cl.names, want, "part %d lost" % k)
            # A lost first or middle part shows; a lost last part cannot (nothing marks it).
            self.assertEqual(cl.gap, k < 2, "part %d lost" % k)
            # Asked again, the whole list arrives and the gap is gone.
            for f in frames:
                cl.feed(host_decoder(64).feed(f)[0][2])
            self.assertEqual(sorted(cl.names.items()), lst)
            self.assertFalse(cl.gap)

    def test_part_corrupted_on_the_line(self):
        lst = names(24)
        frames = self.wire(lst)
        for pos in (1, 5, len(frames[1]) // 2, len(frames[1]) - 2):
            bad = bytearray(frames[1])
            bad[pos] ^= 0x20
            dec = host_decoder(64)
            cl = fr.ClientList()
            for t, c, p in dec.feed(frames[0] + bytes(bad) + frames[2]):
                cl.feed(p)
            self.assertEqual(dec.discarded, 1)
            self.assertTrue(cl.gap)
            self.assertEqual(sorted(cl.names), list(range(8)) + list(range(16, 24)))

    def test_repeated_list(self):
        lst = names(16)
        cl = self.assemble(self.wire(lst) * 3)
        self.assertEqual(sorted(cl.names.items()), lst)
        self.assertEqual(sorted(cl.current.items()), lst)
        self.assertEqual((cl.lists, cl.parts, cl.gap), (3, 2, False))

    def test_list_started_again(self):
        # TX starts a list again from 0 when asked for it while sending one.
        frames = self.wire(names(24))
        cl = self.assemble(frames[:2] + frames)
        self.assertEqual((cl.lists, cl.parts, cl.gap), (2, 3, False))
        self.assertEqual(sorted(cl.names.items()), names(24))

    def test_first_part_lost_of_a_repeat(self):
        # The first part of the second list is lost: its second part does not follow the first
        # list's last id, so it starts a list, and one that did not start at 0.
        frames = self.wire(names(16))
        cl = self.assemble(frames + frames[1:])
        self.assertEqual(cl.lists, 2)
        self.assertTrue(cl.gap)

    def test_later_list_renames_and_drops(self):
        cl = self.assemble(self.wire(names(16)))
        later = [(i, "renamed-%d" % i if i == 9 else n) for i, n in names(16) if i != 12]
        for f in self.wire(later):
            cl.feed(host_decoder(64).feed(f)[0][2])
        self.assertEqual(cl.names[9], "renamed-9")
        self.assertNotIn(12, cl.current)
        self.assertIn(12, cl.names)  # seen once: the tool keeps its window
        self.assertFalse(cl.gap)  # a client missing from the middle of one part is no lost part

    def test_malformed_part_changes_nothing(self):
        cl = self.assemble(self.wire(names(4)))
        before = (dict(cl.names), cl.parts, cl.lists, cl.last)
        self.assertIsNone(cl.feed(fr.encode_list([(2, "b"), (1, "a")])))  # not ascending
        self.assertIsNone(cl.feed(b"\x05\x09abc"))  # an entry longer than the payload
        self.assertEqual((cl.names, cl.parts, cl.lists, cl.last), before)


class Entry(unittest.TestCase):
    LIST = fr.encode_frame(L, fr.SYSTEM, fr.encode_list([(0, "alpha"), (1, "beta")]))

    def test_entry_sequence(self):
        self.assertEqual(fr.ENTRY, bytes.fromhex("1c 02 46 52 4d 31"))

    def test_list_after_plain_text_without_zero(self):
        text = b"plain boot text, even with L\xff in it and \x00 zeros\r\nalpha: login: "
        wire = text + self.LIST + fr.encode_frame(D, 0, b"after")
        for i in range(len(wire) + 1):
            sc = fr.EntryScanner()
            shown = bytearray()
            t, payload, rest = sc.feed(wire[:i])
            shown += t
            if payload is None:
                t, payload, rest = sc.feed(wire[i:])
                shown += t
            else:
                rest += wire[i:]
            self.assertEqual(bytes(shown), text, "split at %d" % i)
            self.assertEqual(fr.parse_list(payload), [(0, "alpha"), (1, "beta")])
            self.assertEqual(host_decoder().feed(rest), [(D, 0, b"after")])

    def test_plain_text_released(self):
        sc = fr.EntryScanner()
        t, payload, _ = sc.feed(b"looks like L\xff but is not")
        self.assertIsNone(payload)
        self.assertEqual(t + sc.release(), b"looks like L\xff but is not")


if __name__ == "__main__":
    unittest.main()

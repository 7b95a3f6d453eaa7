/*
 * The framing codec (serial_virt/frame.c): CRC-32 and COBS against known values, round trips of
 * payloads with 0x00 and with 254- and 255-byte runs, the worked examples of docs/serial.md byte
 * for byte, and the decoder on damaged lines: a dropped byte, every byte of a frame corrupted in
 * turn, a frame split at every position between two feeds, junk and overlong spans.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "frame.h"

static void crc_known_values(void **state)
{
    (void)state;
    assert_int_equal(frame_crc32(0, (const uint8_t *)"123456789", 9), 0xcbf43926u);
    assert_int_equal(frame_crc32(0, NULL, 0), 0);
    /* in pieces, the same */
    uint32_t c = frame_crc32(0, (const uint8_t *)"1234", 4);
    assert_int_equal(frame_crc32(c, (const uint8_t *)"56789", 5), 0xcbf43926u);
}

static void cobs_round(const uint8_t *in, uint32_t n)
{
    static uint8_t enc[2048], dec[2048];
    uint32_t e = frame_cobs_encode(in, n, enc, sizeof(enc));
    assert_true(e >= n + 1 && e <= n + n / 254 + 1);
    assert_null(memchr(enc, 0, e));
    assert_int_equal(frame_cobs_decode(enc, e, dec, sizeof(dec)), (int32_t)n);
    assert_memory_equal(dec, in, n);
    /* too small an output buffer is refused, never overrun */
    if (e > 1)
        assert_int_equal(frame_cobs_encode(in, n, enc, e - 1), 0);
    if (n > 0)
        assert_int_equal(frame_cobs_decode(enc, e, dec, n - 1), -1);
}

static void cobs_round_trips(void **state)
{
    (void)state;
    uint8_t b[1024] = { 0 };
    cobs_round(b, 0);
    b[0] = 0;
    cobs_round(b, 1);
    memset(b, 0, 10);
    cobs_round(b, 10);
    for (uint32_t len = 250; len <= 260; len++) { /* runs of 254 and 255 non-zero bytes and around */
        memset(b, 'x', len);
        cobs_round(b, len);
        b[0] = 0;
        cobs_round(b, len);
        b[len - 1] = 0;
        cobs_round(b, len);
    }
    for (uint32_t i = 0; i < sizeof(b); i++)
        b[i] = (uint8_t)(i * 7 % 5 == 0 ? 0 : i);
    cobs_round(b, sizeof(b));
    memset(b, 1, 254);
    uint8_t enc[300];
    assert_int_equal(frame_cobs_encode(b, 254, enc, sizeof(enc)), 255); /* one full block */
    assert_int_equal(enc[0], 0xff);
}

static void cobs_decode_refuses_bad_input(void **state)
{
    (void)state;
    uint8_t out[16];
    const uint8_t zero[] = { 0x02, 0x00 }, past[] = { 0x05, 1, 2 }, code0[] = { 0x00 };
    assert_int_equal(frame_cobs_decode(zero, 2, out, sizeof(out)), -1);
    assert_int_equal(frame_cobs_decode(past, 3, out, sizeof(out)), -1);
    assert_int_equal(frame_cobs_decode(code0, 1, out, sizeof(out)), -1);
}

static void check_example(uint8_t type, uint8_t client, const void *p, uint32_t n, const uint8_t *want,
                          uint32_t wlen)
{
    uint8_t out[FRAME_WIRE_MAX];
    assert_int_equal(frame_encode(type, client, p, n, out, sizeof(out)), wlen);
    assert_memory_equal(out, want, wlen);
    struct frame_decoder d;
    struct frame f;
    uint32_t used;
    frame_decoder_init(&d);
    assert_true(frame_feed(&d, want, wlen, &used, &f));
    assert_int_equal(used, wlen);
    assert_int_equal(f.type, type);
    assert_int_equal(f.client, client);
    assert_int_equal(f.len, n);
    assert_memory_equal(f.payload, p, n);
}

static void worked_examples_byte_exact(void **state)
{
    (void)state;
    const uint8_t d1[] = { 0x0b, 0x44, 0x01, 0x68, 0x69, 0x0d, 0x0a, 0x79, 0x78, 0x84, 0xf4, 0x00 };
    const uint8_t s0[] = { 0x02, 0x53, 0x02, 0x78, 0x02, 0x28, 0x05, 0x23, 0xfd, 0x0e, 0xc8, 0x00 };
    const uint8_t d2[] = { 0x04, 0x44, 0x02, 0x61, 0x06, 0x62, 0x7c, 0x60, 0xf1, 0x2b, 0x00 };
    const uint8_t size[] = { 120, 0, 40, 0 }, p2[] = { 0x61, 0x00, 0x62 };
    check_example('D', 1, "hi\r\n", 4, d1, sizeof(d1));
    check_example('S', 0, size, 4, s0, sizeof(s0));
    check_example('D', 2, p2, 3, d2, sizeof(d2));
}

static void encode_limits(void **state)
{
    (void)state;
    uint8_t p[FRAME_PAYLOAD_MAX + 1], out[FRAME_WIRE_MAX];
    memset(p, 0xaa, sizeof(p));
    assert_int_equal(frame_encode('D', 0, p, FRAME_PAYLOAD_MAX + 1, out, sizeof(out)), 0);
    uint32_t n = frame_encode('D', 0, p, FRAME_PAYLOAD_MAX, out, sizeof(out));
    assert_true(n > 0 && n <= FRAME_WIRE_MAX);
    assert_int_equal(frame_encode('D', 0, p, FRAME_PAYLOAD_MAX, out, n - 1), 0);
    memset(p, 0, sizeof(p));
    n = frame_encode('D', 0, p, FRAME_PAYLOAD_MAX, out, sizeof(out));
    assert_true(n > 0 && n <= FRAME_WIRE_MAX);
}

/* Everything the decoder hands out for a stream fed in pieces of `piece` bytes, as
 * "type client payload|" strings. */
static uint32_t decode_all(const uint8_t *line, uint32_t n, uint32_t piece, struct frame *fs, uint32_t max,
                           uint8_t payloads[][FRAME_PAYLOAD_MAX], struct frame_decoder *d)
{
    uint32_t got = 0;
    frame_decoder_init(d);
    for (uint32_t at = 0; at < n;) {
        uint32_t k = n - at < piece ? n - at : piece, used;
        struct frame f;
        while (k > 0) {
            bool yes = frame_feed(d, line + at, k, &used, &f);
            assert_true(used <= k);
            at += used;
            k -= used;
            if (yes && got < max) {
                fs[got] = f;
                memcpy(payloads[got], f.payload, f.len);
                fs[got].payload = payloads[got];
                got++;
            }
        }
    }
    return got;
}

static uint32_t make_line(uint8_t *line, uint32_t cap)
{
    uint32_t n = 0;
    uint8_t p[FRAME_PAYLOAD_MAX];
    for (uint32_t i = 0; i < sizeof(p); i++)
        p[i] = (uint8_t)(i % 3 == 0 ? 0 : i);
    n += frame_encode('D', 0, (const uint8_t *)"alpha", 5, line + n, cap - n);
    n += frame_encode('D', 1, (const uint8_t *)"beta\n", 5, line + n, cap - n);
    n += frame_encode('D', 0, p, sizeof(p), line + n, cap - n);
    n += frame_encode('D', 1, (const uint8_t *)"", 0, line + n, cap - n);
    n += frame_encode('S', 1, (const uint8_t *)"\x50\x00\x18\x00", 4, line + n, cap - n);
    return n;
}

static void interleaved_clients_in_order(void **state)
{
    (void)state;
    uint8_t line[1024], pl[8][FRAME_PAYLOAD_MAX];
    struct frame fs[8];
    struct frame_decoder d;
    uint32_t n = make_line(line, sizeof(line));
    for (uint32_t piece = 1; piece <= n; piece += (piece < 20 ? 1 : 37)) {
        assert_int_equal(decode_all(line, n, piece, fs, 8, pl, &d), 5);
        assert_int_equal(fs[0].client, 0);
        assert_memory_equal(fs[0].payload, "alpha", 5);
        assert_int_equal(fs[1].client, 1);
        assert_memory_equal(fs[1].payload, "beta\n", 5);
        assert_int_equal(fs[2].len, FRAME_PAYLOAD_MAX);
        assert_int_equal(fs[3].len, 0);
        assert_int_equal(fs[4].type, 'S');
        assert_int_equal(d.stats.discarded, 0);
    }
}

/* A frame split at every position between two feeds arrives whole, once. */
static void split_at_every_position(void **state)
{
    (void)state;
    uint8_t w[FRAME_WIRE_MAX], p[100];
    for (uint32_t i = 0; i < sizeof(p); i++)
        p[i] = (uint8_t)(i & 1 ? 0 : 0x1c);
    uint32_t n = frame_encode('D', 3, p, sizeof(p), w, sizeof(w));
    for (uint32_t cut = 0; cut <= n; cut++) {
        struct frame_decoder d;
        struct frame f;
        uint32_t used;
        frame_decoder_init(&d);
        bool first = frame_feed(&d, w, cut, &used, &f);
        assert_int_equal(first, cut == n);
        if (!first) {
            assert_int_equal(used, cut);
            assert_true(frame_feed(&d, w + cut, n - cut, &used, &f));
            assert_int_equal(used, n - cut);
        }
        assert_int_equal(f.client, 3);
        assert_int_equal(f.len, sizeof(p));
        assert_memory_equal(f.payload, p, sizeof(p));
        assert_int_equal(d.stats.discarded, 0);
    }
}

/* A byte lost anywhere in the first frame costs that frame only; the next one arrives. */
static void dropped_byte_costs_one_frame(void **state)
{
    (void)state;
    uint8_t line[1024], cut[1024], pl[8][FRAME_PAYLOAD_MAX];
    struct frame fs[8];
    struct frame_decoder d;
    uint32_t a = frame_encode('D', 0, (const uint8_t *)"first\r\n", 7, line, sizeof(line));
    uint32_t n = a + frame_encode('D', 1, (const uint8_t *)"second", 6, line + a, sizeof(line) - a);
    for (uint32_t drop = 0; drop < a; drop++) {
        memcpy(cut, line, drop);
        memcpy(cut + drop, line + drop + 1, n - drop - 1);
        uint32_t got = decode_all(cut, n - 1, 5, fs, 8, pl, &d);
        /* dropping the first frame's 0x00 merges the two: both lost */
        assert_int_equal(got, drop == a - 1 ? 0 : 1);
        if (got == 1) {
            assert_int_equal(fs[0].client, 1);
            assert_memory_equal(fs[0].payload, "second", 6);
        }
        assert_int_equal(d.stats.discarded, 1);
    }
}

/* Every byte of a frame corrupted (every bit pattern of one byte at each position): never a
 * frame delivered with wrong content; the next frame always arrives. */
static void corrupted_byte_never_misroutes(void **state)
{
    (void)state;
    uint8_t line[1024], bad[1024], pl[8][FRAME_PAYLOAD_MAX];
    struct frame fs[8];
    struct frame_decoder d;
    uint32_t a = frame_encode('D', 0, (const uint8_t *)"to alpha", 8, line, sizeof(line));
    uint32_t n = a + frame_encode('D', 1, (const uint8_t *)"to beta", 7, line + a, sizeof(line) - a);
    for (uint32_t pos = 0; pos < a; pos++) {
        for (uint32_t x = 1; x < 256; x++) {
            memcpy(bad, line, n);
            bad[pos] ^= (uint8_t)x;
            uint32_t got = decode_all(bad, n, 64, fs, 8, pl, &d);
            for (uint32_t i = 0; i < got; i++) {
                bool alpha = fs[i].client == 0 && fs[i].len == 8 && !memcmp(fs[i].payload, "to alpha", 8);
                bool beta = fs[i].client == 1 && fs[i].len == 7 && !memcmp(fs[i].payload, "to beta", 7);
                assert_true(fs[i].type == 'D' && (beta || (alpha && x == 0)));
            }
            /* the second frame survives unless the damage made a 0x00 vanish or appear next to it */
            if (pos != a - 1)
                assert_true(got >= 1 && fs[got - 1].client == 1);
            assert_true(d.stats.discarded >= 1);
        }
    }
}

static void junk_and_overlong_spans_discarded(void **state)
{
    (void)state;
    struct frame_decoder d;
    struct frame f;
    uint32_t used;
    uint8_t junk[2000];
    frame_decoder_init(&d);
    memset(junk, 0x41, sizeof(junk));
    assert_false(frame_feed(&d, junk, sizeof(junk), &used, &f));
    assert_int_equal(used, sizeof(junk));
    uint8_t w[FRAME_WIRE_MAX + 1];
    w[0] = 0; /* ends the junk */
    uint32_t n = 1 + frame_encode('L', 0xff, NULL, 0, w + 1, sizeof(w) - 1);
    assert_true(frame_feed(&d, w, n, &used, &f));
    assert_int_equal(f.type, 'L');
    assert_int_equal(d.stats.discarded, 1);
    /* repeated 0x00 are no frames and discard nothing */
    const uint8_t zeros[5] = { 0 };
    assert_false(frame_feed(&d, zeros, 5, &used, &f));
    assert_int_equal(d.stats.discarded, 1);
    /* too short: a valid COBS of 5 bytes */
    uint8_t shortb[] = { 0x06, 1, 2, 3, 4, 5, 0 };
    assert_false(frame_feed(&d, shortb, sizeof(shortb), &used, &f));
    assert_int_equal(d.stats.discarded, 2);
    /* a payload of 241 bytes with a good CRC is refused */
    uint8_t body[2 + 241 + 4], enc[300];
    memset(body, 'z', sizeof(body));
    uint32_t crc = frame_crc32(0, body, 243);
    for (int i = 0; i < 4; i++)
        body[243 + i] = (uint8_t)(crc >> (8 * i));
    uint32_t e = frame_cobs_encode(body, sizeof(body), enc, sizeof(enc));
    enc[e++] = 0;
    assert_false(frame_feed(&d, enc, e, &used, &f));
    assert_int_equal(d.stats.discarded, 3);
    frame_reject(&d);
    assert_int_equal(d.stats.discarded, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc_known_values),
        cmocka_unit_test(cobs_round_trips),
        cmocka_unit_test(cobs_decode_refuses_bad_input),
        cmocka_unit_test(worked_examples_byte_exact),
        cmocka_unit_test(encode_limits),
        cmocka_unit_test(interleaved_clients_in_order),
        cmocka_unit_test(split_at_every_position),
        cmocka_unit_test(dropped_byte_costs_one_frame),
        cmocka_unit_test(corrupted_byte_never_misroutes),
        cmocka_unit_test(junk_and_overlong_spans_discarded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

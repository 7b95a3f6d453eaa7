/*
 * Framed mode (docs/serial.md, "Framed mode") in both virtualisers, against rings in memory and
 * one mode region they share: the entry sequence (and a wrong byte in it, refused like any bad
 * sequence), D frames to each client, hold-off at a full client, the S frame reaching the
 * client's window-size word, L and Q, unknown ids and types discarded, a frame split at every
 * position and damaged frames; TX's client list first, D frames per client and for the log (0xff),
 * whole frames only through a small driver ring, no prefix or colour, and plain mode again after Q.
 */
#define _GNU_SOURCE /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "frame.h"
#include "rings.h"
#include "rx_setup.h"
#include "tx_setup.h"

#define N 3
#define KEYS_SWITCH_TO_1                                                                                     \
    "\x1c"                                                                                                   \
    "1\r"

static struct serial_rx_config rxc;
static struct serial_tx_config txc;
static struct ring rdrv, tdrv, logr, crx[N], ctx[N];
static struct serial_mode_shared *mode;
static struct rx_route r;
static struct tx_mux m;
static char banner[TX_BANNER_MAX];
static char said[4096];

static void say(void *ctx_, const char *line)
{
    (void)ctx_;
    if (strlen(said) + strlen(line) < sizeof(said))
        strcat(said, line);
}

static void make(uint32_t csize, uint32_t dsize, uint32_t flags)
{
    static const char *names[N] = { "alpha", "beta", "gamma" };
    memset(&rxc, 0, sizeof(rxc));
    memset(&txc, 0, sizeof(txc));
    rxc.magic = SERIAL_RX_MAGIC;
    txc.magic = SERIAL_TX_MAGIC;
    rxc.version = txc.version = SERIAL_CONFIG_VERSION;
    rxc.num_clients = txc.num_clients = N;
    txc.flags = flags;
    ring_new(&rdrv, dsize);
    ring_new(&tdrv, dsize < 128 ? 128 : dsize);
    ring_new(&logr, 256);
    rxc.driver = ring_ref(&rdrv, 0);
    txc.driver = ring_ref(&tdrv, 0);
    txc.log = ring_ref(&logr, 1 + N);
    for (uint32_t i = 0; i < N; i++) {
        ring_new(&crx[i], csize);
        ring_new(&ctx[i], 1024);
        rxc.clients[i] = ring_ref(&crx[i], 1 + i);
        txc.clients[i] = ring_ref(&ctx[i], 1 + i);
        snprintf(rxc.names[i], SERIAL_NAME_LEN, "%s", names[i]);
        snprintf(txc.names[i], SERIAL_NAME_LEN, "%s", names[i]);
    }
    mode = calloc(1, 64);
    rxc.mode = (struct serial_mode_ref){ (uint64_t)(uintptr_t)mode, 64, 1 + N, 0 };
    txc.mode = (struct serial_mode_ref){ (uint64_t)(uintptr_t)mode, 64, 2 + N, 0 };
    char whybuf[128];
    struct sv_text why;
    sv_text_init(&why, whybuf, sizeof(whybuf));
    if (!rx_setup(&r, &rxc, &why) || !tx_setup(&m, &txc, banner, &why))
        fail_msg("setup refused: %s", whybuf);
    r.say = say;
    m.say = say;
    said[0] = '\0';
}

static int teardown(void **state)
{
    (void)state;
    ring_free(&rdrv);
    ring_free(&tdrv);
    ring_free(&logr);
    for (uint32_t i = 0; i < N; i++) {
        ring_free(&crx[i]);
        ring_free(&ctx[i]);
    }
    free(mode);
    return 0;
}

/* What client i received (consumed here), NUL-terminated; *len its length. */
static const char *got(uint32_t i, size_t *len)
{
    static char buf[N][70000];
    size_t n = 0;
    while (ring_take(&crx[i], buf[i], &n, sizeof(buf[0]), UINT32_MAX) > 0)
        ;
    if (len != NULL)
        *len = n;
    return buf[i];
}

static void line_in(const void *b, uint32_t n)
{
    assert_int_equal(ring_putn(&rdrv, b, n), n);
}

static void frame_in(uint8_t type, uint8_t client, const void *p, uint32_t n)
{
    uint8_t w[FRAME_WIRE_MAX];
    uint32_t k = frame_encode(type, client, p, n, w, sizeof(w));
    assert_true(k > 0);
    line_in(w, k);
}

static struct rx_wake enter(void)
{
    line_in(FRAME_ENTRY, FRAME_ENTRY_LEN);
    struct rx_wake w = rx_route_run(&r);
    assert_true(r.framed);
    return w;
}

/* ---- RX ---- */

static void entry_sequence_switches_rx_and_tells_tx(void **state)
{
    (void)state;
    make(256, 256, 0);
    line_in("ab", 2);
    struct rx_wake w = enter();
    assert_true(w.tx);
    assert_int_equal(mode->framed, 1);
    assert_int_equal(mode->list_req, 1);
    assert_string_equal(got(0, NULL), "ab"); /* none of the six bytes reached a client */
    assert_string_equal(said, "serial_rx: framed mode on\n");
}

static void entry_split_one_byte_per_run(void **state)
{
    (void)state;
    make(256, 256, 0);
    for (uint32_t i = 0; i < FRAME_ENTRY_LEN; i++) {
        line_in(&FRAME_ENTRY[i], 1);
        (void)rx_route_run(&r);
        assert_int_equal(r.framed, i == FRAME_ENTRY_LEN - 1);
    }
    assert_string_equal(got(0, NULL), "");
}

static void wrong_byte_after_ctrl_b_is_refused(void **state)
{
    (void)state;
    make(256, 256, 0);
    for (uint32_t bad = 2; bad < FRAME_ENTRY_LEN; bad++) {
        char seq[8];
        memcpy(seq, FRAME_ENTRY, FRAME_ENTRY_LEN);
        seq[bad] = 'x';
        said[0] = '\0';
        line_in(seq, bad + 1);
        line_in("z", 1);
        (void)rx_route_run(&r);
        assert_false(r.framed);
        assert_int_equal(mode->framed, 0);
        assert_string_equal(said, "serial_rx: switch refused: Ctrl-\\ takes a client number and Enter, or "
                                  "Ctrl-\\; input stays with client 0 (alpha)\n");
        assert_string_equal(got(0, NULL), "z");
    }
}

static void without_mode_region_ctrl_b_is_refused(void **state)
{
    (void)state;
    make(256, 256, 0);
    rx_route_set_mode(&r, NULL);
    line_in(FRAME_ENTRY, FRAME_ENTRY_LEN);
    (void)rx_route_run(&r);
    assert_false(r.framed);
    assert_string_equal(got(0, NULL), "FRM1"); /* Ctrl-B refused, the rest is input */
}

static void data_to_each_client(void **state)
{
    (void)state;
    make(256, 1024, 0);
    enter();
    frame_in('D', 2, "to gamma", 8);
    frame_in('D', 0, "to alpha \x1c\x00!", 12); /* Ctrl-\ and 0x00 are data here */
    frame_in('D', 1, "to beta", 7);
    struct rx_wake w = rx_route_run(&r);
    (void)w;
    size_t len;
    assert_string_equal(got(1, NULL), "to beta");
    assert_string_equal(got(2, NULL), "to gamma");
    const char *a = got(0, &len);
    assert_int_equal(len, 12);
    assert_memory_equal(a, "to alpha \x1c\x00!", 12);
    assert_int_equal(r.cur, 0); /* the plain mode's input client is untouched */
}

static void a_frame_split_at_every_position(void **state)
{
    (void)state;
    uint8_t w[FRAME_WIRE_MAX];
    uint32_t n = frame_encode('D', 1, (const uint8_t *)"split\r\n", 7, w, sizeof(w));
    for (uint32_t cut = 0; cut <= n; cut++) {
        make(256, 256, 0);
        enter();
        line_in(w, cut);
        (void)rx_route_run(&r);
        assert_string_equal(got(1, NULL), cut == n ? "split\r\n" : "");
        line_in(w + cut, n - cut);
        (void)rx_route_run(&r);
        assert_string_equal(got(1, NULL), cut == n ? "" : "split\r\n");
        assert_int_equal(r.dec.stats.discarded, 0);
        teardown(NULL);
    }
}

static void dropped_and_corrupted_bytes_never_misroute(void **state)
{
    (void)state;
    uint8_t a[FRAME_WIRE_MAX], b[FRAME_WIRE_MAX], line[2 * FRAME_WIRE_MAX];
    uint32_t na = frame_encode('D', 0, (const uint8_t *)"AAAA", 4, a, sizeof(a));
    uint32_t nb = frame_encode('D', 1, (const uint8_t *)"BBBB", 4, b, sizeof(b));
    for (uint32_t pos = 0; pos < na; pos++) {
        for (uint32_t kind = 0; kind < 2; kind++) { /* 0: the byte dropped, 1: its bits flipped */
            make(256, 256, 0);
            enter();
            memcpy(line, a, na);
            uint32_t n = na;
            if (kind == 0) {
                memmove(line + pos, line + pos + 1, na - pos - 1);
                n--;
            } else {
                line[pos] ^= 0x5a;
            }
            memcpy(line + n, b, nb);
            line_in(line, n + nb);
            (void)rx_route_run(&r);
            const char *a0 = got(0, NULL);
            assert_true(strcmp(a0, "") == 0); /* the damaged frame is lost, not misdelivered */
            /* the next frame arrives unless the damage took the first frame's 0x00 */
            if (pos != na - 1)
                assert_string_equal(got(1, NULL), "BBBB");
            else
                assert_true(strcmp(got(1, NULL), "") == 0 || strcmp(got(1, NULL), "BBBB") == 0);
            assert_int_equal(got(2, NULL)[0], '\0');
            assert_true(r.dec.stats.discarded >= 1);
            teardown(NULL);
        }
    }
}

static void unknown_client_or_type_discarded(void **state)
{
    (void)state;
    make(256, 1024, 0);
    enter();
    frame_in('D', 3, "nobody", 6);    /* client 3 does not exist */
    frame_in('D', 0xff, "system", 6); /* nor is the system a client for input */
    frame_in('X', 0, "what", 4);      /* unknown type */
    frame_in('S', 0, "\x01\x02", 2);  /* S with a short payload */
    frame_in('Q', 0, "", 0);          /* Q is the system's */
    frame_in('L', 0xff, "x", 1);      /* L with a payload */
    frame_in('D', 0, "ok", 2);
    (void)rx_route_run(&r);
    assert_int_equal(r.dec.stats.discarded, 6);
    assert_string_equal(got(0, NULL), "ok");
    assert_string_equal(got(1, NULL), "");
    assert_string_equal(got(2, NULL), "");
    assert_true(r.framed);
}

static void size_frame_reaches_the_window_word(void **state)
{
    (void)state;
    make(256, 256, 0);
    uint32_t seq;
    assert_int_equal(serial_queue_winsize(&crx[1].cons, &seq), 0);
    assert_int_equal(seq, 0);
    enter();
    const uint8_t sz[4] = { 120, 0, 40, 0 };
    frame_in('S', 1, sz, 4);
    struct rx_wake w = rx_route_run(&r);
    assert_int_equal(w.clients, 1u << 1); /* told whether it asked or not */
    assert_int_equal(serial_queue_winsize(&crx[1].cons, &seq), 120u << 16 | 40u);
    assert_int_equal(seq, 1);
    assert_int_equal(serial_queue_winsize(&crx[0].cons, NULL), 0);
    const uint8_t big[4] = { 0x2c, 0x01, 0x64, 0x00 }; /* 300 x 100 */
    frame_in('S', 1, big, 4);
    (void)rx_route_run(&r);
    assert_int_equal(serial_queue_winsize(&crx[1].cons, &seq), 300u << 16 | 100u);
    assert_int_equal(seq, 2);
    assert_string_equal(got(1, NULL), ""); /* no byte of input */
}

static void list_request_goes_to_tx(void **state)
{
    (void)state;
    make(256, 256, 0);
    enter();
    frame_in('L', 0xff, "", 0);
    struct rx_wake w = rx_route_run(&r);
    assert_true(w.tx);
    assert_int_equal(mode->list_req, 2);
}

static void leave_restores_plain_mode(void **state)
{
    (void)state;
    make(256, 256, 0);
    line_in(KEYS_SWITCH_TO_1, sizeof(KEYS_SWITCH_TO_1) - 1);
    enter();
    frame_in('Q', 0xff, "", 0);
    line_in("plain", 5); /* after Q: plain bytes, to the input client as before */
    struct rx_wake w = rx_route_run(&r);
    assert_true(w.tx);
    assert_false(r.framed);
    assert_int_equal(mode->framed, 0);
    assert_string_equal(got(1, NULL), "plain");
    /* and the keys work again */
    line_in("\x1c"
            "2\r",
            3);
    line_in("x", 1);
    (void)rx_route_run(&r);
    assert_string_equal(got(2, NULL), "x");
}

static void full_client_holds_the_frame_and_the_line(void **state)
{
    (void)state;
    make(16, 1024, 0);
    enter();
    frame_in('D', 0, "0123456789abcdefXYZ", 19); /* 3 more than the ring holds */
    frame_in('D', 1, "next", 4);
    (void)rx_route_run(&r);
    assert_string_equal(got(1, NULL), ""); /* held behind client 0's frame */
    assert_true(serial_queue_filled(&rdrv.cons) > 0);
    size_t len;
    char first[32];
    strcpy(first, got(0, &len));
    assert_int_equal(len, 16);
    struct rx_wake w = rx_route_run(&r); /* the client read: it notifies RX */
    (void)w;
    assert_string_equal(got(0, NULL), "XYZ");
    assert_string_equal(got(1, NULL), "next");
    assert_int_equal(r.stats.dropped, 0);
}

static void plain_mode_unchanged_with_mode_region(void **state)
{
    (void)state;
    make(256, 256, 0);
    line_in("hello\x1c\x1c"
            "1\r\nworld",
            15);
    (void)rx_route_run(&r);
    assert_string_equal(got(0, NULL), "hello\x1c"
                                      "1\r\nworld");
    assert_false(r.framed);
    assert_int_equal(mode->framed, 0);
}

/* ---- TX ---- */

/* Runs TX and the "driver" until both are idle; the line's bytes appended to out. */
static uint32_t tx_line(uint8_t *out, uint32_t cap)
{
    uint32_t n = 0;
    for (int i = 0; i < 1000; i++) {
        (void)tx_mux_run(&m);
        uint32_t k = serial_queue_read(&tdrv.cons, out + n, cap - n);
        n += k;
        if (k == 0)
            break;
    }
    return n;
}

struct decoded {
    uint32_t n;
    struct frame f[64];
    uint8_t p[64][FRAME_PAYLOAD_MAX];
    uint32_t discarded;
};

static void decode(const uint8_t *b, uint32_t n, struct decoded *d)
{
    struct frame_decoder dec;
    frame_decoder_init(&dec);
    d->n = 0;
    while (n > 0) {
        uint32_t used;
        struct frame f;
        if (frame_feed(&dec, b, n, &used, &f) && d->n < 64) {
            d->f[d->n] = f;
            memcpy(d->p[d->n], f.payload, f.len);
            d->f[d->n].payload = d->p[d->n];
            d->n++;
        }
        b += used;
        n -= used;
    }
    d->discarded = (uint32_t)dec.stats.discarded;
}

static void tx_enters_with_the_client_list(void **state)
{
    (void)state;
    static uint8_t out[8192];
    static struct decoded d;
    make(256, 256, SERIAL_TX_F_COLOUR | SERIAL_TX_F_PREFIX | SERIAL_TX_F_BANNER);
    (void)tx_line(out, sizeof(out)); /* the banner, in plain mode */
    ring_put(&ctx[0], "before\n");
    uint32_t n = tx_line(out, sizeof(out));
    assert_memory_equal(out, "\033[32malpha: before\n\033[0m", n);
    enter();
    ring_put(&ctx[1], "hi\r\n");
    n = tx_line(out, sizeof(out));
    assert_int_equal(out[0], 0); /* a 0x00 before the first frame */
    decode(out, n, &d);
    assert_int_equal(d.n, 2);
    assert_int_equal(d.f[0].type, 'L');
    assert_int_equal(d.f[0].client, 0xff);
    assert_int_equal(d.f[0].len, 3 * 2 + 5 + 4 + 5);
    assert_memory_equal(d.f[0].payload,
                        "\x00\x05"
                        "alpha\x01\x04"
                        "beta\x02\x05"
                        "gamma",
                        d.f[0].len);
    /* the D frame of docs/serial.md's first worked example, byte for byte */
    const uint8_t ex[] = { 0x0b, 0x44, 0x01, 0x68, 0x69, 0x0d, 0x0a, 0x79, 0x78, 0x84, 0xf4, 0x00 };
    assert_memory_equal(out + n - sizeof(ex), ex, sizeof(ex));
    assert_null(memchr(out, 0x1b, n));       /* no colour */
    assert_null(memmem(out, n, "beta:", 5)); /* no prefix */
    /* a list on request */
    frame_in('L', 0xff, "", 0);
    (void)rx_route_run(&r);
    n = tx_line(out, sizeof(out));
    decode(out, n, &d);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.f[0].type, 'L');
}

static void tx_frames_per_client_and_log_as_system(void **state)
{
    (void)state;
    static uint8_t out[65536], want[3][4096];
    static struct decoded d;
    size_t wl[3] = { 0 };
    make(256, 128, SERIAL_TX_F_COLOUR); /* the smallest driver ring: frames go out in pieces */
    enter();
    (void)tx_line(out, sizeof(out));
    uint32_t total = 0;
    for (int round = 0; round < 3; round++) {
        char l[600];
        memset(l, 'a' + round, sizeof(l));
        l[599] = '\n';
        assert_int_equal(ring_putn(&ctx[0], l, 600), 600); /* longer than a frame and a line */
        memcpy(want[0] + wl[0], l, 600);
        wl[0] += 600;
        assert_int_equal(ring_putn(&ctx[2], "g\x00g\n", 4), 4);
        memcpy(want[2] + wl[2], "g\x00g\n", 4);
        wl[2] += 4;
        ring_put(&logr, "kernel: hello\n");
        uint32_t n = tx_line(out + total, sizeof(out) - total);
        total += n;
    }
    decode(out, total, &d);
    if (getenv("DEBUG"))
        for (uint32_t i = 0; i < d.n; i++)
            fprintf(stderr, "frame %u client %u len %u\n", i, d.f[i].client, d.f[i].len);
    assert_int_equal(d.discarded, 0);
    uint8_t back[3][4096];
    size_t bl[3] = { 0 }, logn = 0;
    for (uint32_t i = 0; i < d.n; i++) {
        assert_int_equal(d.f[i].type, 'D');
        assert_true(d.f[i].len <= FRAME_PAYLOAD_MAX && d.f[i].len > 0);
        if (d.f[i].client == 0xff) {
            assert_memory_equal(d.f[i].payload, "kernel: hello\n", 14);
            logn++;
            continue;
        }
        assert_true(d.f[i].client < 3);
        memcpy(back[d.f[i].client] + bl[d.f[i].client], d.f[i].payload, d.f[i].len);
        bl[d.f[i].client] += d.f[i].len;
    }
    assert_int_equal(logn, 3);
    for (int c = 0; c < 3; c++) {
        assert_int_equal(bl[c], wl[c]);
        assert_memory_equal(back[c], want[c], wl[c]);
    }
    assert_int_equal(m.stats.dropped, 0);
}

static void tx_leaves_and_colours_again(void **state)
{
    (void)state;
    static uint8_t out[4096];
    make(256, 256, SERIAL_TX_F_COLOUR | SERIAL_TX_F_PREFIX);
    enter();
    ring_put(&ctx[0], "$ ");
    (void)tx_line(out, sizeof(out));
    frame_in('Q', 0xff, "", 0);
    (void)rx_route_run(&r);
    ring_put(&ctx[0], "ls\n");
    uint32_t n = tx_line(out, sizeof(out));
    assert_int_equal(n, strlen("\033[32malpha: ls\n\033[0m"));
    assert_memory_equal(out, "\033[32malpha: ls\n\033[0m", n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(entry_sequence_switches_rx_and_tells_tx, teardown),
        cmocka_unit_test_teardown(entry_split_one_byte_per_run, teardown),
        cmocka_unit_test_teardown(wrong_byte_after_ctrl_b_is_refused, teardown),
        cmocka_unit_test_teardown(without_mode_region_ctrl_b_is_refused, teardown),
        cmocka_unit_test_teardown(data_to_each_client, teardown),
        cmocka_unit_test(a_frame_split_at_every_position),
        cmocka_unit_test(dropped_and_corrupted_bytes_never_misroute),
        cmocka_unit_test_teardown(unknown_client_or_type_discarded, teardown),
        cmocka_unit_test_teardown(size_frame_reaches_the_window_word, teardown),
        cmocka_unit_test_teardown(list_request_goes_to_tx, teardown),
        cmocka_unit_test_teardown(leave_restores_plain_mode, teardown),
        cmocka_unit_test_teardown(full_client_holds_the_frame_and_the_line, teardown),
        cmocka_unit_test_teardown(plain_mode_unchanged_with_mode_region, teardown),
        cmocka_unit_test_teardown(tx_enters_with_the_client_list, teardown),
        cmocka_unit_test_teardown(tx_frames_per_client_and_log_as_system, teardown),
        cmocka_unit_test_teardown(tx_leaves_and_colours_again, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

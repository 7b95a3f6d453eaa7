/*
 * The TX virtualiser's logic (serial_virt/tx_mux.c, tx_setup.c, tx_banner.c) against rings in
 * memory: the exact bytes of colour, prefix and banner; one line per turn, so a flooding client
 * does not hold back another's line and no line within TX_LINE_MAX is torn; what happens to an
 * open line (a prompt) when another source takes over; the log ring as one more source; waiting
 * for a full driver ring with nothing lost; the signal flags; hostile ring indices.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rings.h"
#include "tx_setup.h"

#define R   "\033[0m"
#define C0  "\033[32m"
#define C1  "\033[33m"
#define CAP (1u << 20)

static struct serial_tx_config cfg;
static struct ring drv, logr, cl[SERIAL_MAX_CLIENTS];
static struct tx_mux m;
static char banner[TX_BANNER_MAX];
static char out[CAP]; /* what the driver took */
static size_t out_len;
static char said[4096]; /* what the mux reported through say */
static size_t said_len;
static uint32_t nclients;

static void say(void *ctx, const char *line)
{
    (void)ctx;
    size_t n = strlen(line);
    if (said_len + n >= sizeof(said))
        said_len = 0; /* the random test says a lot: keep the latest */
    memcpy(said + said_len, line, n + 1);
    said_len += n;
}

/* n clients "alpha", "beta", ... with rings of csize, a driver ring of dsize, a log of lsize (0:
 * none), the given flags. */
static void make(uint32_t n, uint32_t csize, uint32_t dsize, uint32_t lsize, uint32_t flags)
{
    static const char *names[] = { "alpha", "beta", "gamma", "delta" };
    memset(&cfg, 0, sizeof(cfg));
    cfg.magic = SERIAL_TX_MAGIC;
    cfg.version = SERIAL_CONFIG_VERSION;
    cfg.flags = flags;
    cfg.num_clients = n;
    ring_new(&drv, dsize);
    cfg.driver = ring_ref(&drv, 0);
    if (lsize != 0) {
        ring_new(&logr, lsize);
        cfg.log = ring_ref(&logr, 1);
    }
    for (uint32_t i = 0; i < n; i++) {
        ring_new(&cl[i], csize);
        cfg.clients[i] = ring_ref(&cl[i], 2 + i);
        snprintf(cfg.names[i], SERIAL_NAME_LEN, "%s", i < 4 ? names[i] : "other");
    }
    nclients = n;
    char whybuf[128];
    struct sv_text why;
    sv_text_init(&why, whybuf, sizeof(whybuf));
    if (!tx_setup(&m, &cfg, banner, &why))
        fail_msg("setup refused: %s", whybuf);
    m.say = say;
    out_len = 0;
    out[0] = '\0';
    said_len = 0;
    said[0] = '\0';
}

static int teardown(void **state)
{
    (void)state;
    ring_free(&drv);
    if (logr.mem != NULL)
        ring_free(&logr);
    for (uint32_t i = 0; i < nclients; i++)
        ring_free(&cl[i]);
    return 0;
}

/* The driver takes everything. */
static void drain(void)
{
    while (ring_take(&drv, out, &out_len, CAP, UINT32_MAX) > 0)
        ;
}

/* Runs the mux and lets the driver take everything, until nothing moves. */
static struct tx_wake run_all(void)
{
    struct tx_wake all = { 0, false };
    for (int i = 0; i < 10000; i++) {
        struct tx_wake w = tx_mux_run(&m);
        all.clients |= w.clients;
        all.driver |= w.driver;
        size_t before = out_len;
        drain();
        if (out_len == before)
            return all;
    }
    fail_msg("the mux does not settle");
    return all;
}

static void expect_out(const char *want)
{
    if (strcmp(out, want) != 0)
        fail_msg("driver got\n  \"%s\"\nexpected\n  \"%s\"", out, want);
}

static void plain_bytes_pass_unchanged(void **state)
{
    (void)state;
    make(1, 64, 256, 0, 0);
    ring_put(&cl[0], "hello\r\nworld");
    run_all();
    expect_out("hello\r\nworld");
    assert_int_equal(m.stats.bytes, 12);
    assert_int_equal(m.stats.dropped, 0);
}

static void colour_wraps_each_span_and_resets_at_idle(void **state)
{
    (void)state;
    make(2, 64, 256, 0, SERIAL_TX_F_COLOUR);
    ring_put(&cl[0], "a\n");
    ring_put(&cl[1], "b\n");
    run_all();
    expect_out(C0 "a\n" R C1 "b\n" R);
}

static void one_client_lines_share_one_colour_span(void **state)
{
    (void)state;
    make(2, 64, 256, 0, SERIAL_TX_F_COLOUR);
    ring_put(&cl[0], "a\nb\nc\n");
    run_all();
    expect_out(C0 "a\nb\nc\n" R);
}

static void prefix_at_every_line_start(void **state)
{
    (void)state;
    make(2, 64, 256, 0, SERIAL_TX_F_PREFIX);
    ring_put(&cl[0], "x\r\ny\r\n");
    ring_put(&cl[1], "z\r\n");
    run_all();
    /* one line per turn, round-robin: alpha's second line after beta's first */
    expect_out("alpha: x\r\nbeta: z\r\nalpha: y\r\n");
}

static void colour_and_prefix_together(void **state)
{
    (void)state;
    make(2, 64, 256, 0, SERIAL_TX_F_COLOUR | SERIAL_TX_F_PREFIX);
    ring_put(&cl[1], "z\n");
    run_all();
    expect_out(C1 "beta: z\n" R);
}

static void palette_gives_neighbours_different_colours(void **state)
{
    (void)state;
    for (uint32_t i = 0; i + 1 < SERIAL_MAX_CLIENTS; i++)
        assert_string_not_equal(tx_palette(i), tx_palette(i + 1));
    assert_string_equal(tx_palette(0), C0);
    assert_string_equal(tx_palette(1), C1);
}

static void banner_comes_first_with_names_numbers_and_keys(void **state)
{
    (void)state;
    make(2, 64, 128, 0, SERIAL_TX_F_BANNER | SERIAL_TX_F_COLOUR);
    ring_put(&cl[0], "hi\n");
    run_all(); /* the banner is longer than the driver ring: it goes out in pieces */
    expect_out("serial: 2 clients, input goes to one at a time:\r\n"
               "serial:   " C0 "0 alpha" R "\r\n"
               "serial:   " C1 "1 beta" R "\r\n"
               "serial: switch input with Ctrl-\\ then the client's number then Enter; "
               "Ctrl-\\ Ctrl-\\ sends one Ctrl-\\\r\n" C0 "hi\n" R);
}

static void banner_without_colour(void **state)
{
    (void)state;
    make(1, 64, 128, 0, SERIAL_TX_F_BANNER);
    run_all();
    expect_out("serial: 1 client, input goes to one at a time:\r\n"
               "serial:   0 alpha\r\n"
               "serial: switch input with Ctrl-\\ then the client's number then Enter; "
               "Ctrl-\\ Ctrl-\\ sends one Ctrl-\\\r\n");
}

/* The longest banner (every client, the longest names, in colour) is not cut. */
static void longest_banner_fits(void **state)
{
    (void)state;
    static char buf[TX_BANNER_MAX];
    make(SERIAL_MAX_CLIENTS, 16, 128, 0, SERIAL_TX_F_BANNER | SERIAL_TX_F_COLOUR);
    for (uint32_t i = 0; i < SERIAL_MAX_CLIENTS; i++) {
        memset(cfg.names[i], 'n', SERIAL_NAME_LEN - 1);
        cfg.names[i][SERIAL_NAME_LEN - 1] = '\0';
    }
    uint32_t len = tx_banner(buf, sizeof(buf), &cfg);
    assert_true(len < sizeof(buf) - 1);
    assert_int_equal(len, strlen(buf));
    const char *tail = "Ctrl-\\ Ctrl-\\ sends one Ctrl-\\\r\n";
    assert_string_equal(buf + len - strlen(tail), tail);
    char last[96];
    snprintf(last, sizeof(last), "serial:   %s15 %s" R "\r\n", tx_palette(15), cfg.names[15]);
    assert_non_null(strstr(buf, last));
}

static void no_banner_without_its_flag(void **state)
{
    (void)state;
    make(1, 64, 128, 0, SERIAL_TX_F_COLOUR);
    run_all();
    expect_out("");
}

/*
 * Client 0 floods 80-byte lines through a slow driver (64 bytes per step) and refills its ring
 * whenever it can; client 1 writes one line. That line must appear whole, within the fairness
 * bound of the bytes the driver took after it was written, and no flood line may be torn.
 */
static void flood_does_not_hold_back_another_line(void **state)
{
    (void)state;
    char line[81];
    memset(line, 'A', 79);
    line[79] = '\n';
    line[80] = '\0';
    make(2, 4096, 128, 0, 0);
    while (serial_queue_space(&cl[0].prod) >= 80)
        ring_put(&cl[0], line);
    tx_mux_run(&m);
    ring_take(&drv, out, &out_len, CAP, 64);
    size_t written_at = out_len;
    ring_put(&cl[1], "beta's line\n");
    for (int i = 0; i < 2000; i++) {
        while (serial_queue_space(&cl[0].prod) >= 80)
            ring_put(&cl[0], line);
        tx_mux_run(&m);
        ring_take(&drv, out, &out_len, CAP, 64);
    }
    const char *b = strstr(out, "beta's line\n");
    assert_non_null(b);
    size_t at = (size_t)(b - out);
    /* the open line may finish, then at most one line of every other source */
    assert_true(at - written_at <= 2 * (TX_LINE_MAX + TX_DECO_MAX));
    assert_true(b == out || b[-1] == '\n');
    /* every other line is a whole flood line */
    size_t n = 0;
    for (const char *p = out; p < out + out_len;) {
        const char *nl = memchr(p, '\n', (size_t)(out + out_len - p));
        if (nl == NULL)
            break;
        if (p != b) {
            assert_int_equal(nl - p + 1, 80);
            assert_int_equal(strspn(p, "A"), 79);
        }
        n++;
        p = nl + 1;
    }
    assert_true(n > 500);
    assert_int_equal(m.stats.breaks, 0);
}

/* Two clients flooding get turns in alternation: never two lines of one while the other waits. */
static void two_floods_alternate_line_by_line(void **state)
{
    (void)state;
    make(2, 256, 128, 0, SERIAL_TX_F_PREFIX);
    for (int i = 0; i < 20; i++) {
        ring_put(&cl[0], "0000\n");
        ring_put(&cl[1], "1111\n");
    }
    run_all();
    const char *p = out;
    for (int i = 0; i < 20; i++) {
        assert_memory_equal(p, "alpha: 0000\nbeta: 1111\n", 23);
        p += 23;
    }
    assert_int_equal(*p, '\0');
}

/* A line longer than TX_LINE_MAX may be broken there (and only there) for another source. */
static void long_line_is_cut_at_the_bound(void **state)
{
    (void)state;
    char big[601];
    memset(big, 'L', 600);
    big[600] = '\0';
    make(2, 1024, 1024, 0, SERIAL_TX_F_PREFIX);
    ring_put(&cl[0], big);
    ring_put(&cl[0], "\n");
    ring_put(&cl[1], "b\n");
    run_all();
    char want[1024];
    snprintf(want, sizeof(want), "alpha: %.*s\r\nbeta: b\nalpha: %.*s\n", TX_LINE_MAX, big, 600 - TX_LINE_MAX,
             big);
    expect_out(want);
    assert_int_equal(m.stats.breaks, 1);
}

/* Alone, a long line is not broken at all. */
static void long_line_alone_stays_whole(void **state)
{
    (void)state;
    char big[1001];
    memset(big, 'L', 1000);
    big[1000] = '\n';
    make(2, 2048, 128, 0, SERIAL_TX_F_PREFIX);
    ring_putn(&cl[0], big, 1001);
    run_all();
    assert_int_equal(out_len, 7 + 1001);
    assert_memory_equal(out, "alpha: ", 7);
    assert_memory_equal(out + 7, big, 1001);
}

/*
 * A client stops mid-line (a prompt) while another writes: TX ends the prompt's line ("\r\n"),
 * the other's line follows, and the prompt owner's next bytes start a line of their own again.
 */
static void prompt_is_ended_when_another_writes(void **state)
{
    (void)state;
    make(2, 64, 256, 0, SERIAL_TX_F_PREFIX | SERIAL_TX_F_COLOUR);
    ring_put(&cl[0], "$ ");
    run_all();
    expect_out(C0 "alpha: $ " R);
    ring_put(&cl[1], "news\n");
    run_all();
    ring_put(&cl[0], "ls\n");
    run_all();
    expect_out(C0 "alpha: $ " R "\r\n" C1 "beta: news\n" R C0 "alpha: ls\n" R);
    assert_int_equal(m.stats.breaks, 1);
}

/* Nobody else writes: the prompt's line goes on (the echo of what was typed after it). */
static void prompt_goes_on_when_alone(void **state)
{
    (void)state;
    make(2, 64, 256, 0, SERIAL_TX_F_PREFIX | SERIAL_TX_F_COLOUR);
    ring_put(&cl[0], "$ ");
    run_all();
    ring_put(&cl[0], "ls\n");
    run_all();
    expect_out(C0 "alpha: $ " R C0 "ls\n" R);
    assert_int_equal(m.stats.breaks, 0);
}

/* The open line's owner goes first when it has bytes, even when another source waits too. */
static void open_line_owner_finishes_first(void **state)
{
    (void)state;
    make(2, 64, 256, 0, SERIAL_TX_F_PREFIX);
    ring_put(&cl[0], "par");
    tx_mux_run(&m);
    ring_put(&cl[1], "b\n");
    ring_put(&cl[0], "tial\n");
    run_all();
    expect_out("alpha: partial\nbeta: b\n");
}

/* The log: no colour, no prefix, never torn, one more turn in the round-robin. */
static void log_is_one_more_source(void **state)
{
    (void)state;
    make(1, 256, 512, 1024, SERIAL_TX_F_PREFIX | SERIAL_TX_F_COLOUR);
    char kline[201];
    memset(kline, 'k', 198);
    memcpy(kline + 198, "\r\n", 3);
    ring_put(&logr, kline);
    ring_put(&logr, "kernel: two\r\n");
    ring_put(&cl[0], "one\r\n");
    ring_put(&cl[0], "two\r\n");
    run_all();
    char want[1024];
    snprintf(want, sizeof(want), C0 "alpha: one\r\n" R "%s" C0 "alpha: two\r\n" R "kernel: two\r\n", kline);
    expect_out(want);
    assert_int_equal(m.stats.breaks, 0);
}

/* TX never asks the kernel for anything: the log's producer_signal is not TX's to answer. */
static void log_is_never_notified(void **state)
{
    (void)state;
    make(1, 64, 256, 64, 0);
    ring_put(&logr, "kernel: x\r\n");
    ring_ctrl(&logr)->producer_signal = 1;
    struct tx_wake w = run_all();
    assert_int_equal(w.clients, 0);
    assert_int_equal(ring_ctrl(&logr)->producer_signal, 1);
    expect_out("kernel: x\r\n");
}

/* Idle: every source's consumer_signal is set, so each notifies when it writes. */
static void idle_arms_every_source(void **state)
{
    (void)state;
    make(3, 64, 256, 64, 0);
    ring_put(&cl[1], "x\n");
    run_all();
    for (uint32_t i = 0; i < 3; i++)
        assert_int_equal(ring_ctrl(&cl[i])->consumer_signal, 1);
    assert_int_equal(ring_ctrl(&logr)->consumer_signal, 1);
}

/* The driver is notified only when it asked (its consumer_signal), and then once. */
static void driver_notified_only_when_it_asked(void **state)
{
    (void)state;
    make(1, 64, 256, 0, 0);
    ring_put(&cl[0], "a\n");
    struct tx_wake w = tx_mux_run(&m);
    assert_false(w.driver);
    ring_ctrl(&drv)->consumer_signal = 1;
    ring_put(&cl[0], "b\n");
    w = tx_mux_run(&m);
    assert_true(w.driver);
    assert_int_equal(ring_ctrl(&drv)->consumer_signal, 0);
    w = tx_mux_run(&m);
    assert_false(w.driver); /* nothing written */
}

/* A client that found its ring full (producer_signal) is notified once TX has freed space. */
static void client_notified_only_when_it_asked(void **state)
{
    (void)state;
    make(2, 16, 256, 0, 0);
    ring_put(&cl[0], "0123456789abcde\n");
    assert_true(serial_queue_producer_block(&cl[0].prod));
    ring_put(&cl[1], "x\n");
    struct tx_wake w = tx_mux_run(&m);
    assert_int_equal(w.clients, 1u << 0);
    assert_int_equal(ring_ctrl(&cl[0])->producer_signal, 0);
    ring_put(&cl[0], "y\n");
    w = tx_mux_run(&m);
    assert_int_equal(w.clients, 0);
}

/* A waiting client hears once half its ring is free, not after every few bytes. */
static void client_notified_once_half_its_ring_is_free(void **state)
{
    (void)state;
    make(1, 256, 128, 0, 0);
    char line[65];
    memset(line, 'x', 63);
    line[63] = '\n';
    line[64] = '\0';
    for (int i = 0; i < 4; i++)
        ring_put(&cl[0], line);
    assert_true(serial_queue_producer_block(&cl[0].prod)); /* full: it waits */
    struct tx_wake w = tx_mux_run(&m);                     /* 128 bytes taken: half full */
    assert_int_equal(w.clients, 1u << 0);
    ring_put(&cl[0], line);
    ring_put(&cl[0], line);
    assert_true(serial_queue_producer_block(&cl[0].prod));
    drain();
    w = tx_mux_run(&m); /* 128 more taken, 128 left: half full again */
    assert_int_equal(w.clients, 1u << 0);
    ring_put(&cl[0], line);
    ring_put(&cl[0], line);
    assert_true(serial_queue_producer_block(&cl[0].prod)); /* full again */
    ring_take(&drv, out, &out_len, CAP, 32);
    w = tx_mux_run(&m); /* 32 bytes taken: still more than half full, no notification yet */
    assert_int_equal(w.clients, 0);
    assert_int_equal(ring_ctrl(&cl[0])->producer_signal, 1);
    drain();
    w = tx_mux_run(&m);
    assert_int_equal(w.clients, 1u << 0);
}

/* A full driver ring: TX sets its producer_signal and waits; nothing is lost or reordered. */
static void full_driver_holds_everything_back(void **state)
{
    (void)state;
    char in[2][1200];
    size_t inl[2] = { 0, 0 };
    make(2, 2048, 128, 0, 0);
    for (int i = 0; i < 40; i++)
        for (int c = 0; c < 2; c++) {
            char line[32];
            int n = snprintf(line, sizeof(line), "%c%d line %d\n", 'a' + c, c, i);
            memcpy(in[c] + inl[c], line, (size_t)n);
            inl[c] += (size_t)n;
            assert_int_equal(ring_put(&cl[c], line), n);
        }
    struct tx_wake w = tx_mux_run(&m);
    assert_int_equal(serial_queue_space(&drv.cons), 0);
    assert_int_equal(ring_ctrl(&drv)->producer_signal, 1);
    assert_false(w.driver);
    size_t steps = 0;
    while (!serial_queue_empty(&drv.cons) || !serial_queue_empty(&cl[0].cons) ||
           !serial_queue_empty(&cl[1].cons)) {
        /* the driver drains some, sees TX asked, and notifies it */
        ring_take(&drv, out, &out_len, CAP, 50);
        if (serial_queue_consumer_must_notify(&drv.cons))
            tx_mux_run(&m);
        assert_true(++steps < 1000);
    }
    /* each client's lines arrive in its own order, whole */
    for (int c = 0; c < 2; c++) {
        size_t got = 0;
        char mine[1200];
        for (const char *p = out; *p != '\0';) {
            const char *nl = strchr(p, '\n');
            assert_non_null(nl);
            if (*p == 'a' + c) {
                memcpy(mine + got, p, (size_t)(nl - p + 1));
                got += (size_t)(nl - p + 1);
            }
            p = nl + 1;
        }
        assert_int_equal(got, inl[c]);
        assert_memory_equal(mine, in[c], got);
    }
    assert_true(m.stats.blocked > 0);
    assert_int_equal(m.stats.dropped, 0);
}

/* A decoration is never separated from the byte it announces, however little space there is. */
static void decoration_waits_with_its_line(void **state)
{
    (void)state;
    make(2, 64, 128, 0, SERIAL_TX_F_PREFIX | SERIAL_TX_F_COLOUR);
    ring_put(&cl[0], "$ ");
    run_all();
    out_len = 0;
    out[0] = '\0';
    /* fill the driver ring up to 3 bytes, then let beta write */
    char fill[125];
    memset(fill, '.', sizeof(fill));
    assert_int_equal(serial_queue_write(&drv.prod, fill, sizeof(fill)), sizeof(fill));
    ring_put(&cl[1], "b\n");
    tx_mux_run(&m); /* beta's decoration is under way: alpha's bytes must wait behind its line */
    ring_put(&cl[0], "ls\n");
    for (int i = 0; i < 100; i++) {
        ring_take(&drv, out, &out_len, CAP, 3);
        tx_mux_run(&m);
    }
    drain();
    assert_int_equal(out_len, 125 + strlen("\r\n" C1 "beta: b\n" R C0 "alpha: ls\n" R));
    assert_string_equal(out + 125, "\r\n" C1 "beta: b\n" R C0 "alpha: ls\n" R);
}

/* Hostile indices on one client: it is skipped (reported once), the others go on. */
static void corrupt_client_is_skipped_and_reported(void **state)
{
    (void)state;
    make(2, 64, 256, 0, 0);
    ring_put(&cl[0], "lost?\n");
    ring_ctrl(&cl[0])->tail = ring_ctrl(&cl[0])->head + 65; /* more than the ring holds */
    ring_put(&cl[1], "fine\n");
    run_all();
    expect_out("fine\n");
    assert_string_equal(said, "serial_tx: client 0: ring indices corrupt, its output is skipped\n");
    run_all();
    assert_int_equal(m.stats.corrupt, 1); /* reported once, not on every run */
    ring_ctrl(&cl[0])->tail = ring_ctrl(&cl[0])->head + 3;
    run_all();
    assert_non_null(strstr(said, "serial_tx: client 0: ring indices sane again\n"));
}

/* Random indices on every ring, again and again: nothing is read or written out of bounds. */
static void random_indices_stay_in_bounds(void **state)
{
    (void)state;
    make(3, 32, 128, 64, SERIAL_TX_F_PREFIX | SERIAL_TX_F_COLOUR | SERIAL_TX_F_BANNER);
    uint32_t seed = 12345;
    for (int i = 0; i < 20000; i++) {
        struct ring *r[5] = { &cl[0], &cl[1], &cl[2], &logr, &drv };
        seed = seed * 1103515245u + 12345u;
        struct serial_queue_ctrl *c = ring_ctrl(r[seed % 5]);
        seed = seed * 1103515245u + 12345u;
        uint32_t v = seed;
        switch ((seed >> 8) % 4) {
        case 0: c->head = v; break;
        case 1: c->tail = v; break;
        case 2: c->tail = c->head + v % 40; break;
        default: c->head = c->tail - v % 40; break;
        }
        tx_mux_run(&m);
        if (i % 7 == 0) {
            out_len = 0;
            drain();
        }
    }
    assert_true(m.stats.corrupt > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(plain_bytes_pass_unchanged, teardown),
        cmocka_unit_test_teardown(colour_wraps_each_span_and_resets_at_idle, teardown),
        cmocka_unit_test_teardown(one_client_lines_share_one_colour_span, teardown),
        cmocka_unit_test_teardown(prefix_at_every_line_start, teardown),
        cmocka_unit_test_teardown(colour_and_prefix_together, teardown),
        cmocka_unit_test(palette_gives_neighbours_different_colours),
        cmocka_unit_test_teardown(banner_comes_first_with_names_numbers_and_keys, teardown),
        cmocka_unit_test_teardown(banner_without_colour, teardown),
        cmocka_unit_test_teardown(longest_banner_fits, teardown),
        cmocka_unit_test_teardown(no_banner_without_its_flag, teardown),
        cmocka_unit_test_teardown(flood_does_not_hold_back_another_line, teardown),
        cmocka_unit_test_teardown(two_floods_alternate_line_by_line, teardown),
        cmocka_unit_test_teardown(long_line_is_cut_at_the_bound, teardown),
        cmocka_unit_test_teardown(long_line_alone_stays_whole, teardown),
        cmocka_unit_test_teardown(prompt_is_ended_when_another_writes, teardown),
        cmocka_unit_test_teardown(prompt_goes_on_when_alone, teardown),
        cmocka_unit_test_teardown(open_line_owner_finishes_first, teardown),
        cmocka_unit_test_teardown(log_is_one_more_source, teardown),
        cmocka_unit_test_teardown(log_is_never_notified, teardown),
        cmocka_unit_test_teardown(idle_arms_every_source, teardown),
        cmocka_unit_test_teardown(driver_notified_only_when_it_asked, teardown),
        cmocka_unit_test_teardown(client_notified_only_when_it_asked, teardown),
        cmocka_unit_test_teardown(client_notified_once_half_its_ring_is_free, teardown),
        cmocka_unit_test_teardown(full_driver_holds_everything_back, teardown),
        cmocka_unit_test_teardown(decoration_waits_with_its_line, teardown),
        cmocka_unit_test_teardown(corrupt_client_is_skipped_and_reported, teardown),
        cmocka_unit_test_teardown(random_indices_stay_in_bounds, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

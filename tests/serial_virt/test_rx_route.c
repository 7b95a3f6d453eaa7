/*
 * The RX virtualiser's logic (serial_virt/rx_route.c, rx_setup.c) against rings in memory: input
 * to the current client only; the switch sequence, Ctrl-\ Ctrl-\, refused sequences and their
 * exact messages, sequences split across notifications; hold-off at a full client with nothing
 * lost or reordered; the signal flags; hostile ring indices.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rings.h"
#include "rx_setup.h"

#define KEY "\x1c"

static struct serial_rx_config cfg;
static struct ring drv, cl[SERIAL_MAX_CLIENTS];
static struct rx_route r;
static uint32_t nclients;
static char said[8192];
static size_t said_len;

static void say(void *ctx, const char *line)
{
    (void)ctx;
    size_t n = strlen(line);
    if (said_len + n >= sizeof(said))
        said_len = 0; /* the random test says a lot: keep the latest */
    memcpy(said + said_len, line, n + 1);
    said_len += n;
}

static void make(uint32_t n, uint32_t csize, uint32_t dsize, uint32_t initial)
{
    static const char *names[] = { "alpha", "beta", "gamma" };
    memset(&cfg, 0, sizeof(cfg));
    cfg.magic = SERIAL_RX_MAGIC;
    cfg.version = SERIAL_CONFIG_VERSION;
    cfg.num_clients = n;
    cfg.initial_client = initial;
    ring_new(&drv, dsize);
    cfg.driver = ring_ref(&drv, 0);
    for (uint32_t i = 0; i < n; i++) {
        ring_new(&cl[i], csize);
        cfg.clients[i] = ring_ref(&cl[i], 1 + i);
        snprintf(cfg.names[i], SERIAL_NAME_LEN, "%s", i < 3 ? names[i] : "c");
    }
    nclients = n;
    char whybuf[128];
    struct sv_text why;
    sv_text_init(&why, whybuf, sizeof(whybuf));
    if (!rx_setup(&r, &cfg, &why))
        fail_msg("setup refused: %s", whybuf);
    r.say = say;
    said_len = 0;
    said[0] = '\0';
}

static int teardown(void **state)
{
    (void)state;
    ring_free(&drv);
    for (uint32_t i = 0; i < nclients; i++)
        ring_free(&cl[i]);
    return 0;
}

/* What client i has received (and consumed here), as a string. */
static const char *got(uint32_t i)
{
    static char buf[4][70000];
    size_t len = 0;
    while (ring_take(&cl[i], buf[i % 4], &len, sizeof(buf[0]), UINT32_MAX) > 0)
        ;
    buf[i % 4][len] = '\0';
    return buf[i % 4];
}

/* Typed bytes arrive from the driver; RX runs once. */
static struct rx_wake type(const char *s)
{
    assert_int_equal(ring_put(&drv, s), strlen(s));
    return rx_route_run(&r);
}

static void input_goes_to_the_initial_client(void **state)
{
    (void)state;
    make(2, 64, 64, 1);
    type("hello");
    assert_string_equal(got(1), "hello");
    assert_string_equal(got(0), "");
    assert_string_equal(said, "");
}

static void switch_moves_input_and_says_so(void **state)
{
    (void)state;
    make(2, 64, 64, 0);
    type("a" KEY "1\rbc");
    assert_string_equal(got(0), "a");
    assert_string_equal(got(1), "bc");
    assert_string_equal(said, "serial_rx: input now goes to client 1 (beta)\n");
    type(KEY "0\nd");
    assert_string_equal(got(0), "d");
    assert_string_equal(said, "serial_rx: input now goes to client 1 (beta)\n"
                              "serial_rx: input now goes to client 0 (alpha)\n");
    assert_int_equal(r.stats.switches, 2);
}

static void lf_after_the_switch_cr_is_part_of_enter(void **state)
{
    (void)state;
    make(2, 64, 64, 0);
    type(KEY "1\r\nx\n");
    assert_string_equal(got(1), "x\n");
    type("\r\n"); /* an ordinary CR LF afterwards is input */
    assert_string_equal(got(1), "\r\n");
}

static void double_key_sends_one_key(void **state)
{
    (void)state;
    make(2, 64, 64, 0);
    type("a" KEY KEY "b" KEY KEY KEY KEY);
    assert_string_equal(got(0), "a" KEY "b" KEY KEY);
    assert_string_equal(said, "");
    assert_int_equal(r.cur, 0);
}

static void number_out_of_range_is_refused(void **state)
{
    (void)state;
    make(2, 64, 64, 0);
    type(KEY "2\rx");
    assert_string_equal(said,
                        "serial_rx: no client 2 (clients are 0 to 1); input stays with client 0 (alpha)\n");
    assert_string_equal(got(0), "x");
    assert_int_equal(r.cur, 0);
    assert_int_equal(r.stats.refused, 1);
}

static void huge_number_is_refused_without_overflow(void **state)
{
    (void)state;
    make(2, 64, 64, 1);
    type(KEY "99999999999999999999\r");
    assert_string_equal(said, "serial_rx: no client with that number (clients are 0 to 1); "
                              "input stays with client 1 (beta)\n");
    type(KEY "4294967296\r"); /* 2^32: would wrap to 0 */
    assert_int_equal(r.cur, 1);
    type(KEY "000000001\r"); /* nine digits are still a number */
    assert_int_equal(r.cur, 1);
    assert_non_null(strstr(said, "serial_rx: input now goes to client 1 (beta)\n"));
}

static const char *refused_line = "serial_rx: switch refused: Ctrl-\\ takes a client number and Enter, or "
                                  "Ctrl-\\; input stays with client 0 (alpha)\n";

static void missing_number_is_refused(void **state)
{
    (void)state;
    make(2, 64, 64, 0);
    type(KEY "\ry");
    assert_string_equal(said, refused_line);
    assert_string_equal(got(0), "y");
    assert_int_equal(r.cur, 0);
}

static void non_digit_is_refused(void **state)
{
    (void)state;
    make(2, 64, 64, 0);
    type(KEY "x" KEY "1x" KEY "-1\r");
    /* the sequences' bytes are commands, never input; the rest after them is input again */
    assert_string_equal(got(0), "1\r");
    char want[1024];
    snprintf(want, sizeof(want), "%s%s%s", refused_line, refused_line, refused_line);
    assert_string_equal(said, want);
    assert_int_equal(r.cur, 0);
    assert_int_equal(r.stats.refused, 3);
}

/* The sequence arrives one byte per notification (a person typing): the same result. */
static void sequence_split_across_notifications(void **state)
{
    (void)state;
    make(16, 64, 64, 0);
    type("a" KEY);
    type("1");
    type("2");
    type("\r");
    type("b");
    assert_string_equal(got(0), "a");
    assert_string_equal(got(12), "b");
    assert_int_equal(r.cur, 12);
    type(KEY);
    type(KEY);
    assert_string_equal(got(12), KEY);
}

/* The driver's ring wraps in the middle of a sequence. */
static void sequence_across_the_driver_wrap(void **state)
{
    (void)state;
    make(2, 64, 8, 0);
    type("123456");
    assert_string_equal(got(0), "123456");
    type("ab" KEY "1\r");
    type("cd");
    assert_string_equal(got(0), "ab");
    assert_string_equal(got(1), "cd");
}

/*
 * The current client's ring is full: RX stops taking bytes from the driver (they wait there),
 * asks the client for a notification, and on it goes on. Every byte arrives, in order.
 */
static void full_client_holds_off_and_resumes(void **state)
{
    (void)state;
    make(2, 16, 256, 0);
    char in[201];
    for (int i = 0; i < 200; i++)
        in[i] = (char)('a' + i % 26);
    in[200] = '\0';
    assert_int_equal(ring_put(&drv, in), 200);
    ring_ctrl(&drv)->producer_signal = 1; /* the driver's ring was full and it asked */
    struct rx_wake w = rx_route_run(&r);
    assert_true(w.driver);
    assert_int_equal(serial_queue_filled(&drv.cons), 200 - 16);
    assert_int_equal(ring_ctrl(&cl[0])->producer_signal, 1);
    assert_true(r.stats.held > 0);
    char all[256];
    size_t len = 0;
    for (int steps = 0; len < 200; steps++) {
        ring_take(&cl[0], all, &len, sizeof(all), 5); /* a slow client */
        if (serial_queue_consumer_must_notify(&cl[0].cons))
            rx_route_run(&r);
        assert_true(steps < 1000);
    }
    assert_string_equal(all, in);
    assert_int_equal(r.stats.dropped, 0);
    assert_true(serial_queue_empty(&drv.cons));
}

/* Ctrl-\ Ctrl-\ to a full client: the second key waits in the driver's ring, not lost. */
static void double_key_to_full_client_waits(void **state)
{
    (void)state;
    make(2, 16, 64, 0);
    type("0123456789abcdef" KEY KEY "z");
    assert_int_equal(serial_queue_filled(&drv.cons), 2);
    assert_string_equal(got(0), "0123456789abcdef");
    rx_route_run(&r);
    assert_string_equal(got(0), KEY "z");
}

/* A switch behind a full client's bytes: those bytes still go to the old client first. */
static void switch_waits_behind_held_bytes(void **state)
{
    (void)state;
    make(2, 16, 64, 0);
    type("0123456789abcdefXY" KEY "1\rto beta");
    assert_int_equal(r.cur, 0);
    assert_string_equal(got(0), "0123456789abcdef");
    rx_route_run(&r);
    assert_string_equal(got(0), "XY");
    assert_string_equal(got(1), "to beta");
}

/*
 * A client that never reads: its bytes would block all input. A switch to another client typed
 * once behind them waits (a paste followed by a switch loses nothing); typed twice, it is
 * carried out at once, and the stuck client's bytes before it are dropped, counted and reported.
 */
static void switch_typed_twice_leaves_a_stuck_client(void **state)
{
    (void)state;
    make(2, 16, 64, 0);
    type("0123456789abcdef"
         "0123456789");
    assert_int_equal(serial_queue_filled(&drv.cons), 10);
    /* RX asked the driver for a notification, so that it sees what is typed next */
    assert_int_equal(ring_ctrl(&drv)->consumer_signal, 1);
    type(KEY KEY KEY "7\r" KEY "0\r" KEY "1\r"); /* only the last is a switch away */
    assert_int_equal(r.cur, 0);
    assert_int_equal(r.stats.dropped, 0);
    assert_string_equal(said, "");
    type("x" KEY "1\rhi");
    assert_string_equal(got(1), "xhi"); /* both switches are carried out */
    assert_string_equal(said, "serial_rx: client 0 (alpha) is not taking input: 18 bytes for it dropped to "
                              "carry out the switch typed twice\n"
                              "serial_rx: input now goes to client 1 (beta)\n"
                              "serial_rx: input now goes to client 1 (beta)\n");
    assert_int_equal(r.stats.dropped, 18);
    assert_string_equal(got(0), "0123456789abcdef"); /* what it had stays */
}

/* Without that, nothing is dropped, however long the client does not read. */
static void stuck_client_without_double_switch_drops_nothing(void **state)
{
    (void)state;
    make(2, 16, 64, 0);
    type("0123456789abcdef"
         "0123456789" KEY "5\r" KEY "0\r" KEY "1\r");
    type("more");
    assert_int_equal(r.stats.dropped, 0);
    assert_int_equal(serial_queue_filled(&drv.cons), 10 + 9 + 4);
    assert_string_equal(got(0), "0123456789abcdef");
    rx_route_run(&r);
    assert_string_equal(got(0), "0123456789");
    assert_int_equal(r.stats.refused, 1);
    assert_int_equal(r.cur, 1);
    assert_string_equal(got(1), "more");
}

/* Clients are notified only when they asked (consumer_signal), the driver only when it did. */
static void notifications_only_when_asked(void **state)
{
    (void)state;
    make(2, 64, 64, 0);
    struct rx_wake w = type("a");
    assert_int_equal(w.clients, 0);
    assert_false(w.driver);
    got(0);
    assert_true(serial_queue_consumer_block(&cl[0].cons)); /* the client sleeps on empty */
    w = type("b");
    assert_int_equal(w.clients, 1u << 0);
    w = type("c");
    assert_int_equal(w.clients, 0); /* once */
    /* idle: RX asked the driver for a notification */
    assert_int_equal(ring_ctrl(&drv)->consumer_signal, 1);
}

/* A client with corrupt indices: its input is dropped (counted, reported), switching still works. */
static void corrupt_client_drops_counted_and_switch_works(void **state)
{
    (void)state;
    make(2, 16, 64, 0);
    ring_ctrl(&cl[0])->head = ring_ctrl(&cl[0])->tail + 100; /* tail - head > size */
    type("abc" KEY "1\rok");
    assert_string_equal(got(1), "ok");
    assert_int_equal(r.stats.dropped, 3);
    assert_string_equal(
        said, "serial_rx: client 0 (alpha): ring indices corrupt, its input is dropped until they are "
              "sane\n"
              "serial_rx: input now goes to client 1 (beta)\n");
    ring_ctrl(&cl[0])->head = ring_ctrl(&cl[0])->tail;
    type(KEY "0\rx");
    assert_string_equal(got(0), "x");
    assert_non_null(
        strstr(said, "serial_rx: client 0 (alpha): ring indices sane again; 3 bytes for it were dropped\n"));
}

static void corrupt_driver_ring_stops_input_and_says_so(void **state)
{
    (void)state;
    make(2, 16, 64, 0);
    ring_put(&drv, "abc");
    ring_ctrl(&drv)->tail = ring_ctrl(&drv)->head + 65;
    rx_route_run(&r);
    rx_route_run(&r);
    assert_string_equal(got(0), "");
    assert_string_equal(
        said, "serial_rx: the driver's ring indices are corrupt; input stops until they are sane\n");
    ring_ctrl(&drv)->tail = ring_ctrl(&drv)->head + 2;
    rx_route_run(&r);
    assert_int_equal(strlen(got(0)), 2);
    assert_non_null(strstr(said, "sane again"));
}

static void random_indices_stay_in_bounds(void **state)
{
    (void)state;
    make(3, 16, 32, 0);
    uint32_t seed = 99;
    for (int i = 0; i < 20000; i++) {
        struct ring *rs[4] = { &cl[0], &cl[1], &cl[2], &drv };
        seed = seed * 1103515245u + 12345u;
        struct serial_queue_ctrl *c = ring_ctrl(rs[seed % 4]);
        seed = seed * 1103515245u + 12345u;
        switch ((seed >> 8) % 4) {
        case 0: c->head = seed; break;
        case 1: c->tail = seed; break;
        case 2: c->tail = c->head + seed % 40; break;
        default: c->head = c->tail - seed % 40; break;
        }
        if (i % 3 == 0) {
            uint8_t b = (uint8_t)(seed >> 16);
            serial_queue_write(&drv.prod, &b, 1);
        }
        rx_route_run(&r);
        assert_true(r.cur < 3);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(input_goes_to_the_initial_client, teardown),
        cmocka_unit_test_teardown(switch_moves_input_and_says_so, teardown),
        cmocka_unit_test_teardown(lf_after_the_switch_cr_is_part_of_enter, teardown),
        cmocka_unit_test_teardown(double_key_sends_one_key, teardown),
        cmocka_unit_test_teardown(number_out_of_range_is_refused, teardown),
        cmocka_unit_test_teardown(huge_number_is_refused_without_overflow, teardown),
        cmocka_unit_test_teardown(missing_number_is_refused, teardown),
        cmocka_unit_test_teardown(non_digit_is_refused, teardown),
        cmocka_unit_test_teardown(sequence_split_across_notifications, teardown),
        cmocka_unit_test_teardown(sequence_across_the_driver_wrap, teardown),
        cmocka_unit_test_teardown(full_client_holds_off_and_resumes, teardown),
        cmocka_unit_test_teardown(double_key_to_full_client_waits, teardown),
        cmocka_unit_test_teardown(switch_waits_behind_held_bytes, teardown),
        cmocka_unit_test_teardown(switch_typed_twice_leaves_a_stuck_client, teardown),
        cmocka_unit_test_teardown(stuck_client_without_double_switch_drops_nothing, teardown),
        cmocka_unit_test_teardown(notifications_only_when_asked, teardown),
        cmocka_unit_test_teardown(corrupt_client_drops_counted_and_switch_works, teardown),
        cmocka_unit_test_teardown(corrupt_driver_ring_stops_input_and_says_so, teardown),
        cmocka_unit_test_teardown(random_indices_stay_in_bounds, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

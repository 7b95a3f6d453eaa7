/*
 * The console device with its serial client: output to the TX ring (before DRIVER_OK, a full
 * ring and its resumption, a buffer larger than the ring), emergency writes, input from the RX
 * ring (held before DRIVER_OK and without buffers, then delivered), and reset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_guest.h"

#define TXQ VIRTIO_CONSOLE_TXQ
#define RXQ VIRTIO_CONSOLE_RXQ
#define W   VIRTQ_DESC_F_WRITE
#define N   VIRTQ_DESC_F_NEXT

#define RING 64 /* serial ring size in these tests */

static int setup(void **state)
{
    static struct fake_guest g;
    if (fg_init(&g, RING, RING) != 0)
        return -1;
    *state = &g;
    return 0;
}

static int teardown(void **state)
{
    struct fake_guest *g = *state;
    assert_true(fg_guards_ok(g));
    assert_int_equal(g->log_lines, 0);
    fg_free(g);
    return 0;
}

static void submit(struct fake_guest *g, unsigned q, uint16_t head)
{
    fg_avail(g, q, head);
    fg_kick(g, q);
}

/* A transmitq buffer at FG_BUF_IPA + off holding text. */
static void tx_buf(struct fake_guest *g, uint16_t d, uint64_t off, const char *text)
{
    memcpy(fg_mem(g, FG_BUF_IPA + off), text, strlen(text));
    fg_desc(g, TXQ, d, FG_BUF_IPA + off, (uint32_t)strlen(text), 0, 0);
}

static void expect_output(struct fake_guest *g, const char *text)
{
    char out[RING + 1] = { 0 };
    uint32_t n = fg_tx_drain(g, out, RING);
    assert_int_equal(n, strlen(text));
    assert_string_equal(out, text);
}

static void test_tx(void **state)
{
    struct fake_guest *g = *state;
    fg_bring_up(g, 8);
    tx_buf(g, 0, 0, "hello ");
    memcpy(fg_mem(g, FG_BUF_IPA + 0x100), "world", 5);
    fg_desc(g, TXQ, 0, FG_BUF_IPA, 6, N, 1);
    fg_desc(g, TXQ, 1, FG_BUF_IPA + 0x100, 5, 0, 0);
    submit(g, TXQ, 0);
    expect_output(g, "hello world");
    uint32_t id, len;
    assert_int_equal(fg_used_idx(g, TXQ), 1);
    fg_used_elem(g, TXQ, 0, &id, &len);
    assert_int_equal(id, 0);
    assert_int_equal(len, 0);
    assert_int_equal(g->irqs, 1);
    /* The TX virtualiser asked for data (consumer_signal): the VMM is told to notify it. */
    assert_false(serial_client_tx_notify_due(&g->client));
    assert_true(serial_queue_consumer_block(&g->txv));
    tx_buf(g, 2, 0x200, "!");
    submit(g, TXQ, 2);
    assert_true(serial_client_tx_notify_due(&g->client));
    expect_output(g, "!");
}

static void test_tx_before_driver_ok(void **state)
{
    struct fake_guest *g = *state;
    fg_negotiate(g, (1ull << VIRTIO_F_VERSION_1));
    fg_queue(g, RXQ, 4);
    fg_queue(g, TXQ, 4);
    tx_buf(g, 0, 0, "early");
    submit(g, TXQ, 0);
    virtio_console_tx_space(&g->con);
    assert_int_equal(serial_queue_filled(&g->txv), 0);
    assert_int_equal(fg_used_idx(g, TXQ), 0);
    fg_driver_ok(g);
    expect_output(g, "early");
    assert_int_equal(fg_used_idx(g, TXQ), 1);
}

/* Drains the TX ring as the virtualiser does, notifying when the producer asked. */
static uint32_t drain_and_notify(struct fake_guest *g, uint8_t *out, uint32_t max)
{
    uint32_t n = fg_tx_drain(g, out, max);
    if (serial_queue_consumer_must_notify(&g->txv))
        virtio_console_tx_space(&g->con);
    return n;
}

static void test_tx_full_ring_resumes(void **state)
{
    struct fake_guest *g = *state;
    uint8_t out[256];
    fg_bring_up(g, 4);
    for (unsigned i = 0; i < 200; i++)
        fg_mem(g, FG_BUF_IPA)[i] = (uint8_t)i;
    fg_desc(g, TXQ, 0, FG_BUF_IPA, 150, N, 1);
    fg_desc(g, TXQ, 1, FG_BUF_IPA + 150, 50, 0, 0);
    tx_buf(g, 2, 0x400, "next");
    submit(g, TXQ, 0);
    submit(g, TXQ, 2);
    /* The ring took 64 bytes; the chain is not complete, nothing is lost. */
    assert_int_equal(serial_queue_filled(&g->txv), RING);
    assert_int_equal(fg_used_idx(g, TXQ), 0);
    assert_true(serial_client_tx_blocked(&g->client));
    /* A notification without space changes nothing (and does not spin). */
    virtio_console_tx_space(&g->con);
    assert_int_equal(fg_used_idx(g, TXQ), 0);
    uint32_t got = 0;
    for (unsigned round = 0; round < 10 && got < 204; round++)
        got += drain_and_notify(g, out + got, 32);
    assert_int_equal(got, 204);
    for (unsigned i = 0; i < 200; i++)
        assert_int_equal(out[i], (uint8_t)i);
    assert_memory_equal(out + 200, "next", 4);
    assert_int_equal(fg_used_idx(g, TXQ), 2);
}

static void test_tx_buffer_larger_than_ring(void **state)
{
    struct fake_guest *g = *state;
    const uint32_t size = 0x10000; /* 1024 times the ring */
    uint8_t *out = malloc(size);
    assert_non_null(out);
    fg_bring_up(g, 2);
    for (uint32_t i = 0; i < size; i++)
        fg_mem(g, FG_BUF_IPA)[i] = (uint8_t)(i * 7 + (i >> 8));
    fg_desc(g, TXQ, 0, FG_BUF_IPA, size, 0, 0);
    submit(g, TXQ, 0);
    uint32_t got = 0;
    for (unsigned round = 0; round < 4 * size / RING && got < size; round++)
        got += drain_and_notify(g, out + got, RING / 2 + round % 7);
    assert_int_equal(got, size);
    assert_memory_equal(out, fg_mem(g, FG_BUF_IPA), size);
    assert_int_equal(fg_used_idx(g, TXQ), 1);
    free(out);
}

static void test_emergency_write(void **state)
{
    struct fake_guest *g = *state;
    /* Before any negotiation. */
    fg_access(g, VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_EMERG_WR, true, 4, 'E');
    expect_output(g, "E");
    /* With the ring full the bytes are held, in order, ahead of later output. */
    uint8_t fill[RING];
    memset(fill, '.', RING);
    assert_int_equal(serial_client_write(&g->client, fill, RING), RING);
    fg_access(g, VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_EMERG_WR, true, 4, '1');
    fg_access(g, VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_EMERG_WR, true, 4, '2');
    fg_bring_up(g, 4);
    tx_buf(g, 0, 0, "after");
    submit(g, TXQ, 0);
    uint8_t out[2 * RING];
    uint32_t got = 0;
    for (unsigned round = 0; round < 8; round++)
        got += drain_and_notify(g, out + got, RING);
    assert_int_equal(got, RING + 7);
    assert_memory_equal(out + RING, "12after", 7);
    assert_int_equal(g->con.emerg_lost, 0);
}

static void add_rx_buf(struct fake_guest *g, uint16_t d, uint64_t off, uint32_t len)
{
    fg_desc(g, RXQ, d, FG_BUF_IPA + 0x800 + off, len, W, 0);
    fg_avail(g, RXQ, d);
}

static void expect_rx(struct fake_guest *g, uint16_t used, uint16_t d, uint64_t off, const char *text)
{
    uint32_t id, len;
    assert_true(fg_used_idx(g, RXQ) > used);
    fg_used_elem(g, RXQ, used, &id, &len);
    assert_int_equal(id, d);
    assert_int_equal(len, strlen(text));
    assert_memory_equal(fg_mem(g, FG_BUF_IPA + 0x800 + off), text, strlen(text));
}

static void test_rx_before_driver_ok_held(void **state)
{
    struct fake_guest *g = *state;
    assert_int_equal(fg_rx_put(g, "typed early", 11), 11);
    virtio_console_rx_ready(&g->con); /* not negotiated: stays in the ring */
    fg_negotiate(g, (1ull << VIRTIO_F_VERSION_1));
    fg_queue(g, RXQ, 4);
    fg_queue(g, TXQ, 4);
    add_rx_buf(g, 0, 0, 64);
    fg_kick(g, RXQ);
    virtio_console_rx_ready(&g->con);
    assert_int_equal(serial_queue_filled(&g->rxv), 11);
    assert_int_equal(fg_used_idx(g, RXQ), 0);
    fg_driver_ok(g);
    expect_rx(g, 0, 0, 0, "typed early");
    assert_int_equal(serial_queue_filled(&g->rxv), 0);
    assert_int_equal(g->irqs, 1);
}

static void test_rx_without_buffers_held(void **state)
{
    struct fake_guest *g = *state;
    fg_bring_up(g, 4);
    fg_rx_put(g, "abcdefghij", 10);
    virtio_console_rx_ready(&g->con);
    assert_int_equal(serial_queue_filled(&g->rxv), 10);
    /* Buffers smaller than the input: each is filled and returned, the rest waits. */
    add_rx_buf(g, 0, 0, 4);
    add_rx_buf(g, 1, 0x10, 4);
    fg_kick(g, RXQ);
    expect_rx(g, 0, 0, 0, "abcd");
    expect_rx(g, 1, 1, 0x10, "efgh");
    assert_int_equal(serial_queue_filled(&g->rxv), 2);
    add_rx_buf(g, 2, 0x20, 4);
    fg_kick(g, RXQ);
    expect_rx(g, 2, 2, 0x20, "ij");
    assert_int_equal(fg_used_idx(g, RXQ), 3);
}

static void test_rx_buffer_waits_for_input(void **state)
{
    struct fake_guest *g = *state;
    fg_bring_up(g, 4);
    add_rx_buf(g, 3, 0, 16);
    fg_kick(g, RXQ);
    /* No input: the buffer is kept, not returned empty, and the RX virtualiser was asked. */
    assert_int_equal(fg_used_idx(g, RXQ), 0);
    assert_true(serial_queue_producer_must_notify(&g->rxv));
    fg_rx_put(g, "k", 1);
    virtio_console_rx_ready(&g->con);
    expect_rx(g, 0, 3, 0, "k");
    /* Reading freed space that the RX virtualiser waited for: the VMM must notify it. */
    uint8_t fill[RING];
    memset(fill, 'f', RING);
    assert_int_equal(fg_rx_put(g, fill, RING), RING);
    assert_true(serial_queue_producer_block(&g->rxv));
    add_rx_buf(g, 0, 0x100, RING);
    fg_kick(g, RXQ);
    assert_int_equal(fg_used_idx(g, RXQ), 2);
    assert_true(serial_client_rx_notify_due(&g->client));
}

static void test_reset_mid_chain(void **state)
{
    struct fake_guest *g = *state;
    uint8_t out[RING];
    fg_bring_up(g, 4);
    memset(fg_mem(g, FG_BUF_IPA), 'o', 100);
    fg_desc(g, TXQ, 0, FG_BUF_IPA, 100, 0, 0);
    submit(g, TXQ, 0);
    add_rx_buf(g, 1, 0, 8);
    fg_kick(g, RXQ);
    assert_int_equal(serial_queue_filled(&g->txv), RING);
    /* The guest reboots: reset, and a new driver brings the device up again. */
    fg_write(g, VIRTIO_MMIO_STATUS, 0);
    fg_rx_put(g, "in", 2);
    virtio_console_rx_ready(&g->con);
    virtio_console_tx_space(&g->con);
    assert_int_equal(serial_queue_filled(&g->rxv), 2); /* kept for the new driver */
    assert_int_equal(serial_queue_filled(&g->txv), RING);
    fg_bring_up(g, 4);
    /* What was in the ring before the reset stays; the old chain's rest is not sent. */
    assert_int_equal(drain_and_notify(g, out, RING), RING);
    tx_buf(g, 0, 0x200, "new");
    submit(g, TXQ, 0);
    expect_output(g, "new");
    assert_int_equal(fg_used_idx(g, TXQ), 1);
    add_rx_buf(g, 2, 0x40, 8);
    fg_kick(g, RXQ);
    expect_rx(g, 0, 2, 0x40, "in");
}

/* The size reaches a single-port driver at DRIVER_OK (Linux reads it only on a configuration
 * change), and a driver that did not take VIRTIO_CONSOLE_F_SIZE gets no such interrupt. */
static void test_size_at_driver_ok(void **state)
{
    struct fake_guest *g = *state;
    virtio_console_set_size(&g->con, 101, 31); /* the host's size, before the guest is up */
    fg_negotiate(g, (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_CONSOLE_F_SIZE));
    fg_queue(g, RXQ, 8);
    fg_queue(g, TXQ, 8);
    g->irqs = 0;
    fg_driver_ok(g);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_CONFIG);
    assert_int_equal(g->irqs, 1);
    uint32_t size = fg_read(g, VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_COLS);
    assert_int_equal(size & 0xffff, 101);
    assert_int_equal(size >> 16, 31);

    uint64_t zero = 0;
    virtio_console_mmio(&g->con, VIRTIO_MMIO_STATUS, true, 4, &zero);
    fg_negotiate(g, 1ull << VIRTIO_F_VERSION_1);
    fg_queue(g, RXQ, 8);
    fg_queue(g, TXQ, 8);
    g->irqs = 0;
    fg_driver_ok(g);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    assert_int_equal(g->irqs, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_tx),
        T(test_tx_before_driver_ok),
        T(test_tx_full_ring_resumes),
        T(test_tx_buffer_larger_than_ring),
        T(test_emergency_write),
        T(test_rx_before_driver_ok_held),
        T(test_rx_without_buffers_held),
        T(test_rx_buffer_waits_for_input),
        T(test_reset_mid_chain),
        T(test_size_at_driver_ok),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

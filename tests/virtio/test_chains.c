/*
 * Malformed chains: each one sets DEVICE_NEEDS_RESET, raises the configuration interrupt,
 * logs one line naming the fault, touches nothing outside guest RAM (guard areas), and the
 * device then processes nothing until reset. Well-formed chains at the limits still work.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake_guest.h"

#define NUM   8
#define TXQ   VIRTIO_CONSOLE_TXQ
#define RXQ   VIRTIO_CONSOLE_RXQ
#define W     VIRTQ_DESC_F_WRITE
#define N     VIRTQ_DESC_F_NEXT
#define I     VIRTQ_DESC_F_INDIRECT
#define END   (FG_RAM_IPA + FG_RAM_SIZE)
#define TABLE (FG_BUF_IPA + 0x1000) /* an indirect table */

static int setup(void **state)
{
    static struct fake_guest g;
    if (fg_init(&g, 256, 256) != 0)
        return -1;
    fg_bring_up(&g, NUM);
    memset(fg_mem(&g, FG_BUF_IPA), 'x', 0x1000);
    *state = &g;
    return 0;
}

static int teardown(void **state)
{
    struct fake_guest *g = *state;
    assert_true(fg_guards_ok(g));
    fg_free(g);
    return 0;
}

/* Entry i of the indirect table at TABLE. */
static void itab(struct fake_guest *g, uint16_t i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    struct virtq_desc d = { addr, len, flags, next };
    memcpy(fg_mem(g, TABLE) + 16u * i, &d, sizeof(d));
}

static void submit(struct fake_guest *g, unsigned q, uint16_t head)
{
    fg_avail(g, q, head);
    fg_kick(g, q);
}

/* The device is broken, said so once, and ignores everything the guest or the VMM does now. */
static void expect_fault(struct fake_guest *g, const char *needle)
{
    uint8_t out[512];
    assert_true(fg_read(g, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
    assert_true(fg_read(g, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_INT_CONFIG);
    assert_true(g->irqs >= 1);
    assert_int_equal(g->log_lines, 1);
    if (fg_log_count(g, needle) != 1)
        fail_msg("log line \"%s\" does not name \"%s\"", g->log[0], needle);
    assert_int_equal(fg_log_count(g, "device needs reset"), 1);
    assert_true(fg_guards_ok(g));

    uint16_t used_tx = fg_used_idx(g, TXQ), used_rx = fg_used_idx(g, RXQ);
    uint32_t input = serial_queue_filled(&g->rxv);
    fg_tx_drain(g, out, sizeof(out));
    fg_desc(g, TXQ, 6, FG_BUF_IPA + 0x100, 1, 0, 0);
    submit(g, TXQ, 6);
    fg_desc(g, RXQ, 6, FG_BUF_IPA + 0x200, 4, W, 0);
    submit(g, RXQ, 6);
    assert_int_equal(fg_rx_put(g, "q", 1), 1);
    virtio_console_rx_ready(&g->con);
    virtio_console_tx_space(&g->con);
    fg_access(g, VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_EMERG_WR, true, 4, 'E');
    assert_int_equal(fg_used_idx(g, TXQ), used_tx);
    assert_int_equal(fg_used_idx(g, RXQ), used_rx);
    assert_int_equal(fg_tx_drain(g, out, sizeof(out)), 0);
    assert_int_equal(serial_queue_filled(&g->rxv), input + 1); /* input stays in the ring */
    /* Another bad chain is not reported again. */
    fg_desc(g, TXQ, 7, END, 16, 0, 0);
    submit(g, TXQ, 7);
    assert_int_equal(g->log_lines, 1);
    assert_true(fg_guards_ok(g));
}

static void test_tx_buffer_past_ram(void **state)
{
    struct fake_guest *g = *state;
    fg_desc(g, TXQ, 0, END - 4, 16, 0, 0);
    submit(g, TXQ, 0);
    expect_fault(g, "descriptor 0: buffer 0x400ffffc+0x10 lies outside guest RAM");
}

static void test_tx_buffer_below_ram(void **state)
{
    struct fake_guest *g = *state;
    fg_desc(g, TXQ, 0, FG_BUF_IPA, 4, N, 1);
    fg_desc(g, TXQ, 1, FG_RAM_IPA - 16, 16, 0, 0);
    submit(g, TXQ, 0);
    expect_fault(g, "descriptor 1: buffer");
}

static void test_tx_buffer_wraps(void **state)
{
    struct fake_guest *g = *state;
    fg_desc(g, TXQ, 0, ~0ull - 7, 0x20, 0, 0);
    submit(g, TXQ, 0);
    expect_fault(g, "outside guest RAM");
}

static void test_rx_buffer_past_ram(void **state)
{
    struct fake_guest *g = *state;
    fg_rx_put(g, "0123456789abcdef", 16);
    fg_desc(g, RXQ, 0, END - 4, 16, W, 0);
    submit(g, RXQ, 0);
    expect_fault(g, "receiveq): descriptor 0: buffer");
}

static void test_loop(void **state)
{
    struct fake_guest *g = *state;
    fg_desc(g, TXQ, 2, FG_BUF_IPA, 0, N, 3);
    fg_desc(g, TXQ, 3, FG_BUF_IPA, 0, N, 2);
    submit(g, TXQ, 2);
    expect_fault(g, "descriptor 2 comes a second time in chain 2: a loop");
}

static void test_self_loop(void **state)
{
    struct fake_guest *g = *state;
    fg_desc(g, TXQ, 0, FG_BUF_IPA, 1, N, 0);
    submit(g, TXQ, 0);
    expect_fault(g, "a loop");
}

static void test_next_beyond_table(void **state)
{
    struct fake_guest *g = *state;
    fg_desc(g, TXQ, 0, FG_BUF_IPA, 1, N, NUM);
    submit(g, TXQ, 0);
    expect_fault(g, "descriptor 8 is beyond its table of 8");
}

static void test_head_beyond_table(void **state)
{
    struct fake_guest *g = *state;
    submit(g, TXQ, NUM + 1);
    expect_fault(g, "names descriptor 9, beyond the queue size 8");
}

static void test_avail_index_jump(void **state)
{
    struct fake_guest *g = *state;
    uint16_t idx = NUM + 1;
    memcpy(fg_mem(g, fg_avail_ipa(TXQ)) + VIRTQ_AVAIL_IDX, &idx, 2);
    fg_kick(g, TXQ);
    expect_fault(g, "available index 9 is 9 entries ahead");
}

static void test_tx_write_only_buffer(void **state)
{
    struct fake_guest *g = *state;
    fg_desc(g, TXQ, 0, FG_BUF_IPA, 4, N, 1);
    fg_desc(g, TXQ, 1, FG_BUF_IPA, 4, W, 0);
    submit(g, TXQ, 0);
    expect_fault(g, "descriptor 1 is device-writable, but the device reads");
}

static void test_rx_read_only_buffer(void **state)
{
    struct fake_guest *g = *state;
    fg_rx_put(g, "abc", 3);
    fg_desc(g, RXQ, 0, FG_BUF_IPA, 4, 0, 0);
    submit(g, RXQ, 0);
    expect_fault(g, "descriptor 0 is device-readable, but the device writes");
}

static void test_indirect_zero_length(void **state)
{
    struct fake_guest *g = *state;
    fg_desc(g, TXQ, 0, TABLE, 0, I, 0);
    submit(g, TXQ, 0);
    expect_fault(g, "indirect table length 0");
}

static void test_indirect_odd_length(void **state)
{
    struct fake_guest *g = *state;
    itab(g, 0, FG_BUF_IPA, 1, 0, 0);
    fg_desc(g, TXQ, 0, TABLE, 24, I, 0);
    submit(g, TXQ, 0);
    expect_fault(g, "indirect table length 24 is not a multiple of 16");
}

static void test_indirect_too_long(void **state)
{
    struct fake_guest *g = *state;
    fg_desc(g, TXQ, 0, TABLE, 16 * (NUM + 1), I, 0);
    submit(g, TXQ, 0);
    expect_fault(g, "indirect table length 144");
}

static void test_indirect_outside_ram(void **state)
{
    struct fake_guest *g = *state;
    fg_desc(g, TXQ, 0, END - 16, 32, I, 0);
    submit(g, TXQ, 0);
    expect_fault(g, "indirect table 0x400ffff0+0x20 lies outside guest RAM");
}

static void test_indirect_nested(void **state)
{
    struct fake_guest *g = *state;
    itab(g, 0, FG_BUF_IPA, 1, N, 1);
    itab(g, 1, TABLE, 32, I, 0);
    fg_desc(g, TXQ, 0, TABLE, 32, I, 0);
    submit(g, TXQ, 0);
    expect_fault(g, "indirect descriptor 1 (table of descriptor 0) is indirect inside an indirect table");
}

static void test_indirect_with_next(void **state)
{
    struct fake_guest *g = *state;
    itab(g, 0, FG_BUF_IPA, 1, 0, 0);
    fg_desc(g, TXQ, 0, TABLE, 16, I | N, 1);
    submit(g, TXQ, 0);
    expect_fault(g, "has both INDIRECT and NEXT");
}

static void test_indirect_not_negotiated(void **state)
{
    struct fake_guest *g = *state;
    fg_negotiate(g, (1ull << VIRTIO_F_VERSION_1));
    fg_queue(g, RXQ, NUM);
    fg_queue(g, TXQ, NUM);
    fg_driver_ok(g);
    itab(g, 0, FG_BUF_IPA, 1, 0, 0);
    fg_desc(g, TXQ, 0, TABLE, 16, I, 0);
    submit(g, TXQ, 0);
    expect_fault(g, "VIRTIO_RING_F_INDIRECT_DESC was not negotiated");
}

static void test_indirect_next_beyond(void **state)
{
    struct fake_guest *g = *state;
    itab(g, 0, FG_BUF_IPA, 1, N, 2);
    itab(g, 1, FG_BUF_IPA, 1, 0, 0);
    fg_desc(g, TXQ, 0, TABLE, 32, I, 0);
    submit(g, TXQ, 0);
    expect_fault(g, "indirect descriptor 2 (table of descriptor 0) is beyond its table of 2");
}

static void test_indirect_loop(void **state)
{
    struct fake_guest *g = *state;
    itab(g, 0, FG_BUF_IPA, 0, N, 1);
    itab(g, 1, FG_BUF_IPA, 0, N, 0);
    fg_desc(g, TXQ, 3, TABLE, 32, I, 0);
    submit(g, TXQ, 3);
    expect_fault(g, "indirect descriptor 0 (table of descriptor 3) comes a second time");
}

static void test_chain_longer_than_queue(void **state)
{
    struct fake_guest *g = *state;
    for (uint16_t i = 0; i < NUM; i++)
        itab(g, i, FG_BUF_IPA, 0, i + 1 < NUM ? N : 0, i + 1);
    fg_desc(g, TXQ, 0, FG_BUF_IPA, 0, N, 1);
    fg_desc(g, TXQ, 1, TABLE, 16 * NUM, I, 0);
    submit(g, TXQ, 0);
    expect_fault(g, "chain 0 has more than the queue size of 8 descriptors");
}

/* ---- well-formed chains at the limits ---- */

static void test_full_length_direct_chain(void **state)
{
    struct fake_guest *g = *state;
    char out[16] = { 0 };
    for (uint16_t i = 0; i < NUM; i++) {
        fg_mem(g, FG_BUF_IPA)[i] = (uint8_t)('a' + i);
        fg_desc(g, TXQ, i, FG_BUF_IPA + i, 1, i + 1 < NUM ? N : 0, i + 1);
    }
    submit(g, TXQ, 0);
    assert_int_equal(fg_tx_drain(g, out, sizeof(out)), NUM);
    assert_string_equal(out, "abcdefgh");
    assert_int_equal(fg_used_idx(g, TXQ), 1);
    assert_int_equal(g->log_lines, 0);
}

static void test_full_indirect_table(void **state)
{
    struct fake_guest *g = *state;
    char out[16] = { 0 };
    for (uint16_t i = 0; i < NUM; i++) {
        fg_mem(g, FG_BUF_IPA)[i] = (uint8_t)('A' + i);
        itab(g, i, FG_BUF_IPA + i, 1, i + 1 < NUM ? N : 0, i + 1);
    }
    /* The WRITE flag of a descriptor that refers to a table is ignored (2.7.5.3.2). */
    fg_desc(g, TXQ, 5, TABLE, 16 * NUM, I | W, 0);
    submit(g, TXQ, 5);
    assert_int_equal(fg_tx_drain(g, out, sizeof(out)), NUM);
    assert_string_equal(out, "ABCDEFGH");
    uint32_t id, len;
    fg_used_elem(g, TXQ, 0, &id, &len);
    assert_int_equal(id, 5);
    assert_int_equal(len, 0);
    assert_int_equal(g->log_lines, 0);
}

static void test_rx_indirect(void **state)
{
    struct fake_guest *g = *state;
    fg_rx_put(g, "hello", 5);
    itab(g, 0, FG_BUF_IPA + 0x10, 2, W | N, 1);
    itab(g, 1, FG_BUF_IPA + 0x20, 8, W, 0);
    fg_desc(g, RXQ, 0, TABLE, 32, I, 0);
    submit(g, RXQ, 0);
    uint32_t id, len;
    assert_int_equal(fg_used_idx(g, RXQ), 1);
    fg_used_elem(g, RXQ, 0, &id, &len);
    assert_int_equal(len, 5);
    assert_memory_equal(fg_mem(g, FG_BUF_IPA + 0x10), "he", 2);
    assert_memory_equal(fg_mem(g, FG_BUF_IPA + 0x20), "llo", 3);
    assert_int_equal(g->log_lines, 0);
}

static void test_buffer_at_end_of_ram(void **state)
{
    struct fake_guest *g = *state;
    char out[4] = { 0 };
    memcpy(fg_mem(g, END - 3), "end", 3);
    fg_desc(g, TXQ, 0, END - 3, 3, 0, 0);
    submit(g, TXQ, 0);
    assert_int_equal(fg_tx_drain(g, out, 3), 3);
    assert_string_equal(out, "end");
    assert_int_equal(g->log_lines, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_tx_buffer_past_ram),
        T(test_tx_buffer_below_ram),
        T(test_tx_buffer_wraps),
        T(test_rx_buffer_past_ram),
        T(test_loop),
        T(test_self_loop),
        T(test_next_beyond_table),
        T(test_head_beyond_table),
        T(test_avail_index_jump),
        T(test_tx_write_only_buffer),
        T(test_rx_read_only_buffer),
        T(test_indirect_zero_length),
        T(test_indirect_odd_length),
        T(test_indirect_too_long),
        T(test_indirect_outside_ram),
        T(test_indirect_nested),
        T(test_indirect_with_next),
        T(test_indirect_not_negotiated),
        T(test_indirect_next_beyond),
        T(test_indirect_loop),
        T(test_chain_longer_than_queue),
        T(test_full_length_direct_chain),
        T(test_full_indirect_table),
        T(test_rx_indirect),
        T(test_buffer_at_end_of_ram),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

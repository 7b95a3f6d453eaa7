/* The serial queue protocol (include/serial_queue.h) on one thread: sizes, empty and full,
 * wrap-around of the 32-bit indices, spans across the wrap, the signal flags, hostile indices. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "serial_queue.h"

#define SIZE 16u
/* Control block, data area, and a guard area after it that no call may touch. */
#define GUARD 64u
static _Alignas(64) uint8_t region[SERIAL_QUEUE_DATA_OFFSET + SIZE + GUARD];

static struct serial_queue_handle q;

static int setup(void **state)
{
    (void)state;
    memset(region, 0xa5, sizeof(region));
    assert_int_equal(serial_queue_init(&q, region, SERIAL_QUEUE_DATA_OFFSET + SIZE, SIZE), 0);
    serial_queue_reset(&q);
    return 0;
}

static void guard_intact(void)
{
    for (unsigned i = 0; i < GUARD; i++)
        assert_int_equal(region[SERIAL_QUEUE_DATA_OFFSET + SIZE + i], 0xa5);
}

/* Both indices at `start`, as if that many bytes had gone through already. */
static void start_at(uint32_t start)
{
    q.ctrl->head = start;
    q.ctrl->tail = start;
}

static void init_refuses_bad_sizes(void **state)
{
    (void)state;
    struct serial_queue_handle h;
    size_t big = sizeof(region);
    assert_int_equal(serial_queue_init(&h, region, big, 0), -1);
    assert_null(h.ctrl);
    assert_int_equal(serial_queue_init(&h, region, big, 1), -1);
    assert_int_equal(serial_queue_init(&h, region, big, 3), -1);
    assert_int_equal(serial_queue_init(&h, region, big, 24), -1);
    assert_int_equal(serial_queue_init(&h, region, big, 0x80000001u), -1);
    /* Too small a region: the data area must fit after the control block. */
    assert_int_equal(serial_queue_init(&h, region, SERIAL_QUEUE_DATA_OFFSET + 15, 16), -1);
    assert_int_equal(serial_queue_init(&h, region, 8, 2), -1);
    assert_int_equal(serial_queue_init(&h, region, 0, 2), -1);
    assert_int_equal(serial_queue_init(&h, NULL, big, 16), -1);
    assert_int_equal(serial_queue_init(&h, region + 1, big - 1, 16), -1);
    /* A huge power of two does not overflow the region check. */
    assert_int_equal(serial_queue_init(&h, region, big, 0x80000000u), -1);
    assert_int_equal(serial_queue_init(&h, region, SERIAL_QUEUE_DATA_OFFSET + 16, 16), 0);
    assert_int_equal(h.size, 16);
    assert_ptr_equal(h.data, region + SERIAL_QUEUE_DATA_OFFSET);
    assert_int_equal(serial_queue_init(&h, region, big, 2), 0);
}

static void empty_ring(void **state)
{
    (void)state;
    uint8_t buf[4];
    uint32_t len = 99;
    assert_true(serial_queue_empty(&q));
    assert_false(serial_queue_full(&q));
    assert_int_equal(serial_queue_filled(&q), 0);
    assert_int_equal(serial_queue_space(&q), SIZE);
    serial_queue_filled_span(&q, &len);
    assert_int_equal(len, 0);
    assert_int_equal(serial_queue_read(&q, buf, sizeof(buf)), 0);
    assert_int_equal(serial_queue_consume(&q, 1), -1);
    assert_int_equal(q.ctrl->head, 0);
}

static void fill_to_full(void **state)
{
    (void)state;
    uint8_t in[SIZE + 5], out[SIZE + 5];
    for (unsigned i = 0; i < sizeof(in); i++)
        in[i] = (uint8_t)(i + 1);
    assert_int_equal(serial_queue_write(&q, in, 5), 5);
    assert_int_equal(serial_queue_filled(&q), 5);
    /* Only what fits is taken. */
    assert_int_equal(serial_queue_write(&q, in + 5, SIZE), SIZE - 5);
    assert_true(serial_queue_full(&q));
    assert_int_equal(serial_queue_space(&q), 0);
    assert_int_equal(serial_queue_write(&q, in, 1), 0);
    uint32_t len = 99;
    serial_queue_free_span(&q, &len);
    assert_int_equal(len, 0);
    assert_int_equal(serial_queue_produce(&q, 1), -1);
    assert_int_equal(q.ctrl->tail, SIZE);
    memset(out, 0, sizeof(out));
    assert_int_equal(serial_queue_read(&q, out, sizeof(out)), SIZE);
    assert_memory_equal(out, in, SIZE);
    assert_true(serial_queue_empty(&q));
    guard_intact();
}

/* Indices near 2^32: the counts stay right and bytes come out in order as tail wraps to 0. */
static void indices_wrap_at_2_32(void **state)
{
    (void)state;
    for (uint32_t start = 0xffffffffu - 2 * SIZE; start != 2 * SIZE; start++) {
        setup(NULL);
        start_at(start);
        uint8_t in[SIZE], out[SIZE];
        for (unsigned i = 0; i < SIZE; i++)
            in[i] = (uint8_t)(start + i);
        assert_int_equal(serial_queue_write(&q, in, SIZE), SIZE);
        assert_true(serial_queue_full(&q));
        assert_false(serial_queue_corrupt(&q));
        assert_int_equal(q.ctrl->tail, start + SIZE);
        assert_int_equal(serial_queue_read(&q, out, 3), 3);
        assert_int_equal(serial_queue_filled(&q), SIZE - 3);
        assert_int_equal(serial_queue_read(&q, out + 3, SIZE), SIZE - 3);
        assert_memory_equal(out, in, SIZE);
        assert_int_equal(q.ctrl->head, start + SIZE);
        guard_intact();
    }
}

/* Spans end at the end of the data area; the second span is the part after the wrap. */
static void spans_across_the_wrap(void **state)
{
    (void)state;
    uint32_t len;
    start_at(0xfffffff0u + SIZE - 6); /* offset 10 in the data area, 6 bytes to its end */
    uint8_t *w = serial_queue_free_span(&q, &len);
    assert_ptr_equal(w, q.data + 10);
    assert_int_equal(len, 6);
    memcpy(w, "abcdef", 6);
    assert_int_equal(serial_queue_produce(&q, 6), 0);
    w = serial_queue_free_span(&q, &len);
    assert_ptr_equal(w, q.data);
    assert_int_equal(len, SIZE - 6);
    memcpy(w, "ghij", 4);
    assert_int_equal(serial_queue_produce(&q, 4), 0);
    assert_int_equal(serial_queue_filled(&q), 10);

    const uint8_t *r = serial_queue_filled_span(&q, &len);
    assert_ptr_equal(r, q.data + 10);
    assert_int_equal(len, 6);
    assert_memory_equal(r, "abcdef", 6);
    assert_int_equal(serial_queue_consume(&q, 2), 0);
    r = serial_queue_filled_span(&q, &len);
    assert_int_equal(len, 4);
    assert_memory_equal(r, "cdef", 4);
    assert_int_equal(serial_queue_consume(&q, 4), 0);
    r = serial_queue_filled_span(&q, &len);
    assert_ptr_equal(r, q.data);
    assert_int_equal(len, 4);
    assert_memory_equal(r, "ghij", 4);
    /* More than is there is refused and frees nothing. */
    assert_int_equal(serial_queue_consume(&q, 5), -1);
    assert_int_equal(serial_queue_consume(&q, 4), 0);
    assert_true(serial_queue_empty(&q));

    /* The copy helpers split at the wrap in the same way. */
    start_at(SIZE - 3);
    uint8_t in[SIZE], out[SIZE];
    for (unsigned i = 0; i < SIZE; i++)
        in[i] = (uint8_t)(0x40 + i);
    assert_int_equal(serial_queue_write(&q, in, 7), 7);
    assert_memory_equal(q.data + SIZE - 3, in, 3);
    assert_memory_equal(q.data, in + 3, 4);
    assert_int_equal(serial_queue_read(&q, out, 7), 7);
    assert_memory_equal(out, in, 7);
    guard_intact();
}

/* No notification unless the other side asked; one when it did, and the flag is then clear. */
static void signal_flags(void **state)
{
    (void)state;
    uint8_t b[SIZE] = { 0 };
    /* Data into a ring whose consumer is not waiting: no notify. */
    assert_int_equal(serial_queue_write(&q, b, 1), 1);
    assert_false(serial_queue_producer_must_notify(&q));
    assert_int_equal(serial_queue_read(&q, b, 1), 1);
    assert_false(serial_queue_consumer_must_notify(&q));

    /* The consumer finds it empty and asks; the next write notifies once. */
    assert_true(serial_queue_consumer_block(&q));
    assert_int_equal(q.ctrl->consumer_signal, 1);
    assert_int_equal(serial_queue_write(&q, b, 1), 1);
    assert_true(serial_queue_producer_must_notify(&q));
    assert_int_equal(q.ctrl->consumer_signal, 0);
    assert_int_equal(serial_queue_write(&q, b, 1), 1);
    assert_false(serial_queue_producer_must_notify(&q));
    /* Data is there: the consumer must not sleep. */
    assert_false(serial_queue_consumer_block(&q));

    /* The producer fills the ring and asks; the next read notifies once. */
    serial_queue_write(&q, b, SIZE);
    assert_true(serial_queue_full(&q));
    assert_true(serial_queue_producer_block(&q));
    assert_int_equal(q.ctrl->producer_signal, 1);
    assert_int_equal(serial_queue_read(&q, b, 1), 1);
    assert_true(serial_queue_consumer_must_notify(&q));
    assert_int_equal(q.ctrl->producer_signal, 0);
    assert_false(serial_queue_consumer_must_notify(&q));
    /* Space is there: the producer must not sleep. */
    assert_false(serial_queue_producer_block(&q));
}

/* A tail or head the other side set to anything: never a read or write outside the data area. */
static void hostile_indices(void **state)
{
    (void)state;
    static const uint32_t bad[] = { SIZE + 1, 0x80000000u, 0xffffffffu, 1000 };
    uint8_t buf[SIZE * 4];
    uint32_t len;
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        for (unsigned side = 0; side < 2; side++) {
            setup(NULL);
            /* side 0: a producer claims more than size; side 1: a consumer moves head past tail. */
            if (side == 0) {
                q.ctrl->head = 7;
                q.ctrl->tail = 7 + bad[i];
            } else {
                q.ctrl->tail = 7;
                q.ctrl->head = 7 - bad[i];
            }
            assert_true(serial_queue_corrupt(&q));
            assert_int_equal(serial_queue_filled(&q), 0);
            assert_int_equal(serial_queue_space(&q), 0);
            serial_queue_filled_span(&q, &len);
            assert_int_equal(len, 0);
            serial_queue_free_span(&q, &len);
            assert_int_equal(len, 0);
            assert_int_equal(serial_queue_read(&q, buf, sizeof(buf)), 0);
            assert_int_equal(serial_queue_write(&q, buf, sizeof(buf)), 0);
            assert_int_equal(serial_queue_consume(&q, 1), -1);
            assert_int_equal(serial_queue_produce(&q, 1), -1);
            /* A corrupt ring is neither a place to read nor to write: both sides sleep. */
            assert_true(serial_queue_consumer_block(&q));
            assert_true(serial_queue_producer_block(&q));
            guard_intact();
        }
    }
    /* Exactly size filled is legal, one more is not. */
    setup(NULL);
    q.ctrl->head = 0xfffffffau;
    q.ctrl->tail = 0xfffffffau + SIZE;
    assert_false(serial_queue_corrupt(&q));
    assert_int_equal(serial_queue_read(&q, buf, sizeof(buf)), SIZE);
    q.ctrl->tail = q.ctrl->head + SIZE + 1;
    assert_true(serial_queue_corrupt(&q));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_refuses_bad_sizes),
        cmocka_unit_test_setup(empty_ring, setup),
        cmocka_unit_test_setup(fill_to_full, setup),
        cmocka_unit_test_setup(indices_wrap_at_2_32, setup),
        cmocka_unit_test_setup(spans_across_the_wrap, setup),
        cmocka_unit_test_setup(signal_flags, setup),
        cmocka_unit_test_setup(hostile_indices, setup),
    };
    return cmocka_run_group_tests_name("serial_queue", tests, NULL, NULL);
}

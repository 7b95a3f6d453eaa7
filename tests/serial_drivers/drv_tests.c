/*
 * The driver core with one UART's register logic against its simulated UART: TX interrupt only
 * while data waits, RX into the ring, a single byte through the timeout or aging interrupt,
 * errors counted and reported at a limited rate, hold-off and resume, and a paste that
 * outruns the ring losing nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "drv_tests.h"
#include "rig.h"
#include "sim.h"

static struct rig r;

static void start(uint32_t tx_size, uint32_t rx_size)
{
    rig_config(&r.cfg, tx_size, rx_size);
    rig_start(&r);
}

static void after(void)
{
    assert_int_equal(sim_faults, 0);
    assert_int_equal(sim_rx_lost, 0);
}

static void test_tx_irq_only_while_data_waits(void **state)
{
    (void)state;
    uint8_t msg[100];
    for (unsigned i = 0; i < sizeof(msg); i++)
        msg[i] = (uint8_t)('A' + i % 26);
    start(256, 256);
    assert_false(dev.tx_irq_enabled());
    assert_false(sim_irq()); /* nothing to send: the empty FIFO raises no interrupt */
    assert_int_equal(serial_queue_write(&r.tx, msg, sizeof(msg)), sizeof(msg));
    serial_drv_tx_notified(&r.drv);
    assert_int_equal(sim_tx_level(), dev.tx_depth); /* the FIFO filled, no more */
    assert_true(dev.tx_irq_enabled());              /* bytes wait in the ring */
    assert_int_equal(serial_queue_filled(&r.tx), sizeof(msg) - dev.tx_depth);
    unsigned irqs = 0;
    while (serial_queue_filled(&r.tx) > 0) {
        sim_tx_drain(dev.tx_depth);
        assert_true(sim_irq()); /* the FIFO drained below its level with bytes waiting */
        serial_drv_irq(&r.drv);
        assert_true(++irqs < 100);
    }
    /* The last bytes are in the FIFO and the ring is empty: no more TX interrupts. */
    assert_false(dev.tx_irq_enabled());
    sim_tx_drain(dev.tx_depth);
    assert_false(sim_irq());
    assert_int_equal(sim_wire_len, sizeof(msg));
    assert_memory_equal(sim_wire, msg, sizeof(msg));
    assert_false(dev.tx_irq_enabled()); /* the ring is empty: no TX interrupt */
    assert_false(sim_irq());
    assert_int_equal(r.tx.ctrl->consumer_signal, 1); /* TX virt is asked to notify */
    after();
}

static void test_tx_empty_ring_sleeps(void **state)
{
    (void)state;
    start(64, 64);
    assert_int_equal(r.act, 0);
    assert_int_equal(r.tx.ctrl->consumer_signal, 1);
    r.tx.ctrl->consumer_signal = 0;
    assert_int_equal(serial_drv_tx_notified(&r.drv), 0);
    assert_int_equal(sim_tx_level(), 0);
    assert_int_equal(r.tx.ctrl->consumer_signal, 1);
    assert_false(dev.tx_irq_enabled());
    after();
}

static void test_tx_notifies_waiting_producer(void **state)
{
    (void)state;
    uint8_t fill[64];
    memset(fill, 'z', sizeof(fill));
    start(64, 64);
    assert_int_equal(serial_queue_write(&r.tx, fill, sizeof(fill)), sizeof(fill));
    assert_true(serial_queue_producer_block(&r.tx)); /* TX virt: full, about to sleep */
    /* The driver says so once half the ring is free, not at every FIFO refill before that. */
    unsigned act = serial_drv_tx_notified(&r.drv);
    int passes = 0;
    while (!(act & SERIAL_DRV_NOTIFY_TX) && passes++ < 64) {
        assert_true(serial_queue_filled(&r.tx) > 32);
        assert_true(dev.tx_irq_enabled()); /* bytes wait: the interrupt brings the driver back */
        sim_tx_drain(dev.tx_depth);
        act = serial_drv_irq(&r.drv);
    }
    assert_int_equal(act & SERIAL_DRV_NOTIFY_TX, SERIAL_DRV_NOTIFY_TX);
    assert_true(serial_queue_filled(&r.tx) <= 32);
    assert_int_equal(r.tx.ctrl->producer_signal, 0);
    sim_tx_drain(dev.tx_depth);
    /* freed space again, but nobody asked: no notification */
    assert_int_equal(serial_drv_irq(&r.drv) & SERIAL_DRV_NOTIFY_TX, 0);
    after();
}

static void test_tx_text_in_order_across_wrap(void **state)
{
    (void)state;
    char expect[400];
    unsigned n = 0;
    start(16, 64);
    for (unsigned i = 0; i < 40; i++) {
        char line[16];
        int len = snprintf(line, sizeof(line), "line %u\n", i);
        memcpy(expect + n, line, (size_t)len);
        n += (unsigned)len;
        for (int off = 0; off < len;) {
            off += (int)serial_queue_write(&r.tx, line + off, (uint32_t)(len - off));
            serial_drv_tx_notified(&r.drv);
            sim_tx_drain(3);
            serial_drv_irq(&r.drv);
        }
    }
    for (unsigned i = 0; i < 100 && sim_wire_len < n; i++) {
        sim_tx_drain(dev.tx_depth);
        serial_drv_irq(&r.drv);
    }
    assert_int_equal(sim_wire_len, n);
    assert_memory_equal(sim_wire, expect, n);
    after();
}

static void test_rx_drained_into_ring(void **state)
{
    (void)state;
    uint8_t got[64];
    start(64, 64);
    assert_true(dev.rx_irq_enabled());
    assert_true(serial_queue_consumer_block(&r.rx)); /* RX virt: empty, about to sleep */
    for (unsigned i = 0; i < dev.rx_depth; i++)
        sim_rx_push('0' + i % 10);
    assert_true(sim_irq()); /* above the RX FIFO level */
    unsigned act = serial_drv_irq(&r.drv);
    assert_int_equal(act & SERIAL_DRV_NOTIFY_RX, SERIAL_DRV_NOTIFY_RX);
    assert_int_equal(sim_rx_level(), 0);
    assert_false(sim_irq());
    assert_int_equal(serial_queue_read(&r.rx, got, sizeof(got)), dev.rx_depth);
    for (unsigned i = 0; i < dev.rx_depth; i++)
        assert_int_equal(got[i], '0' + i % 10);
    /* more bytes, but RX virt did not ask to be woken: no notification */
    sim_rx_push('x');
    sim_rx_idle();
    assert_int_equal(serial_drv_irq(&r.drv) & SERIAL_DRV_NOTIFY_RX, 0);
    assert_int_equal(serial_queue_filled(&r.rx), 1);
    after();
}

static void test_single_byte_through_timeout(void **state)
{
    (void)state;
    uint8_t c = 0;
    start(64, 64);
    sim_rx_push('k');
    /* A driver whose FIFO level is one byte (i.MX, RXTL 1) is interrupted at once; for one whose
     * level is higher (PL011) the byte must come through the timeout when the line stays quiet. */
    if (!sim_irq()) {
        sim_rx_idle();
        assert_true(sim_irq());
    }
    serial_drv_irq(&r.drv);
    assert_int_equal(serial_queue_read(&r.rx, &c, 1), 1);
    assert_int_equal(c, 'k');
    assert_false(sim_irq()); /* the timeout was cleared */
    after();
}

static void test_errors_counted_and_reported(void **state)
{
    (void)state;
    char line[128], want[128];
    uint8_t got[64];
    start(64, 64);
    sim_rx_push('a');
    sim_rx_push('x' | dev.framing_bits);
    sim_rx_push('b');
    sim_rx_push('y' | dev.parity_bits);
    sim_rx_push('c');
    sim_rx_push(dev.break_bits); /* a break: a NUL with the break bits */
    sim_rx_push('d');
    sim_rx_idle();
    unsigned act = serial_drv_irq(&r.drv);
    assert_int_equal(serial_queue_read(&r.rx, got, sizeof(got)), 4);
    assert_memory_equal(got, "abcd", 4); /* the bad characters are dropped */
    assert_int_equal(r.drv.dev.err.framing, 1);
    assert_int_equal(r.drv.dev.err.parity, 1);
    assert_int_equal(r.drv.dev.err.brk, 1);
    assert_int_equal(r.drv.dev.err.overrun, 0);
    assert_int_equal(act & SERIAL_DRV_REPORT, SERIAL_DRV_REPORT);
    serial_drv_error_line(&r.drv, line, sizeof(line));
    snprintf(want, sizeof(want), "%s: rx errors: framing 1 parity 1 break 1 overrun 0\n", dev.ops->name);
    assert_string_equal(line, want);
    assert_int_equal(serial_drv_irq(&r.drv) & SERIAL_DRV_REPORT, 0); /* no change, no line */

    /* An overrun: more characters than the FIFO holds arrive before the driver runs. */
    for (unsigned i = 0; i < dev.rx_depth + 3; i++)
        sim_rx_push('o');
    assert_int_equal(sim_rx_lost, 3);
    sim_rx_lost = 0;
    act = serial_drv_irq(&r.drv);
    assert_int_equal(serial_queue_read(&r.rx, got, sizeof(got)), dev.rx_depth);
    assert_int_equal(r.drv.dev.err.overrun, 1);
    assert_int_equal(act & SERIAL_DRV_REPORT, 0); /* within the quiet time of the last line */
    /* Passes since the last line: the one without errors, the overrun's, then until a line. */
    unsigned passes = 2;
    do
        passes++;
    while ((serial_drv_irq(&r.drv) & SERIAL_DRV_REPORT) == 0 && passes < 1000);
    assert_int_equal(passes, UART_ERR_QUIET_PASSES + 1); /* the first pass after the quiet time */
    serial_drv_error_line(&r.drv, line, sizeof(line));
    snprintf(want, sizeof(want), "%s: rx errors: framing 1 parity 1 break 1 overrun 1\n", dev.ops->name);
    assert_string_equal(line, want);
    after();
}

static void test_holdoff_and_resume(void **state)
{
    (void)state;
    uint8_t got[8];
    start(64, 8);
    assert_true(serial_queue_consumer_block(&r.rx));
    for (unsigned i = 0; i < dev.rx_depth; i++)
        sim_rx_push((uint8_t)i);
    assert_int_equal(serial_drv_irq(&r.drv) & SERIAL_DRV_NOTIFY_RX, SERIAL_DRV_NOTIFY_RX);
    /* ring full: the rest stays in the FIFO, RX interrupts masked, RX virt asked to notify */
    assert_int_equal(serial_queue_filled(&r.rx), 8);
    assert_int_equal(sim_rx_level(), dev.rx_depth - 8);
    assert_false(dev.rx_irq_enabled());
    assert_true(r.drv.rx_held);
    assert_int_equal(r.rx.ctrl->producer_signal, 1);
    assert_false(sim_irq()); /* data in the FIFO raises no interrupt while held */
    sim_rx_idle();
    assert_false(sim_irq());
    serial_drv_irq(&r.drv); /* another interrupt (TX, say) does not drain the FIFO */
    assert_int_equal(sim_rx_level(), dev.rx_depth - 8);
    /* RX virt has taken some bytes but its notification is not here yet: still held */
    assert_int_equal(serial_queue_read(&r.rx, got, 2), 2);
    assert_int_equal(got[0], 0);
    assert_int_equal(got[1], 1);
    serial_drv_irq(&r.drv);
    assert_int_equal(sim_rx_level(), dev.rx_depth - 8);
    assert_false(dev.rx_irq_enabled());

    unsigned next = 2, rounds = 0;
    while (next < dev.rx_depth) {
        uint32_t n = serial_queue_read(&r.rx, got, sizeof(got));
        for (uint32_t i = 0; i < n; i++)
            assert_int_equal(got[i], next++);
        if (serial_queue_consumer_must_notify(&r.rx)) /* RX virt freed space and saw the flag */
            serial_drv_rx_notified(&r.drv);
        assert_true(++rounds < 20);
    }
    assert_int_equal(sim_rx_level(), 0);
    assert_false(r.drv.rx_held);
    assert_true(dev.rx_irq_enabled()); /* resumed */
    after();
}

/* QEMU's chardev feeds the FIFO only while it has room; a paste of 64 KiB through a 64-byte ring
 * to an RX virtualiser that reads in odd-sized bites arrives whole and in order. */
static void test_paste_loses_nothing(void **state)
{
    (void)state;
    const unsigned total = 64u * 1024u;
    unsigned sent = 0, next = 0, steps = 0;
    uint8_t got[37];
    start(64, 64);
    while (next < total) {
        while (sent < total && sim_rx_level() < dev.rx_depth)
            sim_rx_push((uint8_t)(sent++ * 7u));
        if (sim_irq())
            serial_drv_irq(&r.drv);
        else if (sim_rx_level() > 0 && !r.drv.rx_held)
            sim_rx_idle();
        uint32_t n = serial_queue_read(&r.rx, got, 1u + steps % sizeof(got));
        for (uint32_t i = 0; i < n; i++)
            assert_int_equal(got[i], (uint8_t)(next++ * 7u));
        if (serial_queue_consumer_must_notify(&r.rx))
            serial_drv_rx_notified(&r.drv);
        assert_true(++steps < 40u * total);
    }
    assert_int_equal(r.drv.dev.err.overrun, 0);
    after();
}

static void test_no_rx_flag(void **state)
{
    (void)state;
    rig_config(&r.cfg, 64, 64);
    r.cfg.flags = SERIAL_DRV_F_NO_RX;
    r.cfg.rx = (struct serial_queue_ref){ 0 }; /* ignored */
    rig_start(&r);
    assert_false(dev.rx_irq_enabled());
    assert_int_equal(serial_drv_rx_notified(&r.drv), 0);
    serial_drv_irq(&r.drv);
    after();
}

static void test_corrupt_rings(void **state)
{
    (void)state;
    start(64, 64);
    r.tx.ctrl->tail = r.tx.ctrl->head + 65; /* claims more than the ring holds */
    serial_drv_tx_notified(&r.drv);
    assert_int_equal(sim_tx_level(), 0);
    assert_false(dev.tx_irq_enabled());
    r.rx.ctrl->tail = 1000;
    sim_rx_push('q');
    sim_rx_idle();
    serial_drv_irq(&r.drv);
    assert_int_equal(sim_rx_level(), 1); /* a corrupt ring counts as full: held, nothing written */
    assert_true(r.drv.rx_held);
    assert_int_equal(r.rx.ctrl->tail, 1000);
    after();
}

int run_drv_tests(const char *group)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tx_irq_only_while_data_waits),
        cmocka_unit_test(test_tx_empty_ring_sleeps),
        cmocka_unit_test(test_tx_notifies_waiting_producer),
        cmocka_unit_test(test_tx_text_in_order_across_wrap),
        cmocka_unit_test(test_rx_drained_into_ring),
        cmocka_unit_test(test_single_byte_through_timeout),
        cmocka_unit_test(test_errors_counted_and_reported),
        cmocka_unit_test(test_holdoff_and_resume),
        cmocka_unit_test(test_paste_loses_nothing),
        cmocka_unit_test(test_no_rx_flag),
        cmocka_unit_test(test_corrupt_rings),
    };
    return _cmocka_run_group_tests(group, tests, sizeof(tests) / sizeof(tests[0]), NULL, NULL);
}

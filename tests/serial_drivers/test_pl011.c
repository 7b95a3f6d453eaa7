/*
 * The PL011 driver's register logic (drivers/serial/pl011/pl011.c) with the driver core,
 * against a simulated PL011 (sim_pl011.c): divisors, the set-up registers and the init line,
 * then the tests every driver passes (drv_tests.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "drv_tests.h"
#include "pl011.h"
#include "pl011_regs.h"
#include "rig.h"
#include "sim.h"

extern unsigned sim_pl011_ecr_writes;

static bool rx_irq_enabled(void)
{
    uint32_t imsc = sim_peek(PL011_IMSC);
    assert_int_equal(imsc & PL011_INT_RX, (imsc & PL011_INT_RT) >> 2); /* RX and RT go together */
    return (imsc & PL011_INT_RX) != 0;
}

static bool tx_irq_enabled(void)
{
    return (sim_peek(PL011_IMSC) & PL011_INT_TX) != 0;
}

const struct dev_desc dev = {
    .ops = &pl011_ops,
    .ref_hz = 24000000,
    .rx_depth = 16,
    .tx_depth = 16,
    .framing_bits = PL011_DR_FE,
    .parity_bits = PL011_DR_PE,
    .break_bits = PL011_DR_BE | PL011_DR_FE,
    .rx_irq_enabled = rx_irq_enabled,
    .tx_irq_enabled = tx_irq_enabled,
};

static void expect_baud(uint64_t ref, uint32_t baud, uint32_t ibrd, uint32_t fbrd)
{
    struct uart_baud b;
    assert_int_equal(pl011_ops.baud(ref, baud, &b), 0);
    assert_int_equal(b.ibrd, ibrd);
    assert_int_equal(b.fbrd, fbrd);
    /* the rate the divisor gives is within 1% */
    uint32_t diff = b.actual > baud ? b.actual - baud : baud - b.actual;
    assert_true(diff * 100u <= baud);
}

static void test_divisors(void **state)
{
    (void)state;
    expect_baud(24000000, 115200, 13, 1); /* 4 * 24e6 / 115200 = 833.3 -> 13 * 64 + 1 */
    expect_baud(24000000, 9600, 156, 16); /* 10000 = 156 * 64 + 16 */
    expect_baud(48000000, 115200, 26, 3); /* 1666.7 -> 1667 */
    expect_baud(3000000, 115200, 1, 40);  /* 104.2 -> 104: the smallest IBRD */
    expect_baud(24000000, 1500000, 1, 0); /* ref / 16: the highest rate */
    expect_baud(7372800, 115200, 4, 0);   /* an exact crystal */
    expect_baud(1000000, 10, 6250, 0);
}

static void test_divisors_refused(void **state)
{
    (void)state;
    struct uart_baud b;
    assert_int_equal(pl011_ops.baud(24000000, 0, &b), -1);
    assert_int_equal(pl011_ops.baud(0, 115200, &b), -1);
    assert_int_equal(pl011_ops.baud(24000000, 2000000, &b), -1);  /* above ref / 16 */
    assert_int_equal(pl011_ops.baud(24000000, 10, &b), -1);       /* IBRD above 65535 */
    assert_int_equal(pl011_ops.baud(1ull << 33, 115200, &b), -1); /* no such UART clock */
    assert_int_equal(pl011_ops.baud(24000000, UINT32_MAX, &b), -1);
}

static void test_setup_registers(void **state)
{
    (void)state;
    struct rig r;
    char line[256];
    rig_config(&r.cfg, 64, 64);
    rig_start(&r);
    assert_int_equal(sim_peek(PL011_IBRD), 13);
    assert_int_equal(sim_peek(PL011_FBRD), 1);
    assert_int_equal(sim_peek(PL011_LCRH), 0x70); /* 8 bits, FIFOs on, no parity, 1 stop bit */
    assert_int_equal(sim_peek(PL011_CR), PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE);
    assert_int_equal(sim_peek(PL011_IMSC), PL011_INT_RX | PL011_INT_RT);
    assert_int_equal(sim_peek(PL011_IFLS), 0x11);
    pl011_ops.report(&r.drv.dev, &(struct uart_baud){ .ibrd = 13, .fbrd = 1, .actual = 115246 }, 115200, line,
                     sizeof(line));
    assert_string_equal(line, "pl011: 0x9000000 115200 8N1 ref 24000000 Hz IBRD 13 FBRD 1 -> 115246 baud; "
                              "read back: IBRD=13 FBRD=1 LCRH=0x70 CR=0x301 IFLS=0x11 IMSC=0x50\n");
    assert_int_equal(sim_faults, 0);
}

static void test_setup_actual_rate(void **state)
{
    (void)state;
    struct uart_baud b;
    assert_int_equal(pl011_ops.baud(24000000, 115200, &b), 0);
    assert_int_equal(b.actual, 115246); /* 4 * 24e6 / 833 */
}

/* An overrun flag comes with a good character (the lost one came after it); ECR clears it. */
static void test_overrun_char_kept(void **state)
{
    (void)state;
    struct rig r;
    uint8_t c = 0;
    rig_config(&r.cfg, 64, 64);
    rig_start(&r);
    sim_rx_push('v' | PL011_DR_OE);
    sim_rx_idle();
    serial_drv_irq(&r.drv);
    assert_int_equal(serial_queue_read(&r.rx, &c, 1), 1);
    assert_int_equal(c, 'v');
    assert_int_equal(r.drv.dev.err.overrun, 1);
    assert_true(sim_pl011_ecr_writes >= 2); /* at set-up and after the error */
    assert_int_equal(uart_io_read(&r.drv.dev.io, PL011_ECR), 0);
    assert_int_equal(sim_faults, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_divisors),          cmocka_unit_test(test_divisors_refused),
        cmocka_unit_test(test_setup_registers),   cmocka_unit_test(test_setup_actual_rate),
        cmocka_unit_test(test_overrun_char_kept),
    };
    int failed = cmocka_run_group_tests_name("pl011 registers", tests, NULL, NULL);
    return failed | run_drv_tests("pl011 with the driver core");
}

/*
 * The i.MX UART driver's register logic (drivers/serial/imx/imx_uart.c) with the driver core,
 * against a simulated i.MX UART (sim_imx.c): divisors, the set-up registers and the init line,
 * then the tests every driver passes (drv_tests.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "drv_tests.h"
#include "imx_uart.h"
#include "imx_uart_regs.h"
#include "rig.h"
#include "sim.h"

extern unsigned sim_imx_resets, sim_imx_ubir_order;

static bool rx_irq_enabled(void)
{
    bool rrdy = (sim_peek(IMX_UCR1) & IMX_UCR1_RRDYEN) != 0;
    bool aging = (sim_peek(IMX_UCR2) & IMX_UCR2_ATEN) != 0;
    assert_int_equal(rrdy, aging); /* FIFO level and aging go together */
    return rrdy;
}

static bool tx_irq_enabled(void)
{
    return (sim_peek(IMX_UCR1) & IMX_UCR1_TRDYEN) != 0;
}

const struct dev_desc dev = {
    .ops = &imx_uart_ops,
    .ref_hz = 24000000,
    .rx_depth = 32,
    .tx_depth = 32,
    .framing_bits = IMX_URXD_FRMERR,
    .parity_bits = IMX_URXD_PRERR,
    .break_bits = IMX_URXD_BRK | IMX_URXD_FRMERR,
    .rx_irq_enabled = rx_irq_enabled,
    .tx_irq_enabled = tx_irq_enabled,
};

static void expect_baud(uint64_t ref, uint32_t baud, uint32_t rfdiv, uint32_t ubir, uint32_t ubmr,
                        uint32_t actual)
{
    struct uart_baud b;
    assert_int_equal(imx_uart_ops.baud(ref, baud, &b), 0);
    assert_int_equal(b.rfdiv, rfdiv);
    assert_int_equal(b.ubir, ubir);
    assert_int_equal(b.ubmr, ubmr);
    assert_int_equal(b.actual, actual);
}

static void test_divisors(void **state)
{
    (void)state;
    /* (UBMR + 1) / (UBIR + 1) = ref / (16 * RFDIV * baud) */
    expect_baud(24000000, 115200, 2, 95, 624, 115200);     /* 625 / 96 exactly */
    expect_baud(24192000, 115200, 2, 15, 104, 115200);     /* 105 / 16: PLATFORM-FACTS.md's example */
    expect_baud(25000000, 115200, 2, 2303, 15624, 115200); /* i.MX8MQ's 25 MHz: 15625 / 2304 */
    expect_baud(24000000, 9600, 2, 7, 624, 9600);          /* 625 / 8 */
    expect_baud(24000000, 1500000, 1, 0, 0, 1500000);      /* all of the clock: divider 1 */
    expect_baud(24000000, 10, 3, 0, 49999, 10);            /* too slow for 16 bits at /2 and /1 */
    /* an inexact ratio: the best fraction is within a hair of the rate */
    struct uart_baud b;
    assert_int_equal(imx_uart_ops.baud(66000000, 115200, &b), 0);
    assert_true(b.actual >= 115199 && b.actual <= 115201);
    assert_true(b.ubir <= 0xffff && b.ubmr <= 0xffff && b.ubmr >= b.ubir);
}

static void test_divisors_refused(void **state)
{
    (void)state;
    struct uart_baud b;
    assert_int_equal(imx_uart_ops.baud(24000000, 0, &b), -1);
    assert_int_equal(imx_uart_ops.baud(0, 115200, &b), -1);
    assert_int_equal(imx_uart_ops.baud(24000000, 4000000, &b), -1); /* above ref / 16 */
    assert_int_equal(imx_uart_ops.baud(24000000, 1, &b), -1);       /* below ref / (16 * 7 * 65536) */
    assert_int_equal(imx_uart_ops.baud(1ull << 33, 115200, &b), -1);
}

static void test_rfdiv_encoding(void **state)
{
    (void)state;
    static const uint32_t field[8] = { 0, 5, 4, 3, 2, 1, 0, 6 }; /* divider 1..7 -> UFCR.RFDIV */
    for (uint32_t div = 1; div <= 7; div++) {
        assert_int_equal(imx_rfdiv_field(div), field[div]);
        assert_int_equal(imx_rfdiv_from_field(field[div]), div);
    }
    assert_int_equal(imx_rfdiv_from_field(7), 0);
}

static void test_setup_registers(void **state)
{
    (void)state;
    struct rig r;
    struct uart_baud b;
    char line[320];
    rig_config(&r.cfg, 64, 64);
    rig_start(&r);
    assert_int_equal(sim_imx_resets, 1); /* one software reset first */
    assert_int_equal(sim_peek(IMX_UCR1), IMX_UCR1_UARTEN | IMX_UCR1_RRDYEN);
    assert_int_equal(sim_peek(IMX_UCR2), IMX_UCR2_SRST | IMX_UCR2_RXEN | IMX_UCR2_TXEN | IMX_UCR2_ATEN |
                                             IMX_UCR2_WS | IMX_UCR2_IRTS); /* 8N1, RTS ignored */
    assert_int_equal(sim_peek(IMX_UCR2), 0x402f);
    assert_int_equal(sim_peek(IMX_UCR3), 0x700 | IMX_UCR3_RXDMUXSEL);
    assert_int_equal(sim_peek(IMX_UCR4), 0x8000);
    assert_int_equal(sim_peek(IMX_UFCR), 8u << 10 | 4u << 7 | 1u); /* TXTL 8, RFDIV /2, RXTL 1 */
    assert_int_equal(sim_peek(IMX_UBIR), 95);
    assert_int_equal(sim_peek(IMX_UBMR), 624);
    assert_int_equal(sim_imx_ubir_order, 1); /* UBIR written before UBMR */
    assert_int_equal(sim_peek(IMX_ONEMS), 12000);
    assert_int_equal(imx_uart_ops.baud(24000000, 115200, &b), 0);
    imx_uart_ops.report(&r.drv.dev, &b, 115200, line, sizeof(line));
    assert_string_equal(line,
                        "imx_uart: 0x9000000 115200 8N1 ref 24000000 Hz RFDIV 2 UBIR 95 UBMR 624 -> 115200 "
                        "baud; read back: UBIR=95 UBMR=624 UFCR=0x2201 UCR1=0x201 UCR2=0x402f UCR3=0x704 "
                        "UCR4=0x8000 ONEMS=12000\n");
    assert_int_equal(sim_faults, 0);
}

/* The 32nd character of a full FIFO carries OVRRUN as a warning: it is good data, and only
 * USR2.ORE (a 33rd that was lost) counts as an overrun. */
static void test_ovrrun_warning_is_data(void **state)
{
    (void)state;
    struct rig r;
    uint8_t got[32];
    rig_config(&r.cfg, 64, 64);
    rig_start(&r);
    for (unsigned i = 0; i < 32; i++)
        sim_rx_push('A' + i % 26);
    serial_drv_irq(&r.drv);
    assert_int_equal(serial_queue_read(&r.rx, got, sizeof(got)), 32);
    assert_int_equal(got[31], 'A' + 31 % 26);
    assert_int_equal(r.drv.dev.err.overrun, 0);
    /* a 33rd: lost, ORE latched, counted once and cleared */
    for (unsigned i = 0; i < 33; i++)
        sim_rx_push('b');
    serial_drv_irq(&r.drv);
    assert_int_equal(r.drv.dev.err.overrun, 1);
    assert_int_equal(uart_io_read(&r.drv.dev.io, IMX_USR2) & IMX_USR2_ORE, 0);
    assert_int_equal(sim_rx_lost, 1);
    assert_int_equal(sim_faults, 0);
}

/* Framing and parity latches in USR1 and the break latch in USR2 are cleared. */
static void test_error_latches_cleared(void **state)
{
    (void)state;
    struct rig r;
    rig_config(&r.cfg, 64, 64);
    rig_start(&r);
    sim_rx_push('x' | IMX_URXD_FRMERR);
    sim_rx_push('y' | IMX_URXD_PRERR);
    sim_rx_push(IMX_URXD_BRK | IMX_URXD_FRMERR);
    sim_rx_idle();
    serial_drv_irq(&r.drv);
    assert_int_equal(
        uart_io_read(&r.drv.dev.io, IMX_USR1) & (IMX_USR1_FRAMERR | IMX_USR1_PARITYERR | IMX_USR1_AGTIM), 0);
    assert_int_equal(uart_io_read(&r.drv.dev.io, IMX_USR2) & IMX_USR2_BRCD, 0);
    assert_int_equal(serial_queue_filled(&r.rx), 0);
    assert_false(sim_irq());
    assert_int_equal(sim_faults, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_divisors),
        cmocka_unit_test(test_divisors_refused),
        cmocka_unit_test(test_rfdiv_encoding),
        cmocka_unit_test(test_setup_registers),
        cmocka_unit_test(test_ovrrun_warning_is_data),
        cmocka_unit_test(test_error_latches_cleared),
    };
    int failed = cmocka_run_group_tests_name("imx_uart registers", tests, NULL, NULL);
    return failed | run_drv_tests("imx_uart with the driver core");
}

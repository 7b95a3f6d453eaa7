/* Board facts from device trees: the QEMU-virt-like fixture, an i.MX8-like one, and errors.
 * Set QEMU_VIRT_DTB to a DTB dumped by QEMU to check the real machine too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "board.h"
#include "diag.h"
#include "harness.h"
#include "sysimg.h"

static char last_error[1024];

static void capture(const char *msg, void *arg)
{
    (void)arg;
    snprintf(last_error, sizeof last_error, "%s", msg);
}

static void assert_virt(const struct board *b, uint64_t gicr_size)
{
    assert_true(b->ram_base == 0x40000000);
    assert_true(b->ram_size == 0x40000000);
    assert_true(b->gicd_base == 0x08000000);
    assert_true(b->gicr_base == 0x080a0000);
    assert_true(b->gicr_size == gicr_size);
    assert_int_equal(b->timer_irq, 26);
    assert_int_equal(b->uart_kind, SYSIMG_UART_PL011);
    assert_true(b->uart_base == 0x09000000);
}

static void virt_fixture(void **state)
{
    (void)state;
    struct board b;
    assert_int_equal(board_load(TEST_OUT "/board.dtb", &b), 0);
    assert_virt(&b, 0xf60000);
    board_free(&b);
}

static void qemu_virt_dtb(void **state)
{
    (void)state;
    const char *dtb = getenv("QEMU_VIRT_DTB");
    if (!dtb)
        skip();
    struct board b;
    assert_int_equal(board_load(dtb, &b), 0);
    assert_virt(&b, b.gicr_size);
    board_free(&b);
}

static void imx_fixture_alias_and_soc_bus(void **state)
{
    (void)state;
    struct board b;
    assert_int_equal(board_load(TEST_OUT "/board_imx.dtb", &b), 0);
    assert_true(b.ram_base == 0x40000000);
    assert_true(b.ram_size == 0xc0000000);
    assert_true(b.gicd_base == 0x38800000);
    assert_true(b.gicr_base == 0x38880000);
    assert_true(b.gicr_size == 0xc0000);
    assert_int_equal(b.timer_irq, 26);
    assert_int_equal(b.uart_kind, SYSIMG_UART_IMX);
    assert_true(b.uart_base == 0x30890000);
    board_free(&b);
}

static void expect_error(const char *dtb, const char *msg)
{
    struct board b;
    diag_set_sink(capture, NULL);
    int rc = board_load(dtb, &b);
    diag_set_sink(NULL, NULL);
    board_free(&b); /* the caller frees the blob on either outcome, as mksys_run does */
    assert_int_equal(rc, -1);
    assert_string_equal(last_error, msg);
}

static void no_gic_is_an_error(void **state)
{
    (void)state;
    expect_error(TEST_OUT "/board_nogic.dtb", TEST_OUT
                 "/board_nogic.dtb: error: no node compatible with \"arm,gic-v3\" (only GICv3 is supported)");
}

static void not_a_dtb_is_an_error(void **state)
{
    (void)state;
    expect_error(FIXTURES "/board.dts", FIXTURES "/board.dts: error: not a valid device tree blob");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(virt_fixture),
        cmocka_unit_test(qemu_virt_dtb),
        cmocka_unit_test(imx_fixture_alias_and_soc_bus),
        cmocka_unit_test(no_gic_is_an_error),
        cmocka_unit_test(not_a_dtb_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

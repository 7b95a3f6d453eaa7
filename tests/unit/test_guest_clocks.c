/* Fixed clocks for passthrough devices whose clock controller the guest is not given
 * (guest_clocks.c, through guest_dtb.c and dt_prune.c), on an i.MX8M-like board. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libfdt.h>

#include "board.h"
#include "diag.h"
#include "guest.h"
#include "harness.h"

#define BOARD_CLOCKS TEST_OUT "/board_clocks.dtb"

static struct board board;
static char last_error[1024];

static void capture(const char *msg, void *arg)
{
    (void)arg;
    snprintf(last_error, sizeof last_error, "%s", msg);
}

static int setup(void **state)
{
    (void)state;
    return board_load(BOARD_CLOCKS, &board);
}

static int teardown(void **state)
{
    (void)state;
    board_free(&board);
    return 0;
}

static uint8_t *build(const char *const *pt, size_t npt)
{
    int nodes[4];
    for (size_t i = 0; i < npt; i++) {
        nodes[i] = fdt_path_offset(board.fdt, pt[i]);
        assert_true(nodes[i] >= 0);
    }
    struct guest_dt p = {
        .sysfile = "x.system",
        .line = 7,
        .name = "linux",
        .ram_base = 0x40000000,
        .ram_size = 0x10000000,
        .vcpus = 1,
        .gicd = 0x38800000,
        .gicr = 0x38880000,
        .gicr_size = 0x20000,
        .bootargs = "console=ttymxc1",
        .pt_nodes = nodes,
        .npt = npt,
    };
    uint8_t *dtb = NULL;
    size_t len = 0;
    last_error[0] = 0;
    diag_set_sink(capture, NULL);
    int rc = guest_dtb_build(&board, &p, &dtb, &len);
    diag_set_sink(NULL, NULL);
    return rc ? NULL : dtb;
}

/* The rate of the fixed clock the n-th entry of node's clocks names (0: not a fixed clock). */
static uint32_t clock_n(const void *dtb, const char *node, int n)
{
    int len = 0;
    const fdt32_t *cl = fdt_getprop(dtb, fdt_path_offset(dtb, node), "clocks", &len);
    if (!cl || n >= len / 4)
        return 0;
    int clk = fdt_node_offset_by_phandle(dtb, fdt32_to_cpu(cl[n]));
    const fdt32_t *rate = fdt_getprop(dtb, clk, "clock-frequency", NULL);
    if (clk < 0 || fdt_node_check_compatible(dtb, clk, "fixed-clock") || !rate)
        return 0;
    return fdt32_to_cpu(*rate);
}

static int nclocks(const void *dtb, const char *node)
{
    int len = 0;
    return fdt_getprop(dtb, fdt_path_offset(dtb, node), "clocks", &len) ? len / 4 : -1;
}

/* The i.MX UART: both clocks from the controller's 24 MHz input (the 32 kHz one is below the
 * reference floor); the controller and the DMA engine stay out; dmas go. */
static void reference_clock(void **state)
{
    (void)state;
    const char *pt[] = { "/soc@0/serial@30890000" };
    uint8_t *dtb = build(pt, 1);
    assert_non_null(dtb);
    const char *uart = pt[0];
    assert_int_equal(nclocks(dtb, uart), 2);
    assert_int_equal(clock_n(dtb, uart, 0), 24000000);
    assert_int_equal(clock_n(dtb, uart, 1), 24000000);
    assert_true(fdt_path_offset(dtb, "/clock-passthrough-24000000") >= 0);
    assert_true(fdt_path_offset(dtb, "/soc@0/clock-controller@30380000") < 0);
    assert_true(fdt_path_offset(dtb, "/soc@0/dma-controller@30bd0000") < 0);
    int n = fdt_path_offset(dtb, uart);
    assert_null(fdt_getprop(dtb, n, "dmas", NULL));
    assert_null(fdt_getprop(dtb, n, "dma-names", NULL));
    assert_non_null(fdt_getprop(dtb, n, "clock-names", NULL));
    /* the new phandle is above every one of the board's, deleted nodes' included */
    uint32_t max = 0;
    assert_int_equal(fdt_find_max_phandle(board.fdt, &max), 0);
    assert_true(fdt_get_phandle(dtb, fdt_path_offset(dtb, "/clock-passthrough-24000000")) > max);
    free(dtb);
}

/* The controller's assigned rate, the device's own, the reference where the assigned rate is 0;
 * the device's assigned-clock* (naming the controller) go. */
static void assigned_rates(void **state)
{
    (void)state;
    const char *pt[] = { "/soc@0/serial@30860000" };
    uint8_t *dtb = build(pt, 1);
    assert_non_null(dtb);
    assert_int_equal(nclocks(dtb, pt[0]), 3);
    assert_int_equal(clock_n(dtb, pt[0], 0), 80000000);
    assert_int_equal(clock_n(dtb, pt[0], 1), 100000000);
    assert_int_equal(clock_n(dtb, pt[0], 2), 24000000);
    int n = fdt_path_offset(dtb, pt[0]);
    assert_null(fdt_getprop(dtb, n, "assigned-clocks", NULL));
    assert_null(fdt_getprop(dtb, n, "assigned-clock-rates", NULL));
    free(dtb);
}

/* A clock taken straight from the oscillator keeps its rate beside one from the controller. */
static void oscillator_named_directly(void **state)
{
    (void)state;
    const char *pt[] = { "/soc@0/serial@30a80000" };
    uint8_t *dtb = build(pt, 1);
    assert_non_null(dtb);
    assert_int_equal(nclocks(dtb, pt[0]), 2);
    assert_int_equal(clock_n(dtb, pt[0], 0), 80000000);
    assert_int_equal(clock_n(dtb, pt[0], 1), 24000000);
    free(dtb);
}

/* Two UARTs at the same rate share one fixed clock. */
static void shared_fixed_clock(void **state)
{
    (void)state;
    const char *pt[] = { "/soc@0/serial@30890000", "/soc@0/serial@30860000" };
    uint8_t *dtb = build(pt, 2);
    assert_non_null(dtb);
    int len0 = 0, len1 = 0;
    const fdt32_t *a = fdt_getprop(dtb, fdt_path_offset(dtb, pt[0]), "clocks", &len0);
    const fdt32_t *b = fdt_getprop(dtb, fdt_path_offset(dtb, pt[1]), "clocks", &len1);
    assert_true(a && b && len0 == 8 && len1 == 12);
    assert_int_equal(fdt32_to_cpu(a[0]), fdt32_to_cpu(b[2]));
    free(dtb);
}

/* With the controller passed through too, the clocks stay as the board has them. */
static void controller_given(void **state)
{
    (void)state;
    const char *pt[] = { "/soc@0/serial@30890000", "/soc@0/clock-controller@30380000" };
    uint8_t *dtb = build(pt, 2);
    assert_non_null(dtb);
    int ccm = fdt_path_offset(dtb, pt[1]);
    assert_true(ccm >= 0);
    const fdt32_t *cl = fdt_getprop(dtb, fdt_path_offset(dtb, pt[0]), "clocks", NULL);
    assert_non_null(cl);
    assert_int_equal(fdt32_to_cpu(cl[0]), fdt_get_phandle(dtb, ccm));
    assert_int_equal(fdt32_to_cpu(cl[1]), 0xfc);
    assert_true(fdt_path_offset(dtb, "/clock-passthrough-24000000") < 0);
    free(dtb);
}

/* Nothing says the rate, a forged #clock-cells, a list cut inside an entry: the old error (pass
 * the controller through), never a guess or a read past the property. */
static void unknown_or_hostile(void **state)
{
    (void)state;
    static const struct {
        const char *node, *needs;
    } cases[] = {
        { "/soc@0/serial@30a60000", "/clock-controller@30310000" },
        { "/soc@0/serial@30880000", "/clock-bad" },
        { "/soc@0/serial@30a70000", "/soc@0/clock-controller@30380000" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *pt[] = { cases[i].node };
        assert_null(build(pt, 1));
        char want[512];
        snprintf(
            want, sizeof want,
            "x.system:7: error: guest 'linux': passthrough node '%s' needs '%s' (its 'clocks'), which the "
            "guest is not given: pass that through too",
            cases[i].node, cases[i].needs);
        assert_string_equal(last_error, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reference_clock),           cmocka_unit_test(assigned_rates),
        cmocka_unit_test(shared_fixed_clock),        cmocka_unit_test(controller_given),
        cmocka_unit_test(oscillator_named_directly), cmocka_unit_test(unknown_or_hostile),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

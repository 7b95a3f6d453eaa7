/* Descriptions the kernel or the VMM would fail on at boot are refused by mksys, with the
 * file, line (or DTB) and the limit from include/sys_limits.h; the systems just inside each
 * limit are accepted. Fixtures: fixtures/err/l_*.system, fixtures/l_*.system, l_board_*.dts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "err_cases.h"
#include "harness.h"

#define PT_BOARD TEST_OUT "/l_board_pt.dtb"

static const struct err_case cases[] = {
    { .name = "l_map_ipa",
      .expect = SYS("l_map_ipa") ":7: error: PD 'a': map of 'buf' at 0x8000000000-0x8000001000 is beyond the "
                                 "kernel's 39-bit stage-2 input range for a PD (IPAs below 0x8000000000)" },
    { .name = "l_map_ipa_end",
      .expect =
          SYS("l_map_ipa_end") ":7: error: PD 'a': map of 'buf' at 0x7ffffff000-0x8000001000 is beyond "
                               "the kernel's 39-bit stage-2 input range for a PD (IPAs below 0x8000000000)" },
    { .name = "l_vm_map_ipa",
      .expect =
          SYS("l_vm_map_ipa") ":10: error: VM 'linux': map of 'ram' at 0x3ffe00000-0x400200000 is beyond "
                              "the kernel's 34-bit stage-2 input range for a VM (IPAs below 0x400000000)" },
    { .name = "l_mr_pa",
      .expect = SYS("l_mr_pa") ":4: error: memory region 'dev' at 0x10000000000-0x10000001000 is beyond the "
                               "kernel's 40-bit physical address range (below 0x10000000000)" },
    { .name = "l_console_uart",
      .board = TEST_OUT "/l_board_uart.dtb",
      .system = FIXTURES "/valid.system",
      .expect =
          "{OUT}/l_board_uart.dtb: error: the console UART at 0x109000000-0x109001000 is outside the device "
          "memory the kernel maps for itself (below 0x100000000, outside RAM 0x40000000-0x80000000)" },
    { .name = "l_pt_high_spi",
      .board = PT_BOARD,
      .expect =
          SYS("l_pt_high_spi") ":7: error: guest 'linux': passthrough node '/high-spi@9080000': interrupt <0 "
                               "96 4> is INTID 128, but the virtual GIC implements only INTIDs 32..127" },
    { .name = "l_pt_zero_reg",
      .board = PT_BOARD,
      .expect = SYS("l_pt_zero_reg") ":7: error: guest 'linux': passthrough node '/zero-reg@9090000': reg "
                                     "entry 0 at 0x9090000 has size 0" },
    { .name = "l_pt_ragged_irq",
      .board = PT_BOARD,
      .expect =
          SYS("l_pt_ragged_irq") ":7: error: guest 'linux': passthrough node '/ragged-irq@9091000': "
                                 "'interrupts' is 16 bytes, not a whole number of 3-cell GIC specifiers" },
    { .name = "l_pt_far_reg",
      .board = PT_BOARD,
      .expect = SYS("l_pt_far_reg") ":7: error: guest 'linux': passthrough node '/far-reg@10000000000': reg "
                                    "entry 0 (0x10000000000, size 0x1000) is beyond the kernel's 40-bit "
                                    "physical address range" },
    { .name = "l_image_be",
      .expect = SYS("l_image_be") ":5: error: guest 'linux': kernel '{OUT}/Image_be' is a big-endian arm64 "
                                  "Image (flags 0xb); only little-endian guests run here" },
    { .name = "l_image_short",
      .expect = SYS("l_image_short") ":5: error: guest 'linux': kernel '{OUT}/Image_short' is 48 bytes, "
                                     "shorter than the 64-byte arm64 Image header (truncated?)" },
};

/* Just inside each limit: the last page below 2^39 for a PD and below 2^34 for a VM, the last
 * SPI the vGIC implements. */
static void accepted(const char *system, const char *board)
{
    char out[256];
    snprintf(out, sizeof out, "%s/out/limits_ok.img", TEST_OUT);
    struct run_result r;
    run_mksys(system, board, NULL, out, NULL, &r);
    if (r.rc)
        fprintf(stderr, "mksys failed: %s\n", r.error);
    assert_int_equal(r.rc, 0);
}

static void last_ipa_page_is_accepted(void **state)
{
    (void)state;
    accepted(FIXTURES "/l_map_ipa_last.system", NULL);
}

static void last_vm_ipa_block_is_accepted(void **state)
{
    (void)state;
    accepted(FIXTURES "/l_vm_map_ipa_last.system", NULL);
}

static void last_vgic_spi_is_accepted(void **state)
{
    (void)state;
    accepted(FIXTURES "/l_pt_top_spi.system", PT_BOARD);
}

int main(void)
{
    const struct CMUnitTest accepted_tests[] = {
        cmocka_unit_test(last_ipa_page_is_accepted),
        cmocka_unit_test(last_vm_ipa_block_is_accepted),
        cmocka_unit_test(last_vgic_spi_is_accepted),
    };
    return run_err_cases("limits", cases, sizeof cases / sizeof cases[0], accepted_tests,
                         sizeof accepted_tests / sizeof accepted_tests[0]);
}

/* Every broken <serial> gives exactly one error naming its file and line (fixtures/err/serial_*),
 * against the serial test board (fixtures/board_serial.dts), and no image is written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "err_cases.h"
#include "harness.h"

#define BOARD TEST_OUT "/board_serial.dtb"

static const struct err_case cases[] = {
    { .name = "serial_no_console",
      .board = TEST_OUT "/board_gpc.dtb",
      .expect =
          SYS("serial_no_console") ":7: error: <serial> has no uart= and the board ({OUT}/board_gpc.dtb) "
                                   "names no console in /chosen stdout-path" },
    { .name = "serial_bad_attr",
      .board = BOARD,
      .expect = SYS("serial_bad_attr") ":9: error: unknown attribute 'speed' on <serial>" },
    { .name = "serial_bad_child",
      .board = BOARD,
      .expect = SYS("serial_bad_child") ":11: error: unknown element <driver> in <serial>" },
    { .name = "serial_baud_clock",
      .board = BOARD,
      .expect = SYS("serial_baud_clock") ":9: error: <serial> baud 4000000 is more than the UART's reference "
                                         "clock of 48000000 Hz allows (clock / 16)" },
    { .name = "serial_baud_zero",
      .board = BOARD,
      .expect = SYS("serial_baud_zero") ":9: error: <serial> baud 0 out of range 300..4000000" },
    { .name = "serial_client_map",
      .board = BOARD,
      .expect = SYS(
          "serial_client_map") ":16: error: <serial>: client 'gamma' maps 'mine' at 0x50003000-0x50005000 "
                               "(line 12), where the serial rings go (0x50000000-0x50006000)" },
    { .name = "serial_client_no_symbol",
      .board = BOARD,
      .expect = SYS("serial_client_no_symbol") ":14: error: PD 'plain' is client 1 of the <serial> on line "
                                               "12, but its program '{OUT}/pd.elf' has no symbol "
                                               "'serial_client_config' to receive its configuration" },
    { .name = "serial_client_twice",
      .board = BOARD,
      .expect = SYS(
          "serial_client_twice") ":12: error: PD 'alpha' is client 2 of the <serial> on line 9 and its own "
                                 "client 1, but symbol 'serial_client_config' in its program "
                                 "'{OUT}/serial_client.elf' is 96 bytes: 2 entries of 96 bytes are "
                                 "needed (is the program a client only once?)" },
    { .name = "serial_disabled",
      .board = BOARD,
      .expect = SYS("serial_disabled") ":9: error: <serial>: UART /serial@9200000 is disabled in the board "
                                       "device tree (status is not \"okay\")" },
    { .name = "serial_initial_client",
      .board = BOARD,
      .expect = SYS(
          "serial_initial_client") ":9: error: <serial> initial_client 2 out of range 0..1 (its clients)" },
    { .name = "serial_log_not_console",
      .board = BOARD,
      .expect = SYS("serial_log_not_console") ":9: error: <serial> log_size: the kernel's log ring needs the "
                                              "kernel's console UART (/chosen stdout-path), and "
                                              "/serial@9100000 is not it (use log_size=\"0\")" },
    { .name = "serial_log_pow2",
      .board = BOARD,
      .expect = SYS("serial_log_pow2") ":9: error: <serial> log_size 0x3000 must be a power of two in "
                                       "0x100..0x100000, or 0 for none" },
    { .name = "serial_mr_overlap",
      .board = BOARD,
      .expect = SYS("serial_mr_overlap") ":9: error: memory region 'regs' (0x9000000-0x9001000) covers the "
                                         "registers of UART /pl011@9000000, which the <serial> on line 14 "
                                         "gives to its driver alone" },
    { .name = "serial_name_long",
      .board = BOARD,
      .expect = SYS("serial_name_long") ":13: error: <client> 'a_client_name_of_32_characters__': a serial "
                                        "client's name must be at most 31 characters" },
    { .name = "serial_no_clients",
      .board = BOARD,
      .expect = SYS("serial_no_clients") ":9: error: <serial> has no <client>" },
    { .name = "serial_no_irq",
      .board = BOARD,
      .expect =
          SYS("serial_no_irq") ":9: error: <serial>: UART /serial@9300000 has no 'interrupts' property" },
    { .name = "serial_no_reg",
      .board = BOARD,
      .expect =
          SYS("serial_no_reg") ":9: error: <serial>: UART /serial@9500000 has no usable 'reg' property" },
    { .name = "serial_not_uart",
      .board = BOARD,
      .expect = SYS("serial_not_uart") ":9: error: <serial>: node /serial@9400000 (compatible \"ns16550a\") "
                                       "is not a supported UART (arm,pl011 or fsl,imx*-uart)" },
    { .name = "serial_onoff",
      .board = BOARD,
      .expect =
          SYS("serial_onoff") ":9: error: <serial> attribute colour=\"yes\" must be \"on\" or \"off\"" },
    { .name = "serial_passthrough",
      .board = BOARD,
      .expect =
          SYS("serial_passthrough") ":6: error: <passthrough> region 'linux_pl011@9000000' "
                                    "(0x9000000-0x9001000) covers the registers of UART /pl011@9000000, "
                                    "which the <serial> on line 12 gives to its driver alone" },
    { .name = "serial_budget",
      .board = BOARD,
      .expect = SYS("serial_budget") ":9: error: <serial>: driver_budget 12000 and driver_period 10000 "
                                     "(microseconds) must be 0 < driver_budget <= driver_period <= 1000000" },
    { .name = "pd_period_alone",
      .board = BOARD,
      .expect = SYS("pd_period_alone") ":6: error: protection domain: period without budget" },
    { .name = "serial_priority",
      .board = BOARD,
      .expect = SYS("serial_priority") ":9: error: <serial> driver_priority 255 out of range 0..254" },
    { .name = "serial_reserved_name",
      .board = BOARD,
      .expect = SYS("serial_reserved_name") ":9: error: PD name 'serial_tx' is taken by the <serial> on line "
                                            "12, which makes a PD of that name" },
    { .name = "serial_ring_large",
      .board = BOARD,
      .expect = SYS("serial_ring_large") ":9: error: <serial> ring_size 0x200000 must be a power of two in "
                                         "0x100..0x100000" },
    { .name = "serial_ring_pow2",
      .board = BOARD,
      .expect = SYS("serial_ring_pow2") ":9: error: <serial> ring_size 0x1800 must be a power of two in "
                                        "0x100..0x100000" },
    { .name = "serial_too_many_clients",
      .board = BOARD,
      .expect = SYS("serial_too_many_clients") ":26: error: <serial> has more than 16 clients" },
    { .name = "serial_two",
      .board = BOARD,
      .expect = SYS(
          "serial_two") ":12: error: only one <serial> per system is supported (the first is on line 9)" },
    { .name = "serial_two_on_one_uart",
      .board = BOARD,
      .expect = SYS("serial_two_on_one_uart") ":12: error: <serial>: UART /pl011@9000000 already belongs to "
                                              "the <serial> on line 9" },
    { .name = "serial_unknown_alias",
      .board = BOARD,
      .expect = SYS("serial_unknown_alias") ":9: error: <serial> uart \"serial9\" is neither a node nor an "
                                            "alias in the board device tree ({OUT}/board_serial.dtb)" },
    { .name = "serial_unknown_client",
      .board = BOARD,
      .expect =
          SYS("serial_unknown_client") ":11: error: <client> refers to unknown protection domain 'ghost'" },
    { .name = "serial_unknown_uart",
      .board = BOARD,
      .expect = SYS("serial_unknown_uart") ":9: error: <serial> uart \"/nope\" is neither a node nor an "
                                           "alias in the board device tree ({OUT}/board_serial.dtb)" },
};

int main(void)
{
    return run_err_cases("serial errors", cases, sizeof cases / sizeof cases[0], NULL, 0);
}

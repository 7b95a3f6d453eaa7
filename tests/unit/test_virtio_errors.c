/* Every broken <virtio_console> (and <client name>) gives exactly one error naming its file and
 * line (fixtures/err/virtio_*, serial_client_name_*), and no image is written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "err_cases.h"
#include "harness.h"

#define GUEST ":6: error: guest 'linux': <virtio_console> "

static const struct err_case cases[] = {
    { .name = "virtio_no_serial",
      .expect = SYS("virtio_no_serial") GUEST "client 'vmm': the system has no <serial> to back it" },
    { .name = "virtio_unknown_client",
      .expect =
          SYS("virtio_unknown_client") GUEST "client 'ghost' is not a client of the <serial> on line 9" },
    { .name = "virtio_not_vmm",
      .expect =
          SYS("virtio_not_vmm") GUEST "client 'other' is PD 'other' (line 14), not the guest's VMM 'vmm'" },
    { .name = "virtio_client_twice",
      .expect = SYS("virtio_client_twice") ":7: error: guest 'linux': <virtio_console> client 'vmm' already "
                                           "backs port 0 of the console on line 6" },
    { .name = "virtio_over_ram",
      .expect = SYS("virtio_over_ram") GUEST
      "window 0x40fff000-0x41000000 overlaps its RAM 0x40000000-0x41000000" },
    { .name = "virtio_over_passthrough",
      .expect =
          SYS("virtio_over_passthrough") ":7: error: guest 'linux': <virtio_console> window "
                                         "0x9010000-0x9011000 overlaps the registers of passthrough node "
                                         "'/pl031@9010000' (line 6, 0x9010000-0x9011000)" },
    { .name = "virtio_over_gicd",
      .expect =
          SYS("virtio_over_gicd") GUEST "window 0x800f000-0x8010000 overlaps the GIC distributor the VMM "
                                        "emulates (0x8000000-0x8010000)" },
    { .name = "virtio_over_gicr",
      .expect =
          SYS("virtio_over_gicr") GUEST "window 0x80b0000-0x80b1000 overlaps the GIC redistributors the "
                                        "VMM emulates (0x80a0000-0x80c0000)" },
    { .name = "virtio_over_virtio",
      .expect =
          SYS("virtio_over_virtio") ":7: error: guest 'linux': <virtio_console> window "
                                    "0x20000000-0x20001000 overlaps the window of the <virtio_console> on "
                                    "line 6 (0x20000000-0x20001000)" },
    { .name = "virtio_spi_passthrough",
      .expect =
          SYS("virtio_spi_passthrough") ":7: error: guest 'linux': <virtio_console> spi 2 (INTID 34) is "
                                        "already used by the <passthrough> on line 6" },
    { .name = "virtio_spi_virtio",
      .expect = SYS("virtio_spi_virtio") ":7: error: guest 'linux': <virtio_console> spi 3 (INTID 35) is "
                                         "already used by the <virtio_console> on line 6" },
    { .name = "virtio_spi_range",
      .expect = SYS("virtio_spi_range") GUEST "spi 96 out of range 0..95 (the virtual GIC implements INTIDs "
                                              "32..127)" },
    { .name = "virtio_too_many",
      .expect = SYS(
          "virtio_too_many") ":14: error: guest 'linux' has more than 8 virtIO devices (VMM_MAX_VIRTIO)" },
    { .name = "virtio_ipa",
      .expect =
          SYS("virtio_ipa") GUEST "window at 0x400000000 is beyond the kernel's 34-bit stage-2 input range "
                                  "for a VM (IPAs below 0x400000000)" },
    { .name = "virtio_misaligned",
      .expect =
          SYS("virtio_misaligned") GUEST "addr 0xa000800 is not aligned to 0x1000 (its register window)" },
    { .name = "virtio_irq_id",
      .expect =
          SYS("virtio_irq_id") GUEST "takes its interrupt as spi=\"N\" (an SPI number), not irq_id (a VMM "
                                     "channel id, which an emulated device does not need)" },
    { .name = "virtio_cols", .expect = SYS("virtio_cols") GUEST "cols 0 out of range 1..65535" },
    { .name = "virtio_rows", .expect = SYS("virtio_rows") GUEST "rows 65536 out of range 1..65535" },
    { .name = "virtio_no_client",
      .expect =
          SYS("virtio_no_client") ":6: error: <virtio_console> is missing required attribute 'client'" },
    { .name = "virtio_child",
      .expect = SYS("virtio_child") ":7: error: unknown element <queue> in <virtio_console>" },
    /* multiport: each <port> is its own client of this VMM, named safely, at most 3 a console */
    { .name = "virtio_port_unknown_client",
      .expect = SYS("virtio_port_unknown_client") ":7: error: guest 'linux': <port> client 'ghost' is not a "
                                                  "client of the <serial> on line 11" },
    { .name = "virtio_port_not_vmm",
      .expect = SYS("virtio_port_not_vmm") ":7: error: guest 'linux': <port> client 'other' is PD 'other' "
                                           "(line 16), not the guest's VMM 'vmm'" },
    { .name = "virtio_port_twice",
      .expect = SYS("virtio_port_twice") ":7: error: guest 'linux': <port> client 'vmm' already backs port 0 "
                                         "of the console on line 6" },
    { .name = "virtio_port_too_many",
      .expect =
          SYS("virtio_port_too_many") ":9: error: guest 'linux': <virtio_console> has more than 3 ports "
                                      "(its own client and 2 <port>s: the transport's 8 queues)" },
    { .name = "virtio_port_name_long",
      .expect = SYS("virtio_port_name_long") ":7: error: guest 'linux': <port> port name "
                                             "'org.example.a-name-of-32-chars.x' must be 1..31 characters" },
    { .name = "virtio_port_name_chars",
      .expect = SYS("virtio_port_name_chars") GUEST "port name 'con/0' may only use letters, digits, '_', "
                                                    "'.', '-' and '@', and may not start with '.' or '-'" },
    { .name = "virtio_port_no_client",
      .expect = SYS("virtio_port_no_client") ":7: error: <port> is missing required attribute 'client'" },
    { .name = "virtio_port_symbol_small",
      .expect =
          SYS("virtio_port_symbol_small") ":13: error: PD 'vmm' (the VMM of guest 'linux') is client 1 of "
                                          "the <serial> on line 11 "
                                          "and its own client 1, but symbol 'serial_client_config' in "
                                          "its program '{OUT}/vmm_serial1.elf' is 96 bytes: 2 entries "
                                          "of 96 bytes are needed (is the program a client only once?)" },
    { .name = "virtio_resize_order",
      .expect =
          SYS("virtio_resize_order") GUEST "resize_order must be \"cols_rows\" (the virtIO specification, "
                                           "Linux since its 2025 fix) or \"rows_cols\" (older Linux), not "
                                           "\"cols-rows\"" },
    /* the VMM is a serial client like any other: its program must take the configuration */
    { .name = "virtio_vmm_no_symbol",
      .expect =
          SYS("virtio_vmm_no_symbol") ":10: error: PD 'vmm' is client 0 of the <serial> on line 9, but "
                                      "its program '{OUT}/vmm.elf' has no symbol 'serial_client_config' "
                                      "to receive its configuration" },
    { .name = "serial_client_name_dup",
      .expect = SYS("serial_client_name_dup") ":11: error: <serial>: client name 'x' is already client 0's "
                                              "(line 10)" },
    { .name = "serial_client_name_default",
      .expect =
          SYS("serial_client_name_default") ":11: error: <serial>: client name 'beta' is already client "
                                            "0's (line 10)" },
    { .name = "serial_client_name_bad",
      .expect =
          SYS("serial_client_name_bad") ":10: error: serial client name 'a b' may only use letters, "
                                        "digits, '_', '.', '-' and '@', and may not start with '.' or '-'" },
    { .name = "serial_client_name_long",
      .expect = SYS("serial_client_name_long") ":10: error: <client> 'a_client_name_of_32_characters__': a "
                                               "serial client's name must be at most 31 characters" },
};

int main(void)
{
    return run_err_cases("virtio errors", cases, sizeof cases / sizeof cases[0], NULL, 0);
}

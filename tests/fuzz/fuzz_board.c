/* libFuzzer target: the board device tree, read by board_load and then used for the guests'
 * device trees (passthrough nodes, pruning) of the unit tests' guest.system, by the plain
 * PD system valid.system, and for a <serial>'s UART (serial.system: its node, registers,
 * interrupt and clocks). */
#include "mksys_driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dtb = fz_write(0, "board.dtb", data, size);
    fz_mksys(&(struct fz_run){ .board = dtb, .system = fz_src(1, "guest.system") });
    fz_mksys(&(struct fz_run){ .board = dtb, .system = fz_src(1, "valid.system") });
    fz_mksys(&(struct fz_run){ .board = dtb, .system = fz_src(1, "serial.system") });
    return 0;
}

/* libFuzzer target: the board device tree, read by board_load and then used for the guests'
 * device trees (passthrough nodes, pruning) of the unit tests' guest.system, and by the plain
 * PD system valid.system. */
#include "mksys_driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dtb = fz_write(0, "board.dtb", data, size);
    fz_mksys(&(struct fz_run){ .board = dtb, .system = fz_src(1, "guest.system") });
    fz_mksys(&(struct fz_run){ .board = dtb, .system = fz_src(1, "valid.system") });
    return 0;
}

/* libFuzzer target: a guest arm64 Image as mksys reads it for <linux_vm kernel="Image">
 * (header checks, placement in guest RAM, the image's copy in the boot image), with the
 * unit tests' guest.system, whose two guests share the file. */
#include "mksys_driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_write(0, "Image", data, size); /* found before the fixture of that name */
    fz_mksys(&(struct fz_run){ .system = fz_src(1, "guest.system") });
    return 0;
}

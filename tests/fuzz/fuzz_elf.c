/* libFuzzer target: an ELF file in each role mksys reads one: a PD program (valid.system's
 * pd.elf: segments, setvar symbols), a VMM (guest.system's vmm.elf: the vmm_config symbol it
 * patches) and the host kernel (--kernel: boot_sysimg_pa and the load address). */
#include "mksys_driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *valid = fz_src(1, "valid.system");
    fz_write(0, "pd.elf", data, size); /* found before the fixture of that name */
    fz_mksys(&(struct fz_run){ .system = valid });
    fz_remove("pd.elf");
    fz_write(0, "vmm.elf", data, size);
    fz_mksys(&(struct fz_run){ .system = fz_src(1, "guest.system") });
    fz_remove("vmm.elf");
    const char *kernel = fz_write(0, "kernel.elf", data, size);
    fz_mksys(&(struct fz_run){ .kernel = kernel, .system = valid });
    fz_remove("kernel.elf");
    return 0;
}

/* What the kernel can translate and reach (include/sys_limits.h): IPAs of every map below the
 * stage-2 input range, fixed physical regions below its output range, and the devices the
 * kernel itself drives (console UART, GIC) inside the device part of its EL2 map. */
#include "check.h"
#include "diag.h"
#include "sys_limits.h"
#include "sysimg.h"

typedef unsigned long long ull;

/* A VM's stage-2 input range is smaller than a native PD's (its walk starts a level lower). */
static int check_maps(const struct sd_system *sys, bool vm, const char *name, const struct sd_map *maps,
                      size_t n)
{
    uint64_t end = vm ? SYS_VM_IPA_END : SYS_IPA_END;
    for (size_t j = 0; j < n; j++) {
        const struct sd_mr *mr = &sys->mrs.v[maps[j].mr];
        /* the parser keeps vaddr and size below 2^48, so only the comparison is needed */
        if (maps[j].vaddr >= end || mr->size > end - maps[j].vaddr)
            return err_at(sys->file, maps[j].line,
                          "%s '%s': map of '%s' at 0x%llx-0x%llx is beyond the kernel's %u-bit stage-2 input "
                          "range for %s (IPAs below 0x%llx)",
                          vm ? "VM" : "PD", name, mr->name, (ull)maps[j].vaddr,
                          (ull)(maps[j].vaddr + mr->size), vm ? SYS_VM_IPA_BITS : SYS_IPA_BITS,
                          vm ? "a VM" : "a PD", (ull)end);
    }
    return 0;
}

static int check_fixed_mrs(const struct sd_system *sys)
{
    for (size_t i = 0; i < sys->mrs.n; i++) {
        const struct sd_mr *mr = &sys->mrs.v[i];
        if (mr->fixed && (mr->phys_addr >= SYS_PA_END || mr->size > SYS_PA_END - mr->phys_addr))
            return err_at(sys->file, mr->line,
                          "memory region '%s' at 0x%llx-0x%llx is beyond the kernel's %u-bit physical "
                          "address range (below 0x%llx)",
                          mr->name, (ull)mr->phys_addr, (ull)(mr->phys_addr + mr->size), SYS_PA_BITS,
                          (ull)SYS_PA_END);
    }
    return 0;
}

/* The kernel's EL2 map makes [0, SYS_EL2_DEVICE_LIMIT) outside RAM device memory, nothing else. */
static int check_device(const struct board *b, const char *what, uint64_t base, uint64_t size)
{
    bool below = base < SYS_EL2_DEVICE_LIMIT && size <= SYS_EL2_DEVICE_LIMIT - base;
    if (!below || ranges_overlap(base, size, b->ram_base, b->ram_size))
        return err_file(b->file,
                        "%s at 0x%llx-0x%llx is outside the device memory the kernel maps for itself (below "
                        "0x%llx, outside RAM 0x%llx-0x%llx)",
                        what, (ull)base, (ull)(base + size), (ull)SYS_EL2_DEVICE_LIMIT, (ull)b->ram_base,
                        (ull)(b->ram_base + b->ram_size));
    return 0;
}

int check_limits(const struct sd_system *sys, const struct board *b)
{
    if (b->ram_base >= SYS_PA_END || b->ram_size > SYS_PA_END - b->ram_base)
        return err_file(b->file, "RAM 0x%llx-0x%llx is beyond the kernel's %u-bit physical address range",
                        (ull)b->ram_base, (ull)(b->ram_base + b->ram_size), SYS_PA_BITS);
    if (b->uart_kind != SYSIMG_UART_NONE && check_device(b, "the console UART", b->uart_base, SYS_UART_SIZE))
        return -1;
    if (check_device(b, "the GIC distributor", b->gicd_base, SYS_GICD_SIZE) ||
        check_device(b, "the GIC redistributors", b->gicr_base, b->gicr_size))
        return -1;
    for (size_t i = 0; i < sys->pds.n; i++)
        if (check_maps(sys, false, sys->pds.v[i].name, sys->pds.v[i].maps.v, sys->pds.v[i].maps.n))
            return -1;
    for (size_t i = 0; i < sys->vms.n; i++)
        if (check_maps(sys, true, sys->vms.v[i].name, sys->vms.v[i].maps.v, sys->vms.v[i].maps.n))
            return -1;
    return check_fixed_mrs(sys);
}

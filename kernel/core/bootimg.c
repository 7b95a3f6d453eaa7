/*
 * Sanity checks on the system description the image tool put in the boot image. The tool has
 * already checked the system; this catches a stale or corrupted image before it can misdirect
 * the kernel, and names what is wrong.
 */
#include "bootimg.h"
#include "console.h"

extern char _start[], __stack_top[];

static bool in_ram(const struct sysimg_header *h, uint64_t pa, uint64_t size)
{
    return pa >= h->ram_base && size <= h->ram_size && pa - h->ram_base <= h->ram_size - size;
}

static bool overlaps_kernel(uint64_t pa, uint64_t size)
{
    return pa < (uint64_t)__stack_top && pa + size > (uint64_t)_start;
}

/* After mmu_el2_enable only [0, SYS_EL2_DEVICE_LIMIT) outside RAM is device memory. The GIC
 * is checked here, while the console still works; a console UART outside it could not report
 * itself, which is why the image tool refuses it (tools/mksys/check_limits.c). */
static bool device_ok(const struct sysimg_header *h, uint64_t pa, uint64_t size)
{
    bool below = pa < SYS_EL2_DEVICE_LIMIT && size <= SYS_EL2_DEVICE_LIMIT - pa;
    bool meets_ram = pa >= h->ram_base ? pa - h->ram_base < h->ram_size : h->ram_base - pa < size;
    return below && !meets_ram;
}

static bool table_fits(const struct sysimg_header *h, uint32_t off, uint32_t n, uint32_t each)
{
    return off <= h->size && (uint64_t)n * each <= h->size - off;
}

static void check_pd(const struct sysimg_header *h, const struct sysimg_pd *pd, unsigned i)
{
    if (pd->name[SYSIMG_NAME_LEN - 1] != '\0')
        panic("bad boot image: PD %u has no NUL-terminated name", i);
    if (pd->priority > 254)
        panic("bad boot image: PD '%s' priority %u > 254", pd->name, pd->priority);
    if (pd->parent != SYSIMG_NO_PARENT && pd->parent >= h->num_pds)
        panic("bad boot image: PD '%s' parent %u out of range", pd->name, pd->parent);
    if (pd->parent != SYSIMG_NO_PARENT && pd->child_id > SYS_MAX_CHILD_ID)
        panic("bad boot image: PD '%s' child id %u out of range 0..%u", pd->name, pd->child_id,
              SYS_MAX_CHILD_ID);
    if (pd->first_map > h->num_maps || pd->num_maps > h->num_maps - pd->first_map)
        panic("bad boot image: PD '%s' maps out of range", pd->name);
    if (pd->cpu >= h->num_cpus)
        panic("bad boot image: PD '%s' placed on core %u of %u", pd->name, pd->cpu, h->num_cpus);
    if (pd->vm_first >= h->num_pds)
        panic("bad boot image: PD '%s' vm_first %u out of range", pd->name, pd->vm_first);
    if (pd->flags & ~(SYSIMG_PD_VCPU | SYSIMG_PD_VTIMER_TO_VMM) ||
        (pd->flags & SYSIMG_PD_VTIMER_TO_VMM && !(pd->flags & SYSIMG_PD_VCPU)))
        panic("bad boot image: PD '%s' flags 0x%x", pd->name, pd->flags);
    if (pd->flags & SYSIMG_PD_VCPU) {
        if (pd->parent == SYSIMG_NO_PARENT)
            panic("bad boot image: vCPU '%s' has no VMM", pd->name);
    } else if (!in_ram(h, pd->ipc_buf_pa, PAGE_SIZE) || pd->ipc_buf_pa & (PAGE_SIZE - 1))
        panic("bad boot image: PD '%s' IPC buffer 0x%lx not a RAM page", pd->name, pd->ipc_buf_pa);
    for (unsigned c = 0; c < SYSIMG_MAX_CHANNELS; c++) {
        const struct sysimg_channel *ch = &pd->ch[c];
        bool bad = ch->kind == SYSIMG_CH_CHANNEL
                       ? ch->peer_pd >= h->num_pds || ch->peer_ch >= SYSIMG_MAX_CHANNELS
                   : ch->kind == SYSIMG_CH_IRQ ? ch->irq >= 1020
                   /* the log ring's consumer, at the one slot the header names */
                   : ch->kind == SYSIMG_CH_KLOG ? !h->log_pa || h->log_pd != i || h->log_ch != c
                                                : ch->kind != SYSIMG_CH_NONE;
        if (bad)
            panic("bad boot image: PD '%s' channel %u is invalid", pd->name, c);
    }
}

const struct sysimg_header *bootimg_check(uint64_t pa)
{
    const struct sysimg_header *h = (const void *)pa;
    if (h->version != SYSIMG_VERSION)
        panic("boot image version %u, this kernel reads version %u", h->version, SYSIMG_VERSION);
    if (h->num_pds == 0 || h->num_pds > SYSIMG_MAX_PDS)
        panic("bad boot image: %u PDs (1..%u allowed)", h->num_pds, SYSIMG_MAX_PDS);
    if (h->num_cpus == 0 || h->num_cpus > SYS_MAX_CPUS)
        panic("bad boot image: %u cores (1..%u allowed)", h->num_cpus, SYS_MAX_CPUS);
    if (!table_fits(h, h->pds_off, h->num_pds, sizeof(struct sysimg_pd)) ||
        !table_fits(h, h->maps_off, h->num_maps, sizeof(struct sysimg_map)) ||
        !table_fits(h, h->zero_off, h->num_zero, sizeof(struct sysimg_zero)))
        panic("bad boot image: a table lies outside the %u-byte description", h->size);
    if (!device_ok(h, h->gicd_base, SYS_GICD_SIZE) || !device_ok(h, h->gicr_base, h->gicr_size))
        panic("bad boot image: GIC 0x%lx/0x%lx+0x%lx is not device memory below 0x%lx", h->gicd_base,
              h->gicr_base, h->gicr_size, (uint64_t)SYS_EL2_DEVICE_LIMIT);
    const struct sysimg_pd *pds = (const void *)(pa + h->pds_off);
    for (unsigned i = 0; i < h->num_pds; i++)
        check_pd(h, &pds[i], i);
    if (!in_ram(h, h->pt_pool_pa, h->pt_pool_size) || h->pt_pool_size < PAGE_SIZE ||
        (h->pt_pool_pa | h->pt_pool_size) & (PAGE_SIZE - 1) ||
        overlaps_kernel(h->pt_pool_pa, h->pt_pool_size))
        panic("bad boot image: page-table pool 0x%lx+0x%lx is not free RAM", h->pt_pool_pa, h->pt_pool_size);
    /* the pool was sized for this leaf size: any other would run it dry or map wrongly */
    if (h->stage2_block != SYSIMG_S2_BLOCK_4K && h->stage2_block != SYSIMG_S2_BLOCK_2M)
        panic("bad boot image: stage-2 block size 0x%x (0x%x or 0x%x allowed)", h->stage2_block,
              SYSIMG_S2_BLOCK_4K, SYSIMG_S2_BLOCK_2M);
    const struct sysimg_zero *z = (const void *)(pa + h->zero_off);
    for (unsigned i = 0; i < h->num_zero; i++)
        if (!in_ram(h, z[i].pa, z[i].size) || overlaps_kernel(z[i].pa, z[i].size))
            panic("bad boot image: zero range 0x%lx+0x%lx is not free RAM", z[i].pa, z[i].size);
    return h;
}

void bootimg_zero(const struct sysimg_header *h)
{
    const struct sysimg_zero *z = (const void *)((const char *)h + h->zero_off);
    for (unsigned i = 0; i < h->num_zero; i++)
        memset((void *)z[i].pa, 0, z[i].size);
}

/* Physical layout, in address order from the kernel's load address:
 *   kernel segments (+ its .bss) | sysimg | PD program pages | regions holding guest files
 *   (kernels, initrds, DTBs) | [guest RAM starting with a pre-placed kernel] <- end of the file
 *   | [the rest of that RAM] | PD .bss pages, stacks, IPC buffers | memory regions without
 *   phys_addr                                                                 <- image_end
 * Everything after the file is zero-filled memory listed in the zero table, except guest RAM
 * (sd_mr.nozero), which starts with whatever the machine holds there. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "layout.h"
#include "pd_abi.h"
#include "sys_limits.h"

_Static_assert(sizeof(struct sysimg_header) % 8 == 0, "sysimg header keeps tables 8-byte aligned");
_Static_assert(sizeof(struct sysimg_pd) % 8 == 0, "sysimg_pd keeps tables 8-byte aligned");

/* Allocated regions are zeroed at boot unless they hold file bytes or are guest RAM. */
bool mr_zeroed(const struct sd_mr *mr)
{
    return !mr->fixed && !mr->data && !mr->nozero;
}

static void count_entries(const struct sd_system *sys, struct layout *lay)
{
    lay->num_maps = lay->num_zero = 0;
    for (size_t i = 0; i < sys->pds.n; i++) {
        struct pd_layout *pl = &lay->pd[i];
        pl->first_map = lay->num_maps;
        pl->num_maps = 2 + (uint32_t)sys->pds.v[i].maps.n; /* stack, IPC buffer, <map>s */
        lay->num_zero += 2;
        for (size_t j = 0; j < pl->regions.n; j++) {
            const struct prog_region *r = &pl->regions.v[j];
            pl->num_maps += (r->file_size != 0) + (r->size != r->file_size);
            lay->num_zero += r->size != r->file_size;
        }
        lay->num_maps += pl->num_maps;
    }
    for (size_t i = 0; i < sys->vms.n; i++)
        lay->num_maps += (uint32_t)sys->vms.v[i].maps.n;
    for (size_t i = 0; i < sys->mrs.n; i++)
        lay->num_zero += mr_zeroed(&sys->mrs.v[i]);
    lay->num_zero += 1; /* the kernel's page-table pool */
}

static uint64_t take(uint64_t *cursor, uint64_t size, uint64_t align, uint64_t *zero_bytes)
{
    uint64_t pa = align_up(*cursor, align);
    *cursor = pa + size;
    *zero_bytes += size;
    return pa;
}

static void place_zero_fill(struct sd_system *sys, struct layout *lay, uint64_t *cursor)
{
    for (size_t i = 0; i < sys->pds.n; i++) {
        struct pd_layout *pl = &lay->pd[i];
        for (size_t j = 0; j < pl->regions.n; j++) {
            struct prog_region *r = &pl->regions.v[j];
            if (r->size != r->file_size)
                r->bss_pa = take(cursor, r->size - r->file_size, PAGE_4K, &lay->zero_bytes);
        }
        pl->stack_pa = take(cursor, sys->pds.v[i].stack_size, PAGE_4K, &lay->zero_bytes);
        pl->ipc_pa = take(cursor, PAGE_4K, PAGE_4K, &lay->zero_bytes);
    }
    /* Large-page regions first so their alignment wastes at most one gap. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < sys->mrs.n; i++) {
            struct sd_mr *mr = &sys->mrs.v[i];
            if (!mr->fixed && !mr->data && (mr->page_size == PAGE_2M) == (pass == 0))
                mr->pa = take(cursor, mr->size, mr->page_size, &lay->zero_bytes);
        }
}

/* The kernel's stage-2 table pool, sized from the maps now that every PA is known. */
static void place_pt_pool(const struct sd_system *sys, const struct board *b, struct layout *lay,
                          uint64_t *cursor)
{
    size_t npds = sys->pds.n + sd_num_vcpus(sys);
    struct sysimg_pd *pds = xcalloc(npds, sizeof *pds);
    struct sysimg_map *maps = xcalloc(lay->num_maps ? lay->num_maps : 1, sizeof *maps);
    struct sysimg_zero *zero = xcalloc(lay->num_zero, sizeof *zero);
    sysimg_tables(sys, lay, pds, maps, zero);
    lay->pt_pool_size = s2pool_tables(pds, npds, maps, b->stage2_block) * PAGE_4K;
    free(pds);
    free(maps);
    free(zero);
    /* aligned for the VM roots at its start, if there are any (kernel/arch/aarch64/stage2.c) */
    uint64_t align = sys->vms.n ? SYS_S2_POOL_ALIGN : PAGE_4K;
    lay->pt_pool_pa = take(cursor, lay->pt_pool_size, align, &lay->zero_bytes);
}

static int check_fits(const struct sd_system *sys, const struct board *b, const struct layout *lay)
{
    uint64_t ram_end = b->ram_base + b->ram_size;
    if (lay->image_end > ram_end)
        return err_file(sys->file,
                        "system does not fit in RAM: needs 0x%llx bytes from 0x%llx to 0x%llx (of them "
                        "0x%llx for %llu stage-2 table pages%s), RAM ends at 0x%llx",
                        (unsigned long long)(lay->image_end - lay->load), (unsigned long long)lay->load,
                        (unsigned long long)lay->image_end, (unsigned long long)lay->pt_pool_size,
                        (unsigned long long)(lay->pt_pool_size / PAGE_4K),
                        b->stage2_block == SYSIMG_S2_BLOCK_4K ? ": the board maps 4 KiB stage-2 pages only"
                                                              : "",
                        (unsigned long long)ram_end);
    for (size_t i = 0; i < sys->mrs.n; i++) {
        const struct sd_mr *mr = &sys->mrs.v[i];
        if (mr->fixed && ranges_overlap(mr->pa, mr->size, lay->load, lay->image_end - lay->load))
            return err_at(sys->file, mr->line,
                          "memory region '%s' (0x%llx-0x%llx) overlaps the image in RAM (0x%llx-0x%llx)",
                          mr->name, (unsigned long long)mr->pa, (unsigned long long)(mr->pa + mr->size),
                          (unsigned long long)lay->load, (unsigned long long)lay->image_end);
    }
    return 0;
}

int layout_assign(struct sd_system *sys, const struct board *b, const struct kernel_info *k,
                  struct layout *lay)
{
    lay->load = k->load;
    lay->kernel_end = k->end;
    count_entries(sys, lay);
    lay->sysimg_pa = align_up(k->end, PAGE_4K);
    lay->pds_off = sizeof(struct sysimg_header);
    lay->maps_off = lay->pds_off + (uint32_t)((sys->pds.n + sd_num_vcpus(sys)) * sizeof(struct sysimg_pd));
    lay->zero_off = lay->maps_off + lay->num_maps * (uint32_t)sizeof(struct sysimg_map);
    lay->sysimg_size = lay->zero_off + lay->num_zero * sizeof(struct sysimg_zero);

    uint64_t cursor = align_up(lay->sysimg_pa + lay->sysimg_size, PAGE_4K);
    for (size_t i = 0; i < sys->pds.n; i++)
        for (size_t j = 0; j < lay->pd[i].regions.n; j++) {
            struct prog_region *r = &lay->pd[i].regions.v[j];
            r->pa = cursor;
            cursor += r->file_size;
        }
    for (size_t i = 0; i < sys->mrs.n; i++) {
        struct sd_mr *mr = &sys->mrs.v[i];
        if (mr->data && !mr->nozero) {
            mr->pa = cursor;
            cursor += mr->size;
        }
    }
    lay->file_end = cursor;
    /* Guest RAM holding stored bytes ends the file, only those bytes in it (guest.c makes one;
     * a second would make the file hold all of the first). */
    for (size_t i = 0; i < sys->mrs.n; i++) {
        struct sd_mr *mr = &sys->mrs.v[i];
        if (mr->data && mr->nozero) {
            mr->pa = align_up(cursor, mr->page_size);
            lay->file_end = mr->pa + align_up(mr->data_len, PAGE_4K);
            cursor = mr->pa + mr->size;
        }
    }
    lay->zero_bytes = 0;
    place_zero_fill(sys, lay, &cursor);
    place_pt_pool(sys, b, lay, &cursor);
    lay->image_end = cursor;
    return check_fits(sys, b, lay);
}

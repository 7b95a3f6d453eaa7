/* Each PD's program: found on the search path, opened, and turned into page-granular regions. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "files.h"
#include "layout.h"
#include "pd_abi.h"

static int not_found(const struct sd_system *sys, const struct sd_pd *pd, const char *const *search,
                     size_t nsearch)
{
    char dirs[512];
    files_search_list(dirs, sizeof dirs, search, nsearch);
    return err_at(sys->file, pd->image_line, "PD '%s': program image '%s' not found in the search path (%s)",
                  pd->name, pd->image, dirs);
}

static uint32_t seg_perms(uint32_t flags)
{
    return ((flags & PF_R) ? SYSIMG_PERM_R : 0) | ((flags & PF_W) ? SYSIMG_PERM_W : 0) |
           ((flags & PF_X) ? SYSIMG_PERM_X : 0);
}

static int by_vaddr(const void *a, const void *b)
{
    const struct elf_seg *x = *(const struct elf_seg *const *)a, *y = *(const struct elf_seg *const *)b;
    return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

/* Segments sharing a page are merged into one region with the union of their permissions. */
static void build_regions(struct pd_layout *pl)
{
    const struct elf_img *e = pl->elf;
    const struct elf_seg **order = xcalloc(e->nsegs, sizeof *order);
    for (size_t i = 0; i < e->nsegs; i++)
        order[i] = &e->segs[i];
    qsort(order, e->nsegs, sizeof *order, by_vaddr);
    for (size_t i = 0; i < e->nsegs; i++) {
        const struct elf_seg *s = order[i];
        uint64_t lo = align_down(s->vaddr, PAGE_4K), hi = align_up(s->vaddr + s->memsz, PAGE_4K);
        uint64_t fhi = s->filesz ? align_up(s->vaddr + s->filesz, PAGE_4K) : lo;
        struct prog_region *r = pl->regions.n ? &pl->regions.v[pl->regions.n - 1] : NULL;
        if (r && lo < r->ipa + r->size) {
            if (hi > r->ipa + r->size)
                r->size = hi - r->ipa;
            if (fhi > r->ipa + r->file_size)
                r->file_size = fhi - r->ipa;
            r->perms |= seg_perms(s->flags);
            continue;
        }
        r = VEC_PUSH(pl->regions);
        r->ipa = lo;
        r->size = hi - lo;
        r->file_size = fhi - lo;
        r->perms = seg_perms(s->flags);
    }
    free(order);
}

static int check_program(const struct sd_system *sys, const struct sd_pd *pd, const struct pd_layout *pl)
{
    bool entry_ok = false;
    for (size_t i = 0; i < pl->regions.n; i++) {
        const struct prog_region *r = &pl->regions.v[i];
        if (r->ipa + r->size > pl->low_limit)
            return err_at(sys->file, pd->image_line,
                          "PD '%s': program segment 0x%llx-0x%llx of '%s' is not below 0x%llx (the runtime's "
                          "reserved area)",
                          pd->name, (unsigned long long)r->ipa, (unsigned long long)(r->ipa + r->size),
                          pl->elf->path, (unsigned long long)pl->low_limit);
    }
    for (size_t i = 0; i < pl->elf->nsegs; i++) {
        const struct elf_seg *s = &pl->elf->segs[i];
        if ((s->flags & PF_X) && pl->elf->entry >= s->vaddr && pl->elf->entry - s->vaddr < s->memsz)
            entry_ok = true;
    }
    if (!entry_ok)
        return err_file(pl->elf->path, "entry point 0x%llx is not inside an executable segment",
                        (unsigned long long)pl->elf->entry);
    return 0;
}

int programs_load(const struct sd_system *sys, const char *const *search, size_t nsearch, struct layout *lay)
{
    for (size_t i = 0; i < sys->pds.n; i++) {
        const struct sd_pd *pd = &sys->pds.v[i];
        struct pd_layout *pl = &lay->pd[i];
        char *path = files_find(pd->image, search, nsearch);
        if (!path)
            return not_found(sys, pd, search, nsearch);
        int rc = elfimg_open(path, &pl->elf);
        free(path);
        if (rc)
            return -1;
        uint64_t stack_base = PD_STACK_TOP - pd->stack_size;
        pl->low_limit = stack_base < PD_RESERVED_BASE ? stack_base : PD_RESERVED_BASE;
        build_regions(pl);
        if (check_program(sys, pd, pl))
            return -1;
    }
    return 0;
}

int programs_check_vaddrs(const struct sd_system *sys, const struct layout *lay)
{
    for (size_t i = 0; i < sys->pds.n; i++) {
        const struct sd_pd *pd = &sys->pds.v[i];
        const struct pd_layout *pl = &lay->pd[i];
        for (size_t j = 0; j < pd->maps.n; j++) {
            const struct sd_map *m = &pd->maps.v[j];
            const struct sd_mr *mr = &sys->mrs.v[m->mr];
            unsigned long long lo = m->vaddr, hi = m->vaddr + mr->size;
            if (ranges_overlap(lo, mr->size, pl->low_limit, PD_RESERVED_END - pl->low_limit))
                return err_at(sys->file, m->line,
                              "PD '%s': map of '%s' at 0x%llx-0x%llx overlaps the runtime's reserved area "
                              "0x%llx-0x%llx (stack, vectors, IPC buffer)",
                              pd->name, mr->name, lo, hi, (unsigned long long)pl->low_limit,
                              (unsigned long long)PD_RESERVED_END);
            for (size_t k = 0; k < pl->regions.n; k++) {
                const struct prog_region *r = &pl->regions.v[k];
                if (ranges_overlap(lo, mr->size, r->ipa, r->size))
                    return err_at(sys->file, m->line,
                                  "PD '%s': map of '%s' at 0x%llx-0x%llx overlaps program segment "
                                  "0x%llx-0x%llx of '%s'",
                                  pd->name, mr->name, lo, hi, (unsigned long long)r->ipa,
                                  (unsigned long long)(r->ipa + r->size), pl->elf->path);
            }
            for (size_t k = 0; k < j; k++) {
                const struct sd_map *o = &pd->maps.v[k];
                const struct sd_mr *omr = &sys->mrs.v[o->mr];
                if (ranges_overlap(lo, mr->size, o->vaddr, omr->size))
                    return err_at(sys->file, m->line,
                                  "PD '%s': map of '%s' at 0x%llx-0x%llx overlaps map of '%s' at "
                                  "0x%llx-0x%llx (line %ld)",
                                  pd->name, mr->name, lo, hi, omr->name, (unsigned long long)o->vaddr,
                                  (unsigned long long)(o->vaddr + omr->size), o->line);
            }
        }
    }
    return 0;
}

uint64_t program_pa(const struct pd_layout *pl, uint64_t ipa)
{
    for (size_t i = 0; i < pl->regions.n; i++) {
        const struct prog_region *r = &pl->regions.v[i];
        if (ipa >= r->ipa && ipa - r->ipa < r->file_size)
            return r->pa + (ipa - r->ipa);
    }
    return 0;
}

void programs_free(struct layout *lay, size_t npds)
{
    for (size_t i = 0; i < npds; i++) {
        elfimg_close(lay->pd[i].elf);
        free(lay->pd[i].regions.v);
    }
}

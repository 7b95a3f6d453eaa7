/* Name resolution: unique names, references to regions and PDs, per-map alignment. */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "sdesc.h"
#include "sysimg.h"

int sd_find_mr(const struct sd_system *sys, const char *name)
{
    for (size_t i = 0; i < sys->mrs.n; i++)
        if (!strcmp(sys->mrs.v[i].name, name))
            return (int)i;
    return -1;
}

static int find_pd(const struct sd_system *sys, const char *name)
{
    for (size_t i = 0; i < sys->pds.n; i++)
        if (!strcmp(sys->pds.v[i].name, name))
            return (int)i;
    return -1;
}

static int unique_names(const struct sd_system *sys)
{
    for (size_t i = 0; i < sys->mrs.n; i++) {
        int first = sd_find_mr(sys, sys->mrs.v[i].name);
        if ((size_t)first != i)
            return err_at(sys->file, sys->mrs.v[i].line,
                          "duplicate memory region name '%s' (first defined on line %ld)", sys->mrs.v[i].name,
                          sys->mrs.v[first].line);
    }
    for (size_t i = 0; i < sys->pds.n; i++) {
        int first = find_pd(sys, sys->pds.v[i].name);
        if ((size_t)first != i)
            return err_at(sys->file, sys->pds.v[i].line,
                          "duplicate protection domain name '%s' (first defined on line %ld)",
                          sys->pds.v[i].name, sys->pds.v[first].line);
    }
    return 0;
}

/* One <map>: its region exists, and vaddr suits the region's page size. `who` is "PD 'a'" or
 * "VM 'linux'". */
int sd_resolve_map(struct sd_system *sys, const char *who, struct sd_map *m)
{
    int mr = sd_find_mr(sys, m->mr_name);
    if (mr < 0)
        return err_at(sys->file, m->line, "%s: <map> refers to unknown memory region '%s'", who, m->mr_name);
    m->mr = (size_t)mr;
    const struct sd_mr *r = &sys->mrs.v[mr];
    if (m->vaddr % r->page_size)
        return err_at(sys->file, m->line,
                      "%s: map of '%s' at vaddr 0x%llx is not aligned to the region's page size 0x%llx", who,
                      r->name, (unsigned long long)m->vaddr, (unsigned long long)r->page_size);
    if (m->vaddr > ADDR_LIMIT - r->size)
        return err_at(sys->file, m->line,
                      "%s: map of '%s' at vaddr 0x%llx extends past the 48-bit address space", who, r->name,
                      (unsigned long long)m->vaddr);
    return 0;
}

static int resolve_maps(struct sd_system *sys, struct sd_pd *pd)
{
    char who[SYSIMG_NAME_LEN + 8];
    snprintf(who, sizeof who, "PD '%s'", pd->name);
    for (size_t j = 0; j < pd->maps.n; j++)
        if (sd_resolve_map(sys, who, &pd->maps.v[j]))
            return -1;
    for (size_t j = 0; j < pd->setvars.n; j++) {
        struct sd_setvar *sv = &pd->setvars.v[j];
        int mr = sd_find_mr(sys, sv->region);
        if (mr < 0)
            return err_at(sys->file, sv->line, "PD '%s': <setvar> refers to unknown memory region '%s'",
                          pd->name, sv->region);
        sv->mr = (size_t)mr;
    }
    return 0;
}

/* Children of one parent are told apart by their id, which the parent sees in fault(). */
static int unique_child_ids(const struct sd_system *sys)
{
    for (size_t i = 0; i < sys->pds.n; i++) {
        const struct sd_pd *a = &sys->pds.v[i];
        for (size_t j = 0; a->parent >= 0 && j < i; j++) {
            const struct sd_pd *b = &sys->pds.v[j];
            if (b->parent == a->parent && b->child_id == a->child_id)
                return err_at(sys->file, a->line,
                              "child PD '%s': id %u is already used by child PD '%s' (line %ld) of '%s'",
                              a->name, a->child_id, b->name, b->line, sys->pds.v[a->parent].name);
        }
    }
    return 0;
}

int sd_resolve(struct sd_system *sys)
{
    if (unique_names(sys) || unique_child_ids(sys))
        return -1;
    for (size_t i = 0; i < sys->pds.n; i++)
        if (resolve_maps(sys, &sys->pds.v[i]))
            return -1;
    if (sd_resolve_vms(sys))
        return -1;
    for (size_t i = 0; i < sys->chans.n; i++) {
        for (int e = 0; e < 2; e++) {
            struct sd_end *end = &sys->chans.v[i].end[e];
            int pd = find_pd(sys, end->pd_name);
            if (pd < 0)
                return err_at(sys->file, end->line, "<end> refers to unknown protection domain '%s'",
                              end->pd_name);
            end->pd = (size_t)pd;
        }
    }
    return 0;
}

/* Writes a PD's configuration into its program's data: the variables libmicrokit reads and
 * the user's setvars. Optional microkit_* symbols are skipped when the program lacks them. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "guest.h"
#include "image.h"
#include "serial_config.h"

struct pd_patch {
    const struct sd_system *sys;
    const struct sd_pd *pd;
    const struct pd_layout *pl;
    struct image *img;
};

/* Finds symbol `name` (at least `need` bytes); *dst is NULL if it is optional and absent. */
static int locate(struct pd_patch *p, const char *name, uint64_t need, bool required, long line,
                  uint8_t **dst, uint64_t *size)
{
    uint64_t vaddr;
    size_t seg;
    *dst = NULL;
    enum sym_where w = elfimg_symbol(p->pl->elf, name, &vaddr, size, &seg);
    if (w == SYM_MISSING && !required)
        return 0;
    if (w != SYM_OK || *size < need)
        return elfimg_symbol_error(p->pl->elf, p->sys->file, line, name, w, *size, need);
    /* All *size bytes are written (microkit_name is cleared whole): they must be in the image. */
    uint64_t pa = program_pa(p->pl, vaddr);
    if (!pa || pa < p->img->base || pa - p->img->base > p->img->size ||
        *size > p->img->size - (pa - p->img->base))
        return err_at(p->sys->file, line,
                      "symbol '%s' in '%s' (0x%llx, %llu bytes) is not in the program's stored pages", name,
                      p->pl->elf->path, (unsigned long long)vaddr, (unsigned long long)*size);
    *dst = image_at(p->img, pa);
    return 0;
}

static int set_u64(struct pd_patch *p, const char *name, uint64_t value, bool required, long line)
{
    uint8_t *dst;
    uint64_t size;
    if (locate(p, name, 8, required, line, &dst, &size))
        return -1;
    if (dst)
        put_le64(dst, value);
    return 0;
}

static int set_name(struct pd_patch *p)
{
    uint8_t *dst;
    uint64_t size;
    if (locate(p, "microkit_name", 1, false, p->pd->image_line, &dst, &size))
        return -1;
    if (!dst)
        return 0;
    size_t n = strlen(p->pd->name);
    if (n > size - 1)
        n = size - 1; /* a shorter array gets a truncated name */
    memset(dst, 0, size);
    memcpy(dst, p->pd->name, n);
    return 0;
}

static void channel_masks(const struct sd_system *sys, size_t i, uint64_t *irqs, uint64_t *notif,
                          uint64_t *pps)
{
    const struct sd_pd *pd = &sys->pds.v[i];
    *irqs = *notif = *pps = 0;
    for (size_t j = 0; j < pd->irqs.n; j++)
        *irqs |= 1ull << pd->irqs.v[j].id;
    for (size_t j = 0; j < sys->chans.n; j++)
        for (int e = 0; e < 2; e++) {
            const struct sd_end *end = &sys->chans.v[j].end[e];
            if (end->pd != i)
                continue;
            if (end->notify)
                *notif |= 1ull << end->id;
            if (end->pp)
                *pps |= 1ull << end->id;
        }
}

/* " (the VMM of guest 'g')" when the PD is a guest's VMM, for errors that a guest's console causes. */
static const char *guest_of(const struct pd_patch *p)
{
    static char buf[160];
    buf[0] = '\0';
    for (size_t i = 0; i < p->sys->guests.n; i++)
        if (&p->sys->pds.v[p->sys->guests.v[i].vmm] == p->pd)
            snprintf(buf, sizeof buf, " (the VMM of guest '%s')", p->sys->guests.v[i].name);
    return buf;
}

/* One sd_patch: its bytes over the symbol's bytes at its offset (the symbol may be larger). A
 * PD that is several clients needs an array symbol with an entry for each. */
static int apply(struct pd_patch *p, const struct sd_patch *pt)
{
    uint64_t vaddr, size;
    size_t seg;
    enum sym_where w = elfimg_symbol(p->pl->elf, pt->symbol, &vaddr, &size, &seg);
    if (w == SYM_MISSING)
        return err_at(p->sys->file, pt->line,
                      "PD '%s' is %s, but its program '%s' has no symbol '%s' to receive its configuration",
                      p->pd->name, pt->why, p->pl->elf->path, pt->symbol);
    if (pt->offset && (w == SYM_OK || w == SYM_BSS) && size < pt->offset + pt->len)
        return err_at(
            p->sys->file, pt->line,
            "PD '%s'%s is %s, but symbol '%s' in its program '%s' is %llu bytes: %zu entries of %zu "
            "bytes are needed (is the program a client only once?)",
            p->pd->name, guest_of(p), pt->why, pt->symbol, p->pl->elf->path, (unsigned long long)size,
            pt->offset / pt->len + 1, pt->len);
    uint8_t *dst;
    if (locate(p, pt->symbol, pt->offset + pt->len, true, pt->line, &dst, &size))
        return -1;
    memcpy(dst + pt->offset, pt->data, pt->len);
    return 0;
}

int patch_pd(const struct sd_system *sys, size_t i, const struct layout *lay, struct image *img)
{
    struct pd_patch p = { sys, &sys->pds.v[i], &lay->pd[i], img };
    uint64_t irqs, notif, pps;
    channel_masks(sys, i, &irqs, &notif, &pps);
    long line = p.pd->image_line;
    if (set_name(&p) || set_u64(&p, "microkit_irqs", irqs, false, line) ||
        set_u64(&p, "microkit_notifications", notif, false, line) ||
        set_u64(&p, "microkit_pps", pps, false, line))
        return -1;
    for (size_t j = 0; j < p.pd->maps.n; j++) {
        const struct sd_map *m = &p.pd->maps.v[j];
        if (m->setvar_vaddr && set_u64(&p, m->setvar_vaddr, m->vaddr, true, m->line))
            return -1;
    }
    for (size_t j = 0; j < p.pd->setvars.n; j++) {
        const struct sd_setvar *sv = &p.pd->setvars.v[j];
        if (set_u64(&p, sv->symbol, sys->mrs.v[sv->mr].pa, true, sv->line))
            return -1;
    }
    for (size_t j = 0; j < p.pd->patches.n; j++)
        if (apply(&p, &p.pd->patches.v[j]))
            return -1;
    return 0;
}

/* The host writes the struct as it lays it out; these hold for AArch64 too (no padding). */
_Static_assert(offsetof(struct vmm_config, ram_ipa) == 80, "vmm_config layout");
_Static_assert(offsetof(struct vmm_config, irqs) == 192 && offsetof(struct vmm_config, virtio) == 328 &&
                   sizeof(struct vmm_config) == 328 + 8 * 160,
               "vmm_config layout");
_Static_assert(offsetof(struct vmm_virtio_dev, mmio_ipa) == 8 &&
                   offsetof(struct vmm_virtio_dev, cols) == 28 &&
                   offsetof(struct vmm_virtio_dev, ports) == 40 && sizeof(struct vmm_virtio_dev) == 160,
               "vmm_virtio_dev layout");
_Static_assert(offsetof(struct vmm_console_port, name) == 8 && sizeof(struct vmm_console_port) == 40,
               "vmm_console_port layout");

/* The serial configurations (serial_expand.c) are patched the same way: fixed-size fields,
 * naturally aligned, so these offsets hold for AArch64 too. */
_Static_assert(sizeof(struct serial_queue_ref) == 24, "serial_queue_ref layout");
_Static_assert(sizeof(struct serial_mode_ref) == 24, "serial_mode_ref layout");
_Static_assert(offsetof(struct serial_driver_config, ref_clock_hz) == 24 &&
                   offsetof(struct serial_driver_config, tx) == 40 &&
                   offsetof(struct serial_driver_config, flags) == 88 &&
                   sizeof(struct serial_driver_config) == 96,
               "serial_driver_config layout");
_Static_assert(offsetof(struct serial_tx_config, driver) == 16 &&
                   offsetof(struct serial_tx_config, log) == 40 &&
                   offsetof(struct serial_tx_config, clients) == 64 &&
                   offsetof(struct serial_tx_config, names) == 448 &&
                   offsetof(struct serial_tx_config, mode) == 960 && sizeof(struct serial_tx_config) == 984,
               "serial_tx_config layout");
_Static_assert(offsetof(struct serial_rx_config, driver) == 16 &&
                   offsetof(struct serial_rx_config, clients) == 40 &&
                   offsetof(struct serial_rx_config, names) == 424 &&
                   offsetof(struct serial_rx_config, mode) == 936 && sizeof(struct serial_rx_config) == 960,
               "serial_rx_config layout");
_Static_assert(offsetof(struct serial_client_config, name) == 16 &&
                   offsetof(struct serial_client_config, tx) == 48 &&
                   offsetof(struct serial_client_config, rx) == 72 &&
                   sizeof(struct serial_client_config) == 96,
               "serial_client_config layout");

int patch_vmm_config(const struct sd_system *sys, size_t guest, const struct layout *lay, struct image *img)
{
    const struct sd_guest *g = &sys->guests.v[guest];
    struct pd_patch p = { sys, &sys->pds.v[g->vmm], &lay->pd[g->vmm], img };
    uint8_t *dst;
    uint64_t size;
    if (locate(&p, "vmm_config", sizeof(struct vmm_config), true, g->line, &dst, &size))
        return -1;
    memcpy(dst, &g->out->cfg, sizeof g->out->cfg); /* same layout on both sides: fixed-size fields, LE */
    return 0;
}

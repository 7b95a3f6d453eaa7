/* Fills the sysimg header, PD table, map table and zero table (see include/sysimg.h). */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "image.h"
#include "pd_abi.h"
#include "serial.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "structures are written in host order; the image is little-endian"
#endif

struct tables {
    struct sysimg_map *maps;
    struct sysimg_zero *zero;
    uint32_t nmaps, nzero;
};

static void add_map(struct tables *t, uint64_t ipa, uint64_t pa, uint64_t size, uint32_t perms, bool cached)
{
    t->maps[t->nmaps++] = (struct sysimg_map){ ipa, pa, size, perms, cached };
}

static void add_zero(struct tables *t, uint64_t pa, uint64_t size)
{
    t->zero[t->nzero++] = (struct sysimg_zero){ pa, size };
}

static void pd_maps(const struct sd_system *sys, size_t i, const struct layout *lay, struct tables *t)
{
    const struct sd_pd *pd = &sys->pds.v[i];
    const struct pd_layout *pl = &lay->pd[i];
    for (size_t j = 0; j < pl->regions.n; j++) {
        const struct prog_region *r = &pl->regions.v[j];
        if (r->file_size)
            add_map(t, r->ipa, r->pa, r->file_size, r->perms, true);
        if (r->size != r->file_size) {
            add_map(t, r->ipa + r->file_size, r->bss_pa, r->size - r->file_size, r->perms, true);
            add_zero(t, r->bss_pa, r->size - r->file_size);
        }
    }
    add_map(t, PD_STACK_TOP - pd->stack_size, pl->stack_pa, pd->stack_size, SYSIMG_PERM_R | SYSIMG_PERM_W,
            true);
    add_zero(t, pl->stack_pa, pd->stack_size);
    add_map(t, PD_IPC_BUF_VADDR, pl->ipc_pa, PAGE_4K, SYSIMG_PERM_R | SYSIMG_PERM_W, true);
    add_zero(t, pl->ipc_pa, PAGE_4K);
    for (size_t j = 0; j < pd->maps.n; j++) {
        const struct sd_map *m = &pd->maps.v[j];
        const struct sd_mr *mr = &sys->mrs.v[m->mr];
        add_map(t, m->vaddr, mr->pa, mr->size, m->perms, m->cached);
    }
}

static void pd_channels(const struct sd_system *sys, size_t i, struct sysimg_pd *out)
{
    const struct sd_pd *pd = &sys->pds.v[i];
    for (size_t j = 0; j < pd->irqs.n; j++) {
        struct sysimg_channel *c = &out->ch[pd->irqs.v[j].id];
        c->kind = SYSIMG_CH_IRQ;
        c->flags = pd->irqs.v[j].edge ? SYSIMG_IRQ_EDGE : 0;
        c->irq = pd->irqs.v[j].irq;
    }
    for (size_t j = 0; j < sys->chans.n; j++)
        for (int e = 0; e < 2; e++) {
            const struct sd_end *me = &sys->chans.v[j].end[e], *peer = &sys->chans.v[j].end[1 - e];
            if (me->pd != i)
                continue;
            struct sysimg_channel *c = &out->ch[me->id];
            c->kind = SYSIMG_CH_CHANNEL;
            c->flags = (me->notify ? SYSIMG_CH_NOTIFY : 0) | (me->pp ? SYSIMG_CH_PP : 0);
            c->peer_pd = (uint8_t)peer->pd;
            c->peer_ch = (uint8_t)peer->id;
        }
    if (pd->has_klog)
        out->ch[pd->klog_id].kind = SYSIMG_CH_KLOG;
}

/* A VM's vCPUs: stopped entries without a program, parented by the VMM; the VM's
 * guest-physical maps hang off the first vCPU, whose index all of them carry in vm_first. */
static void vm_entries(const struct sd_system *sys, const struct sd_vm *vm, struct sysimg_pd *pds,
                       struct tables *t)
{
    for (size_t k = 0; k < vm->vcpus.n; k++) {
        struct sysimg_pd *out = &pds[vm->first_pd + k];
        memset(out, 0, sizeof *out);
        snprintf(out->name, sizeof out->name, "%s:%u", vm->name, vm->vcpus.v[k].id);
        out->priority = vm->priority;
        out->parent = (uint32_t)vm->vmm;
        out->child_id = vm->vcpus.v[k].id;
        out->flags = SYSIMG_PD_VCPU | (vm->vtimer_to_vmm ? SYSIMG_PD_VTIMER_TO_VMM : 0);
        out->vm_first = vm->first_pd;
        out->cpu = (uint32_t)vm->vcpus.v[k].cpu; /* check.c: below the board's num_cpus */
        out->first_map = t->nmaps;
        for (size_t j = 0; k == 0 && j < vm->maps.n; j++) {
            const struct sd_map *m = &vm->maps.v[j];
            const struct sd_mr *mr = &sys->mrs.v[m->mr];
            add_map(t, m->vaddr, mr->pa, mr->size, m->perms, m->cached);
        }
        out->num_maps = t->nmaps - out->first_map;
    }
}

/* The PD, map and zero tables (layout.c sized them); layout.c also calls this, before the
 * page-table pool is placed, to count the stage-2 tables the maps need. */
void sysimg_tables(const struct sd_system *sys, const struct layout *lay, struct sysimg_pd *pds,
                   struct sysimg_map *maps, struct sysimg_zero *zero)
{
    struct tables t = { maps, zero, 0, 0 };
    for (size_t i = 0; i < sys->pds.n; i++) {
        const struct sd_pd *pd = &sys->pds.v[i];
        const struct pd_layout *pl = &lay->pd[i];
        struct sysimg_pd *out = &pds[i];
        memset(out, 0, sizeof *out);
        snprintf(out->name, sizeof out->name, "%s", pd->name);
        out->priority = pd->priority;
        out->parent = pd->parent < 0 ? SYSIMG_NO_PARENT : (uint32_t)pd->parent;
        out->child_id = pd->child_id;
        out->first_map = t.nmaps;
        pd_maps(sys, i, lay, &t);
        out->num_maps = t.nmaps - out->first_map;
        out->entry = pl->elf->entry;
        out->stack_top = PD_STACK_TOP;
        out->ipc_buf_pa = pl->ipc_pa;
        out->vm_first = (uint32_t)i;
        out->cpu = (uint32_t)pd->cpu; /* check.c: below the board's num_cpus */
        out->budget_us = pd->budget_us;
        out->period_us = pd->period_us;
        pd_channels(sys, i, out);
    }
    for (size_t i = 0; i < sys->vms.n; i++)
        vm_entries(sys, &sys->vms.v[i], pds, &t);
    for (size_t i = 0; i < sys->mrs.n; i++)
        if (mr_zeroed(&sys->mrs.v[i]))
            add_zero(&t, sys->mrs.v[i].pa, sys->mrs.v[i].size);
    add_zero(&t, lay->pt_pool_pa, lay->pt_pool_size);
    assert(t.nmaps == lay->num_maps && t.nzero == lay->num_zero); /* layout.c counted the same */
}

void sysimg_write(const struct sd_system *sys, const struct board *b, const struct layout *lay,
                  struct image *img)
{
    uint8_t *base = image_at(img, lay->sysimg_pa);
    struct sysimg_header *h = (struct sysimg_header *)base;
    *h = (struct sysimg_header){
        .magic = SYSIMG_MAGIC,
        .version = SYSIMG_VERSION,
        .size = (uint32_t)lay->sysimg_size,
        .num_pds = (uint32_t)(sys->pds.n + sd_num_vcpus(sys)),
        .num_maps = lay->num_maps,
        .num_zero = lay->num_zero,
        .pds_off = lay->pds_off,
        .maps_off = lay->maps_off,
        .zero_off = lay->zero_off,
        .uart_kind = b->uart_kind,
        .uart_base = b->uart_base,
        .ram_base = b->ram_base,
        .ram_size = b->ram_size,
        .gicd_base = b->gicd_base,
        .gicr_base = b->gicr_base,
        .gicr_size = b->gicr_size,
        .timer_irq = b->timer_irq,
        .stage2_block = b->stage2_block,
        .image_end = lay->image_end,
        .pt_pool_pa = lay->pt_pool_pa,
        .pt_pool_size = lay->pt_pool_size,
        .num_cpus = b->num_cpus,
        .psci_conduit = b->psci_conduit,
    };
    memcpy(h->cpu_mpidr, b->mpidr, sizeof h->cpu_mpidr);
    serial_header(sys, h);
    sysimg_tables(sys, lay, (struct sysimg_pd *)(base + lay->pds_off),
                  (struct sysimg_map *)(base + lay->maps_off), (struct sysimg_zero *)(base + lay->zero_off));
}

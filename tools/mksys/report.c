#include "report.h"

#include "guest.h"
#include "pd_abi.h"
#include "serial.h"

#define X(v) ((unsigned long long)(v))

static const char *perm_str(uint32_t p, char buf[4])
{
    buf[0] = (p & SYSIMG_PERM_R) ? 'r' : '-';
    buf[1] = (p & SYSIMG_PERM_W) ? 'w' : '-';
    buf[2] = (p & SYSIMG_PERM_X) ? 'x' : '-';
    buf[3] = 0;
    return buf;
}

static void row(FILE *f, const char *what, uint64_t pa, uint64_t ipa, uint64_t size, uint32_t perms,
                bool cached)
{
    char pb[4];
    fprintf(f, "  %-22s 0x%-14llx 0x%-12llx 0x%-10llx %s  %s\n", what, X(pa), X(ipa), X(size),
            perm_str(perms, pb), cached ? "cached" : "device");
}

static void report_channels(FILE *f, const struct sd_system *sys, size_t i)
{
    const struct sd_pd *pd = &sys->pds.v[i];
    for (size_t j = 0; j < pd->irqs.n; j++)
        fprintf(f, "  channel %-2u IRQ %u (%s)\n", pd->irqs.v[j].id, pd->irqs.v[j].irq,
                pd->irqs.v[j].edge ? "edge" : "level");
    for (size_t j = 0; j < sys->chans.n; j++)
        for (int e = 0; e < 2; e++) {
            const struct sd_end *me = &sys->chans.v[j].end[e], *peer = &sys->chans.v[j].end[1 - e];
            if (me->pd == i)
                fprintf(f, "  channel %-2u -> '%s' channel %u%s%s\n", me->id, peer->pd_name, peer->id,
                        me->notify ? " notify" : "", me->pp ? " ppcall" : "");
        }
}

static void report_pd(FILE *f, const struct report_src *r, size_t i)
{
    const struct sd_system *sys = r->sys;
    const struct sd_pd *pd = &sys->pds.v[i];
    const struct pd_layout *pl = &r->lay->pd[i];
    fprintf(f, "\nPD %zu '%s': priority %u, core %llu, ", i, pd->name, pd->priority, X(pd->cpu));
    if (pd->parent >= 0)
        fprintf(f, "child id %u of '%s', ", pd->child_id, sys->pds.v[pd->parent].name);
    fprintf(f, "program %s, entry 0x%llx\n", pl->elf->path, X(pl->elf->entry));
    fprintf(f, "  %-22s %-16s %-14s %-12s %s\n", "what", "PA", "IPA", "size", "perms");
    for (size_t j = 0; j < pl->regions.n; j++) {
        const struct prog_region *g = &pl->regions.v[j];
        if (g->file_size)
            row(f, "program", g->pa, g->ipa, g->file_size, g->perms, true);
        if (g->size != g->file_size)
            row(f, "program .bss (zeroed)", g->bss_pa, g->ipa + g->file_size, g->size - g->file_size,
                g->perms, true);
    }
    row(f, "stack (zeroed)", pl->stack_pa, PD_STACK_TOP - pd->stack_size, pd->stack_size,
        SYSIMG_PERM_R | SYSIMG_PERM_W, true);
    row(f, "IPC buffer (zeroed)", pl->ipc_pa, PD_IPC_BUF_VADDR, PAGE_4K, SYSIMG_PERM_R | SYSIMG_PERM_W, true);
    for (size_t j = 0; j < pd->maps.n; j++) {
        const struct sd_map *m = &pd->maps.v[j];
        const struct sd_mr *mr = &sys->mrs.v[m->mr];
        char what[64];
        snprintf(what, sizeof what, "map '%s'", mr->name);
        row(f, what, mr->pa, m->vaddr, mr->size, m->perms, m->cached);
    }
    report_channels(f, sys, i);
}

static void report_vm(FILE *f, const struct sd_system *sys, const struct sd_vm *vm)
{
    fprintf(f, "\nVM '%s' of PD '%s': priority %u, vCPUs", vm->name, sys->pds.v[vm->vmm].name, vm->priority);
    for (size_t k = 0; k < vm->vcpus.n; k++)
        fprintf(f, " %u (entry %llu)", vm->vcpus.v[k].id, X(vm->first_pd + k));
    fputs("\n  cores       ", f);
    for (size_t k = 0; k < vm->vcpus.n; k++)
        fprintf(f, " vCPU %u on core %llu%s", vm->vcpus.v[k].id, X(vm->vcpus.v[k].cpu),
                k + 1 < vm->vcpus.n ? "," : "");
    fprintf(f, "\n  %-22s %-16s %-14s %-12s %s\n", "what", "PA", "guest PA", "size", "perms");
    for (size_t j = 0; j < vm->maps.n; j++) {
        const struct sd_map *m = &vm->maps.v[j];
        const struct sd_mr *mr = &sys->mrs.v[m->mr];
        char what[64];
        snprintf(what, sizeof what, "map '%s'", mr->name);
        row(f, what, mr->pa, m->vaddr, mr->size, m->perms, m->cached);
    }
}

static void report_guest(FILE *f, const struct sd_system *sys, const struct sd_guest *g)
{
    const struct guest_out *o = g->out;
    const struct vmm_config *c = &o->cfg;
    fprintf(f, "\nguest '%s' (<linux_vm> line %ld), guest-physical placement:\n", g->name, g->line);
    fprintf(f, "  RAM          0x%llx-0x%llx (VMM sees it at 0x%llx)\n", X(c->ram_ipa),
            X(c->ram_ipa + c->ram_size), X(c->ram_vaddr));
    fprintf(f, "  kernel       0x%llx-0x%llx (load offset 0x%llx, footprint 0x%llx, file %s)\n",
            X(o->kernel_ipa), X(o->kernel_ipa + o->footprint), X(o->load_offset), X(o->footprint),
            sys->mrs.v[o->kernel_mr].source);
    fprintf(f, "  first boot   %s\n",
            o->kernel_in_ram ? "kernel pre-placed in RAM by the image (the VMM copies it on reset only)"
                             : "kernel copied into RAM by the VMM (as on every reset)");
    if (c->initrd_size)
        fprintf(f, "  initrd       0x%llx-0x%llx (file %s)\n", X(c->initrd_ipa),
                X(c->initrd_ipa + c->initrd_size), sys->mrs.v[o->initrd_mr].source);
    fprintf(f, "  DTB          0x%llx-0x%llx\n", X(c->dtb_ipa), X(c->dtb_ipa + c->dtb_size));
    fprintf(f, "  GIC          GICD 0x%llx, GICR 0x%llx-0x%llx (emulated by the VMM)\n", X(c->gicd_ipa),
            X(c->gicr_ipa), X(c->gicr_ipa + c->gicr_size));
    for (uint32_t i = 0; i < c->num_irqs; i++)
        fprintf(f, "  IRQ          INTID %u -> VMM channel %u\n", c->irqs[i].intid, c->irqs[i].channel);
    for (uint32_t i = 0; i < c->num_virtio; i++) {
        const struct vmm_virtio_dev *v = &c->virtio[i];
        const struct sd_virtio *d = &g->virtio.v[i];
        fprintf(f, "  virtio       console 0x%llx-0x%llx, SPI %u (INTID %u), %ux%u, %u port%s%s\n",
                X(v->mmio_ipa), X(v->mmio_ipa + v->mmio_size), v->intid - 32, v->intid, v->cols, v->rows,
                v->num_ports, v->num_ports == 1 ? "" : "s",
                (v->flags & VMM_VIRTIO_F_MULTIPORT) ? " (multiport)" : "");
        for (size_t j = 0; j < d->ports.n; j++)
            fprintf(f, "               port %zu: <serial> client '%s' (number %zu), name '%s'%s\n", j,
                    d->ports.v[j].client, d->ports.v[j].serial, d->ports.v[j].name ? d->ports.v[j].name : "",
                    (v->ports[j].flags & VMM_PORT_F_CONSOLE) ? ", console" : "");
    }
}

static const char *placement(const struct sd_mr *mr, char *buf, size_t len)
{
    if (mr->fixed)
        return "phys_addr (not zeroed)";
    if (mr->data && mr->nozero) {
        snprintf(buf, len, "allocated (not zeroed), its first 0x%llx bytes in the image file",
                 X(mr->data_len));
        return buf;
    }
    if (mr->data)
        return "in the image file";
    return mr->nozero ? "allocated (not zeroed)" : "allocated (zeroed)";
}

static const char *uart_name(uint32_t kind)
{
    return kind == SYSIMG_UART_PL011 ? "pl011" : kind == SYSIMG_UART_IMX ? "imx" : "none";
}

static void report_cores(FILE *f, const struct board *b)
{
    const char *conduit = b->psci_conduit == SYSIMG_PSCI_SMC   ? "smc"
                          : b->psci_conduit == SYSIMG_PSCI_HVC ? "hvc"
                                                               : "none";
    fprintf(f, "  cores        %u, PSCI conduit %s%s\n", b->num_cpus, conduit,
            b->num_cpus > 1 ? " (the kernel starts cores 1.. with CPU_ON)" : "");
    for (uint32_t k = 0; k < b->num_cpus; k++)
        fprintf(f, "  core %-7u MPIDR 0x%llx%s\n", k, X(b->mpidr[k]), k ? "" : " (the boot core)");
}

void report_write(FILE *f, const struct report_src *r)
{
    const struct board *b = r->board;
    const struct layout *lay = r->lay;
    fprintf(f, "mksys layout of %s\n\n", r->sys->file);
    fprintf(f, "board %s\n", r->board_file);
    fprintf(f, "  RAM          0x%llx-0x%llx (0x%llx bytes)\n", X(b->ram_base), X(b->ram_base + b->ram_size),
            X(b->ram_size));
    fprintf(f, "  GICD         0x%llx\n  GICR         0x%llx (0x%llx bytes)\n", X(b->gicd_base),
            X(b->gicr_base), X(b->gicr_size));
    fprintf(f, "  EL2 timer    INTID %u\n  console      %s at 0x%llx\n", b->timer_irq,
            uart_name(b->uart_kind), X(b->uart_base));
    report_cores(f, b);
    fputs("\n", f);
    fprintf(f, "load address   0x%llx\n", X(lay->load));
    fprintf(f, "kernel         0x%llx-0x%llx (%s, .bss included)\n", X(lay->load), X(lay->kernel_end),
            r->kernel_file);
    fprintf(f, "sysimg         0x%llx-0x%llx (%zu PDs, %zu vCPUs, %u maps, %u zero ranges)\n",
            X(lay->sysimg_pa), X(lay->sysimg_pa + lay->sysimg_size), r->sys->pds.n, sd_num_vcpus(r->sys),
            lay->num_maps, lay->num_zero);
    for (size_t i = 0; i < r->sys->pds.n; i++)
        report_pd(f, r, i);
    for (size_t i = 0; i < r->sys->vms.n; i++)
        report_vm(f, r->sys, &r->sys->vms.v[i]);
    for (size_t i = 0; i < r->sys->guests.n; i++)
        report_guest(f, r->sys, &r->sys->guests.v[i]);
    report_serials(f, r->sys);
    fprintf(f, "\nmemory regions\n  %-22s %-16s %-12s %-10s %s\n", "name", "PA", "size", "page", "placement");
    for (size_t i = 0; i < r->sys->mrs.n; i++) {
        const struct sd_mr *mr = &r->sys->mrs.v[i];
        char buf[96];
        fprintf(f, "  %-22s 0x%-14llx 0x%-10llx 0x%-8llx %s", mr->name, X(mr->pa), X(mr->size),
                X(mr->page_size), placement(mr, buf, sizeof buf));
        if (mr->source)
            fprintf(f, ": %s", mr->source);
        fputc('\n', f);
    }
    fprintf(f, "\nimage file     0x%llx-0x%llx (%llu bytes)\n", X(lay->load), X(lay->file_end),
            X(lay->file_end - lay->load));
    fprintf(f, "zero-filled    0x%llx-0x%llx (%llu bytes)\n", X(lay->file_end), X(lay->image_end),
            X(lay->zero_bytes));
    fprintf(f, "stage-2 pool   0x%llx-0x%llx (%llu table pages, as the kernel will allocate them)\n",
            X(lay->pt_pool_pa), X(lay->pt_pool_pa + lay->pt_pool_size), X(lay->pt_pool_size / PAGE_4K));
    fprintf(f, "stage-2 leaves %s (the board's STAGE2_BLOCK)\n",
            r->board->stage2_block == SYSIMG_S2_BLOCK_4K ? "4 KiB pages only"
                                                         : "2 MiB blocks where aligned, else 4 KiB pages");
    fprintf(f, "image_end      0x%llx (image_size 0x%llx)\n", X(lay->image_end),
            X(lay->image_end - lay->load));
}

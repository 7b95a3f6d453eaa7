/* Writes the expanded system: every <linux_vm> replaced by the regions, maps, IRQs and
 * <virtual_machine> it stands for. What plain Microkit XML cannot say (a region holding a
 * file, guest RAM that is not zeroed, the VMM's vmm_config with its virtIO devices) is written
 * as comments. */
#include "emit.h"

#include <string.h>

#include "guest.h"
#include "serial.h"
#include "sysimg.h"

#define X(v) ((unsigned long long)(v))

/* An attribute value with &, <, > and " escaped. */
void emit_attr(FILE *f, const char *name, const char *v)
{
    fprintf(f, " %s=\"", name);
    for (; *v; v++) {
        switch (*v) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\n': fputs("&#10;", f); break; /* kept as written: a parser turns raw ones into spaces */
        case '\r': fputs("&#13;", f); break;
        case '\t': fputs("&#9;", f); break;
        default: fputc(*v, f);
        }
    }
    fputc('"', f);
}

/* Comment text: "--" may not appear inside an XML comment, nor may bytes that are not text
 * (a path from the command line can hold anything): those become '?'. */
void emit_comment_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        fputc((*s >= 0x20 && *s < 0x7f) ? *s : '?', f);
        if (*s == '-' && (s[1] == '-' || !s[1]))
            fputc(' ', f); /* nor may a comment end in '-' ("--->") */
    }
}

void emit_mr(FILE *f, const struct sd_mr *mr)
{
    if (mr->data || mr->nozero || mr->source) {
        fputs("    <!-- ", f);
        if (mr->data)
            fprintf(f, "holds %llu bytes of ", X(mr->data_len));
        emit_comment_text(f, mr->source ? mr->source : "");
        if (mr->data)
            fputs(", stored in the boot image", f);
        if (mr->nozero)
            fputs(", not zeroed at boot", f);
        fputs(" -->\n", f);
    }
    fputs("    <memory_region", f);
    emit_attr(f, "name", mr->name);
    fprintf(f, " size=\"0x%llx\"", X(mr->size));
    if (mr->page_size != PAGE_4K)
        fprintf(f, " page_size=\"0x%llx\"", X(mr->page_size));
    if (mr->fixed)
        fprintf(f, " phys_addr=\"0x%llx\"", X(mr->phys_addr));
    fputs(" />\n", f);
}

void emit_map(FILE *f, const char *ind, const struct sd_map *m)
{
    fprintf(f, "%s<map", ind);
    emit_attr(f, "mr", m->mr_name);
    fprintf(f, " vaddr=\"0x%llx\" perms=\"%s%s%s\"", X(m->vaddr), (m->perms & SYSIMG_PERM_R) ? "r" : "",
            (m->perms & SYSIMG_PERM_W) ? "w" : "", (m->perms & SYSIMG_PERM_X) ? "x" : "");
    if (!m->cached)
        fputs(" cached=\"false\"", f);
    if (m->setvar_vaddr)
        emit_attr(f, "setvar_vaddr", m->setvar_vaddr);
    fputs(" />\n", f);
}

/* A console's expansion is its vmm_config entry and its node in the guest's device tree; the
 * serial client behind it stays in the <serial>. */
static void emit_virtio(FILE *f, const char *ind, const struct sd_guest *g)
{
    const struct vmm_config *c = &g->out->cfg;
    for (uint32_t i = 0; i < c->num_virtio; i++) {
        const struct vmm_virtio_dev *v = &c->virtio[i];
        fprintf(f,
                "%s     virtio[%u] device_id %u (console) mmio_ipa 0x%llx mmio_size 0x%llx intid %u "
                "flags 0x%x cols %u rows %u num_ports %u\n",
                ind, i, v->device_id, X(v->mmio_ipa), X(v->mmio_size), v->intid, v->flags, v->cols, v->rows,
                v->num_ports);
        for (uint32_t j = 0; j < v->num_ports && j < g->virtio.v[i].ports.n; j++) {
            const struct sd_vport *p = &g->virtio.v[i].ports.v[j];
            fprintf(f, "%s       port %u: serial_client %u (<serial> client ", ind, j,
                    v->ports[j].serial_client);
            emit_comment_text(f, p->client);
            fprintf(f, ", number %zu) flags 0x%x name ", p->serial, v->ports[j].flags);
            emit_comment_text(f, v->ports[j].name[0] ? v->ports[j].name : "(none)");
            fprintf(f, "\n");
        }
        fprintf(
            f,
            "%s       from <virtio_console> line %ld; guest device tree node virtio_mmio@%llx, compatible "
            "\"virtio,mmio\", interrupts <0 %u 4>, dma-coherent\n",
            ind, g->virtio.v[i].line, X(v->mmio_ipa), v->intid - 32);
    }
}

static void emit_config(FILE *f, const char *ind, const struct sd_guest *g)
{
    const struct vmm_config *c = &g->out->cfg;
    fprintf(f, "%s<!-- vmm_config patched into this PD's program (include/vmm_config.h):\n", ind);
    fprintf(f, "%s     vm_name ", ind);
    emit_comment_text(f, c->vm_name);
    fprintf(f, ", boot vcpu_id %u\n", c->vcpu_id);
    fprintf(f, "%s     ram_ipa 0x%llx ram_size 0x%llx ram_vaddr 0x%llx\n", ind, X(c->ram_ipa), X(c->ram_size),
            X(c->ram_vaddr));
    fprintf(f, "%s     kernel_vaddr 0x%llx kernel_size 0x%llx\n", ind, X(c->kernel_vaddr), X(c->kernel_size));
    fprintf(f, "%s     initrd_vaddr 0x%llx initrd_size 0x%llx initrd_ipa 0x%llx\n", ind, X(c->initrd_vaddr),
            X(c->initrd_size), X(c->initrd_ipa));
    fprintf(f, "%s     dtb_vaddr 0x%llx dtb_size 0x%llx dtb_ipa 0x%llx\n", ind, X(c->dtb_vaddr),
            X(c->dtb_size), X(c->dtb_ipa));
    fprintf(f, "%s     gicd_ipa 0x%llx gicr_ipa 0x%llx gicr_size 0x%llx\n", ind, X(c->gicd_ipa),
            X(c->gicr_ipa), X(c->gicr_size));
    for (uint32_t i = 0; i < c->num_irqs; i++)
        fprintf(f, "%s     irq INTID %u on channel %u\n", ind, c->irqs[i].intid, c->irqs[i].channel);
    fprintf(f, "%s     on_foreign_access %s\n", ind,
            (c->flags & VMM_CONFIG_F_STOP_ON_FOREIGN) ? "stop" : "abort");
    emit_virtio(f, ind, g);
    fprintf(f, "%s-->\n", ind);
}

/* A vCPU's cpu only where it is not its VMM's (the default), a PD's where it is not 0: reading
 * the file back places every entry as before (a <linux_vm>'s spread included). */
static void emit_vm(FILE *f, const char *ind, const struct sd_vm *vm, uint64_t vmm_cpu)
{
    fprintf(f, "%s<virtual_machine", ind);
    emit_attr(f, "name", vm->name);
    if (vm->vtimer_to_vmm)
        emit_attr(f, "vtimer", "vmm");
    fprintf(f, " priority=\"%u\">\n", vm->priority);
    for (size_t i = 0; i < vm->vcpus.n; i++) {
        fprintf(f, "%s    <vcpu id=\"%u\"", ind, vm->vcpus.v[i].id);
        if (vm->vcpus.v[i].cpu != vmm_cpu)
            fprintf(f, " cpu=\"%llu\"", X(vm->vcpus.v[i].cpu));
        fputs(" />\n", f);
    }
    char inner[80];
    snprintf(inner, sizeof inner, "%.64s    ", ind);
    for (size_t i = 0; i < vm->maps.n; i++)
        emit_map(f, inner, &vm->maps.v[i]);
    fprintf(f, "%s</virtual_machine>\n", ind);
}

void emit_pd(FILE *f, const struct sd_system *sys, size_t i, int depth)
{
    const struct sd_pd *pd = &sys->pds.v[i];
    char ind[64], inner[64];
    snprintf(ind, sizeof ind, "%*s", 4 * depth, "");
    snprintf(inner, sizeof inner, "%*s", 4 * depth + 4, "");
    fprintf(f, "%s<protection_domain", ind);
    emit_attr(f, "name", pd->name);
    fprintf(f, " priority=\"%u\" stack_size=\"0x%llx\"", pd->priority, X(pd->stack_size));
    if (pd->parent >= 0)
        fprintf(f, " id=\"%u\"", pd->child_id);
    if (pd->cpu)
        fprintf(f, " cpu=\"%llu\"", X(pd->cpu));
    if (pd->budget_us != 0)
        fprintf(f, " budget=\"%u\" period=\"%u\"", pd->budget_us, pd->period_us);
    fprintf(f, ">\n%s<program_image", inner);
    emit_attr(f, "path", pd->image);
    fputs(" />\n", f);
    for (size_t j = 0; j < pd->maps.n; j++)
        if (pd->from_serial || !pd->maps.v[j].from_serial) /* a client's rings: the <serial> */
            emit_map(f, inner, &pd->maps.v[j]);
    for (size_t j = 0; j < pd->irqs.n; j++)
        fprintf(f, "%s<irq irq=\"%u\" id=\"%u\" trigger=\"%s\" />\n", inner, pd->irqs.v[j].irq,
                pd->irqs.v[j].id, pd->irqs.v[j].edge ? "edge" : "level");
    for (size_t j = 0; j < pd->setvars.n; j++) {
        fprintf(f, "%s<setvar", inner);
        emit_attr(f, "symbol", pd->setvars.v[j].symbol);
        emit_attr(f, "region_paddr", pd->setvars.v[j].region);
        fputs(" />\n", f);
    }
    for (size_t g = 0; g < sys->guests.n; g++)
        if (sys->guests.v[g].vmm == i && sys->guests.v[g].out)
            emit_config(f, inner, &sys->guests.v[g]);
    if (pd->vm >= 0)
        emit_vm(f, inner, &sys->vms.v[pd->vm], pd->cpu);
    for (size_t c = i + 1; c < sys->pds.n; c++)
        if (sys->pds.v[c].parent == (int)i)
            emit_pd(f, sys, c, depth + 1);
    fprintf(f, "%s</protection_domain>\n", ind);
}

void emit_channel(FILE *f, const struct sd_channel *ch)
{
    fputs("    <channel>\n", f);
    for (int e = 0; e < 2; e++) {
        const struct sd_end *end = &ch->end[e];
        fputs("        <end", f);
        emit_attr(f, "pd", end->pd_name);
        fprintf(f, " id=\"%u\" pp=\"%s\" notify=\"%s\" />\n", end->id, end->pp ? "true" : "false",
                end->notify ? "true" : "false");
    }
    fputs("    </channel>\n", f);
}

void emit_system(FILE *f, const struct sd_system *sys)
{
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- ", f);
    emit_comment_text(f, sys->file);
    fputs(" as expanded by mksys: each <linux_vm> is replaced by the regions, maps, IRQs and\n"
          "     <virtual_machine> it stands for; a <serial> stays, with what it expands into as a\n"
          "     comment (mksys expands it again when it reads this). -->\n<system>\n",
          f);
    for (size_t i = 0; i < sys->mrs.n; i++)
        if (!sys->mrs.v[i].from_serial)
            emit_mr(f, &sys->mrs.v[i]);
    for (size_t i = 0; i < sys->pds.n; i++)
        if (sys->pds.v[i].parent < 0 && !sys->pds.v[i].from_serial)
            emit_pd(f, sys, i, 1);
    for (size_t i = 0; i < sys->chans.n; i++)
        if (!sys->chans.v[i].from_serial)
            emit_channel(f, &sys->chans.v[i]);
    emit_serials(f, sys);
    fputs("</system>\n", f);
}

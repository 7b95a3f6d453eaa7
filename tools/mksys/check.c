#include "check.h"

#include <stdlib.h>

#include "diag.h"
#include "sysimg.h"

static int check_mr_overlaps(const struct sd_system *sys)
{
    for (size_t i = 0; i < sys->mrs.n; i++) {
        const struct sd_mr *a = &sys->mrs.v[i];
        for (size_t j = 0; a->fixed && j < i; j++) {
            const struct sd_mr *b = &sys->mrs.v[j];
            if (b->fixed && ranges_overlap(a->phys_addr, a->size, b->phys_addr, b->size))
                return err_at(sys->file, a->line,
                              "memory region '%s' (0x%llx-0x%llx) overlaps memory region '%s' (line %ld, "
                              "0x%llx-0x%llx)",
                              a->name, (unsigned long long)a->phys_addr,
                              (unsigned long long)(a->phys_addr + a->size), b->name, b->line,
                              (unsigned long long)b->phys_addr, (unsigned long long)(b->phys_addr + b->size));
        }
    }
    return 0;
}

/* Channel ids of one PD: channel ends and IRQs share the 0..61 space. */
static int claim_id(const struct sd_system *sys, long *used, size_t pd, unsigned id, long line)
{
    long *slot = &used[pd * SYSIMG_MAX_CHANNELS + id];
    if (*slot)
        return err_at(sys->file, line, "PD '%s': channel id %u is already used on line %ld",
                      sys->pds.v[pd].name, id, *slot);
    *slot = line;
    return 0;
}

static int check_channel_ids(const struct sd_system *sys)
{
    long *used = xcalloc(sys->pds.n * SYSIMG_MAX_CHANNELS, sizeof *used);
    int rc = 0;
    for (size_t i = 0; i < sys->pds.n && !rc; i++)
        for (size_t j = 0; j < sys->pds.v[i].irqs.n && !rc; j++)
            rc = claim_id(sys, used, i, sys->pds.v[i].irqs.v[j].id, sys->pds.v[i].irqs.v[j].line);
    for (size_t i = 0; i < sys->chans.n && !rc; i++)
        for (int e = 0; e < 2 && !rc; e++) {
            const struct sd_end *end = &sys->chans.v[i].end[e];
            rc = claim_id(sys, used, end->pd, end->id, end->line);
        }
    free(used);
    return rc;
}

static const char *kernel_irq(const struct board *b, uint32_t irq)
{
    if (irq == b->timer_irq)
        return "the EL2 physical timer";
    if (irq == 25)
        return "the GIC maintenance interrupt";
    if (irq == 27)
        return "the virtual timer";
    return NULL;
}

static int check_irqs(const struct sd_system *sys, const struct board *b)
{
    for (size_t i = 0; i < sys->pds.n; i++) {
        const struct sd_pd *pd = &sys->pds.v[i];
        for (size_t j = 0; j < pd->irqs.n; j++) {
            const struct sd_irq *irq = &pd->irqs.v[j];
            const char *what = kernel_irq(b, irq->irq);
            if (what)
                return err_at(sys->file, irq->line, "PD '%s': IRQ %u is owned by the kernel (%s)", pd->name,
                              irq->irq, what);
            /* an earlier claim of the same INTID, in this PD or any before it */
            for (size_t k = 0; k <= i; k++) {
                const struct sd_pd *other = &sys->pds.v[k];
                for (size_t l = 0; l < other->irqs.n && !(k == i && l >= j); l++)
                    if (other->irqs.v[l].irq == irq->irq)
                        return err_at(sys->file, irq->line,
                                      "IRQ %u is given to PD '%s' here and to PD '%s' on line %ld", irq->irq,
                                      pd->name, other->name, other->irqs.v[l].line);
            }
        }
    }
    return 0;
}

static int check_pp(const struct sd_system *sys)
{
    for (size_t i = 0; i < sys->chans.n; i++) {
        const struct sd_channel *ch = &sys->chans.v[i];
        if (ch->end[0].pp && ch->end[1].pp)
            return err_at(sys->file, ch->line, "channel between '%s' and '%s' has pp=\"true\" on both ends",
                          ch->end[0].pd_name, ch->end[1].pd_name);
        for (int e = 0; e < 2; e++) {
            const struct sd_pd *caller = &sys->pds.v[ch->end[e].pd];
            const struct sd_pd *callee = &sys->pds.v[ch->end[1 - e].pd];
            if (ch->end[e].pp && callee->priority <= caller->priority)
                return err_at(sys->file, ch->end[e].line,
                              "PD '%s' (priority %u) may not ppcall PD '%s' (priority %u): the callee's "
                              "priority must be strictly higher",
                              caller->name, caller->priority, callee->name, callee->priority);
        }
    }
    return 0;
}

/* Every PD and vCPU on one of the board's cores (a child may be on another core than its
 * parent, a vCPU on another than its VMM, as in Microkit). */
static int check_cpus(const struct sd_system *sys, const struct board *b)
{
    char cores[48];
    board_cores(b, cores, sizeof cores);
    for (size_t i = 0; i < sys->pds.n; i++) {
        const struct sd_pd *pd = &sys->pds.v[i];
        if (pd->cpu >= b->num_cpus)
            return err_at(sys->file, pd->line, "PD '%s': cpu %llu but board has %s", pd->name,
                          (unsigned long long)pd->cpu, cores);
    }
    for (size_t i = 0; i < sys->vms.n; i++)
        for (size_t k = 0; k < sys->vms.v[i].vcpus.n; k++) {
            const struct sd_vcpu *v = &sys->vms.v[i].vcpus.v[k];
            if (v->cpu >= b->num_cpus)
                return err_at(sys->file, v->line, "VM '%s': vCPU %u: cpu %llu but board has %s",
                              sys->vms.v[i].name, v->id, (unsigned long long)v->cpu, cores);
        }
    return 0;
}

int sd_check(const struct sd_system *sys, const struct board *b)
{
    if (check_cpus(sys, b) || check_limits(sys, b) || check_mr_overlaps(sys) || check_channel_ids(sys) ||
        check_irqs(sys, b) || check_pp(sys) || check_vms(sys))
        return -1;
    return 0;
}

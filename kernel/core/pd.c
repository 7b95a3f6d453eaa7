/* Creating PDs from the boot image: stage-2 tables, initial registers, IRQ ownership. */
#include "pd.h"
#include "console.h"
#include "ipc.h"
#include "irq.h"
#include "mmu.h"
#include "sched.h"
#include "budget.h"
#include "gic.h"
#include "arch.h"

#define EL1_PHYS_TIMER_INTID 30 /* a PD holding this PPI may program CNTP_* itself */
#define CNTHCTL_EL1PCTEN     (1ul << 0)
#define CNTHCTL_EL1PCEN      (1ul << 1)

extern char pd_vectors[];

struct pd pds[SYSIMG_MAX_PDS];
unsigned num_pds;

uint64_t *pd_mrs(struct pd *pd)
{
    return (uint64_t *)pd->desc->ipc_buf_pa;
}

void pd_reset_context(struct pd *pd, uint64_t pc)
{
    sched_drop_fp(pd);
    memset(&pd->ctx, 0, sizeof(pd->ctx));
    memset(&pd->fp, 0, sizeof(pd->fp));
    pd->ctx.sp_el1 = pd->desc->stack_top;
    pd->ctx.elr = pc;
    pd->ctx.spsr = SPSR_EL1H_MASKED;
    pd->line_len = 0;
}

bool pd_running_elsewhere(const struct pd *pd)
{
    const struct cpu *c = &cpus[pd->cpu];
    return c != this_cpu() && c->cur_pd == pd && !c->idle;
}

void pd_defer(struct pd *pd, bool restart, uint64_t pc)
{
    pd->deferred_op = restart ? OP_RESTART : OP_STOP;
    pd->deferred_pc = pc;
    cpu_leave_work(&cpus[pd->cpu]);
}

void pd_restart(struct pd *pd, uint64_t pc)
{
    if (pd_running_elsewhere(pd)) {
        pd_defer(pd, true, pc);
        return;
    }
    ipc_detach(pd);
    pd_reset_context(pd, pc);
    sched_make_ready(pd);
}

void pd_stop(struct pd *pd)
{
    if (pd_running_elsewhere(pd)) {
        pd_defer(pd, false, 0);
        return;
    }
    ipc_detach(pd);
}

struct pd *pd_child(struct pd *parent, uint64_t child_id)
{
    for (unsigned i = 0; i < num_pds; i++)
        if (pds[i].desc->parent == parent->idx && pds[i].desc->child_id == child_id)
            return &pds[i];
    return NULL;
}

static void pd_build_stage2(struct pd *pd, const struct sysimg_map *maps)
{
    const struct sysimg_pd *d = pd->desc;
    if (pd->is_vcpu && d->vm_first != pd->idx) { /* a later vCPU: share the first one's table */
        pd->vttbr = pds[d->vm_first].vttbr;
        return;
    }
    uint64_t *root = stage2_new_root(pd->is_vcpu);
    for (unsigned m = 0; m < d->num_maps; m++) {
        const struct sysimg_map *map = &maps[d->first_map + m];
        if (!stage2_map(root, pd->is_vcpu, map->ipa, map->pa, map->size, map->perms, map->cached))
            panic("PD '%s': cannot map ipa 0x%lx", d->name, map->ipa);
    }
    if (!pd->is_vcpu &&
        !stage2_map(root, false, PD_VECTORS_VADDR, (uint64_t)pd_vectors, PAGE_SIZE, S2_R | S2_X, true))
        panic("PD '%s': its maps cover the vectors page 0x%lx", d->name, PD_VECTORS_VADDR);
    pd->vttbr = (uint64_t)root | ((uint64_t)(pd->idx + 1) << 48); /* VMID = index + 1 */
}

/* Whether vCPU i's VM should have its TLBIs trapped and done locally (vcpu_tlbi.c): every
 * vCPU of it is on i's core, and some other VM's vCPU is on another core (a broadcast would
 * stall that guest; with nothing else running there it costs less than the trap). */
static bool vm_tlbi_local(const struct sysimg_pd *descs, unsigned n, unsigned i)
{
    bool other_core_guest = false;
    for (unsigned j = 0; j < n; j++) {
        if (!(descs[j].flags & SYSIMG_PD_VCPU) || descs[j].cpu == descs[i].cpu)
            continue;
        if (descs[j].vm_first == descs[i].vm_first)
            return false;
        other_core_guest = true;
    }
    return other_core_guest;
}

void pds_init(const struct sysimg_header *hdr)
{
    const struct sysimg_pd *descs = (const void *)((const char *)hdr + hdr->pds_off);
    const struct sysimg_map *maps = (const void *)((const char *)hdr + hdr->maps_off);
    num_pds = hdr->num_pds;
    unsigned vm_roots = 0; /* one stage-2 table per VM, which its vCPUs share */
    for (unsigned i = 0; i < num_pds; i++)
        vm_roots += (descs[i].flags & SYSIMG_PD_VCPU) && descs[i].vm_first == i;
    stage2_pool_init(hdr->pt_pool_pa, hdr->pt_pool_size, hdr->stage2_block == SYSIMG_S2_BLOCK_2M, vm_roots);
    for (unsigned i = 0; i < num_pds; i++) {
        struct pd *pd = &pds[i];
        pd->desc = &descs[i];
        pd->idx = i;
        pd->priority = descs[i].priority;
        if (descs[i].budget_us != 0 && descs[i].budget_us < descs[i].period_us &&
            descs[i].period_us <= SYSIMG_PERIOD_MAX_US) { /* mksys checked it; a CPU budget (sched.c) */
            pd->budget = arch_counter_hz() * descs[i].budget_us / 1000000u;
            pd->period = arch_counter_hz() * descs[i].period_us / 1000000u;
            sched_budgets_used = true;
        }
        pd->cpu = descs[i].cpu;
        pd->cnthctl = CNTHCTL_EL1PCTEN;
        pd->is_vcpu = descs[i].flags & SYSIMG_PD_VCPU;
        pd->vmm_elsewhere = pd->is_vcpu && descs[descs[i].parent].cpu != descs[i].cpu;
        pd->tlbi_local = pd->is_vcpu && vm_tlbi_local(descs, num_pds, i);
        pd_build_stage2(pd, maps);
        for (unsigned ch = 0; ch < SYSIMG_MAX_CHANNELS; ch++) {
            const struct sysimg_channel *c = &descs[i].ch[ch];
            if (c->kind != SYSIMG_CH_IRQ)
                continue;
            irq_bind(c->irq, pd, ch, c->flags & SYSIMG_IRQ_EDGE);
            if (c->irq == EL1_PHYS_TIMER_INTID)
                pd->cnthctl |= CNTHCTL_EL1PCEN;
        }
        pd_reset_context(pd, descs[i].entry);
        if (pd->is_vcpu) {
            vcpu_reset(pd); /* vCPUs wait for their VMM to start them */
            pd->state = PD_STOPPED;
        } else {
            sched_make_ready(pd);
        }
    }
}

/* The GIC maintenance interrupt and the virtual timer's PPI reach the kernel only on the
 * cores some vCPU is placed on. */
void vm_irqs_init(void)
{
    for (unsigned i = 0; i < num_pds; i++) {
        if (pds[i].is_vcpu) {
            gic_config(GIC_MAINT_INTID, false, pds[i].cpu);
            gic_enable_on(GIC_MAINT_INTID, pds[i].cpu);
            gic_config(VTIMER_INTID, false, pds[i].cpu);
            gic_enable_on(VTIMER_INTID, pds[i].cpu);
        }
    }
}

/*
 * Physical IRQs. An IRQ owned by a PD is masked when it fires and becomes a notification on
 * the PD's channel; it stays masked until the PD acknowledges it (microkit_irq_ack), so a
 * level-triggered device cannot storm the kernel while its driver has not run yet.
 */
#include "irq.h"
#include "console.h"
#include "gic.h"
#include "ipc.h"
#include "sched.h"
#include "timer.h"
#include "vtimer.h"

struct irq_owner {
    struct pd *pd;
    unsigned ch;
};

static struct irq_owner owners[GIC_MAX_INTID];

void irq_bind(uint32_t intid, struct pd *pd, unsigned ch, bool edge)
{
    if (intid < 16 || intid >= GIC_MAX_INTID || intid == timer_intid() || intid == GIC_MAINT_INTID ||
        intid == VTIMER_INTID)
        panic("PD '%s': IRQ %u cannot be given to a PD", pd->desc->name, intid);
    if (owners[intid].pd)
        panic("IRQ %u given to both '%s' and '%s'", intid, owners[intid].pd->desc->name, pd->desc->name);
    if (intid >= gic_num_intids()) /* only the hardware knows: say so rather than wait forever */
        kprintf("kernel: PD '%s': IRQ %u is beyond the %u INTIDs this GIC implements: it will never "
                "fire\n",
                pd->desc->name, intid, gic_num_intids());
    owners[intid].pd = pd;
    owners[intid].ch = ch;
    gic_config(intid, edge, pd->cpu); /* an SPI is routed to its owner's core */
    gic_enable_on(intid, pd->cpu);
}

void irq_ack(uint32_t intid)
{
    gic_enable(intid);
}

void irq_handle_pending(void)
{
    for (;;) {
        uint32_t intid = gic_ack();
        if (intid >= GIC_MAX_INTID)
            return; /* 1023: nothing (more) pending */
        if (intid == timer_intid()) {
            uint64_t now = timer_now();
            if (timer_slice_over(now))
                sched_tick();
            vtimer_expire(now);
            timer_rearm(vtimer_next_deadline()); /* after it: clears the condition */
            gic_eoi(intid);
            continue;
        }
        if (intid == GIC_MAINT_INTID) {
            vcpu_handle_maintenance(); /* clears the condition before the EOI */
            gic_eoi(intid);
            continue;
        }
        if (intid == SGI_KICK) {
            gic_eoi(intid); /* sched_pick looks at what the kicking core left */
            continue;
        }
        if (intid == VTIMER_INTID) {
            vtimer_ppi(); /* masks it until the VMM acks the virtual PPI */
            gic_eoi(intid);
            continue;
        }
        struct irq_owner *o = &owners[intid];
        gic_disable(intid);
        gic_eoi(intid);
        if (o->pd)
            ipc_signal(o->pd, o->ch);
        else
            kprintf("kernel: IRQ %u has no owner; disabled\n", intid);
    }
}

/*
 * The kernel delivers a guest's virtual timer itself (vtimer_lr.h), as the VMM would: when it
 * fires, vtimer.c masks it for that vCPU and this file makes virtual INTID 27 pending in the
 * kernel's list register with the EOI maintenance bit; the guest's EOI raises a maintenance
 * interrupt, which frees the register and unmasks the timer (it fires again at once if still
 * due: the line is level). Each firing then costs two interrupts taken at EL2 and no exit to
 * the VMM, whose two stage-2 switches were most of the cost.
 *
 * The guest's GIC state of INTID 27 lives in the VMM's vGIC; the VMM mirrors the part that
 * decides delivery into VCPU_REG_VTIMER_IRQ whenever it changes. A firing while the guest has it
 * disabled stays owed (masked) until it enables it; disabling it takes back a copy the guest
 * has not acknowledged yet. Its pending and active state is not visible in the vGIC's
 * ISPENDR0/ISACTIVER0 (docs/kernel.md).
 */
#include "vtimer_lr.h"
#include "cpu.h"
#include "ich_lr.h"
#include "sched.h"
#include "vtimer.h"

/* The register is in the CPU while v is its EL1 vCPU, parked or not; else in its save area.
 * Called on v's own core (its timer's interrupt, its EOI, vcpu_apply_pending_lrs) or while v
 * runs on no core (its VMM's reply or call; vtimer_lr_config_later otherwise). */
static uint64_t lr_get(struct pd *v)
{
    return sched_holds_vcpu(v) ? vcpu_read_lr(VTIMER_LR) : v->vcpu.ich_lr[VTIMER_LR];
}

static void lr_set(struct pd *v, uint64_t value)
{
    if (sched_holds_vcpu(v))
        vcpu_write_lr(VTIMER_LR, value);
    else
        v->vcpu.ich_lr[VTIMER_LR] = value;
}

void vtimer_lr_fired(struct pd *v)
{
    uint64_t irq = v->vcpu.vtimer_irq;
    /* Disabled: owed until enabled. Still in the register: its EOI unmasks the timer. */
    if (!(irq & VTIMER_IRQ_ENABLED) || ich_lr_busy(lr_get(v)))
        return;
    uint64_t prio = (irq >> VTIMER_IRQ_PRIO_SHIFT) & 0xff;
    lr_set(v, ich_lr_pending(VTIMER_INTID, prio, true));
    if (v->state == PD_WFI)
        sched_make_ready(v);
}

uint64_t vtimer_lr_maintenance(struct pd *v, uint64_t eisr)
{
    uint64_t mine = 1ul << VTIMER_LR;
    if (!(eisr & mine))
        return eisr;
    vcpu_write_lr(VTIMER_LR, 0);
    vtimer_ack(v);
    return eisr & ~mine;
}

void vtimer_lr_config_later(struct pd *v, uint64_t value)
{
    v->vcpu.vtimer_irq = value & VTIMER_IRQ_VALID_MASK;
    v->vcpu.lr_pending_mask |= 1u << VTIMER_LR;
    cpu_kick(&cpus[v->cpu]);
}

void vtimer_lr_config(struct pd *v, uint64_t value)
{
    v->vcpu.vtimer_irq = value & VTIMER_IRQ_VALID_MASK;
    if (!vtimer_lr_owned(v))
        return;
    uint64_t lr = lr_get(v);
    if (value & VTIMER_IRQ_ENABLED) {
        if (v->vcpu.vtimer_masked && !ich_lr_busy(lr))
            vtimer_ack(v); /* it fired while disabled: again now, if still due */
    } else if ((lr & ICH_LR_STATE) == ICH_LR_PENDING) {
        lr_set(v, 0); /* not taken yet: a disabled interrupt is not delivered */
        vtimer_ack(v);
    }
}

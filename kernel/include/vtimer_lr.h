/*
 * The virtual timer's interrupt injected by the kernel itself, in a list register of its own
 * (VTIMER_LR), for every vCPU whose VM does not have vtimer="vmm": no exit to the VMM for the
 * firing nor for the guest's EOI.
 */
#ifndef VTIMER_LR_H
#define VTIMER_LR_H
#include "pd.h"

/* Whether the kernel delivers v's virtual timer (else: FAULT_VPPI exits to its VMM). */
static inline bool vtimer_lr_owned(const struct pd *v)
{
    return !(v->desc->flags & SYSIMG_PD_VTIMER_TO_VMM);
}
/* v's timer fired and vtimer.c masked it: make virtual INTID 27 pending for the guest. */
void vtimer_lr_fired(struct pd *v);
/* A maintenance interrupt of the loaded vCPU v with these EISR bits: completes the kernel's
 * list register if it is one of them; returns the bits left for the VMM. */
uint64_t vtimer_lr_maintenance(struct pd *v, uint64_t eisr);
/* The VMM wrote VCPU_REG_VTIMER_IRQ: the guest enabled, disabled or re-prioritised INTID 27. */
void vtimer_lr_config(struct pd *v, uint64_t value);
/* The same while v runs on another core, whose list registers only that core may touch: the
 * value is kept now, and that core applies it (vcpu_apply_pending_lrs) before it next enters
 * the guest, or when v leaves the CPU. */
void vtimer_lr_config_later(struct pd *v, uint64_t value);
#endif

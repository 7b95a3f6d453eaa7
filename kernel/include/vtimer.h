/*
 * Each vCPU's own virtual timer. The CPU holds one vCPU's CNTV registers at a time, only while
 * that vCPU is switched in (running, or parked while only its VMM runs: sched.c); when it is
 * switched out they go to its save area and its deadline to the kernel's deadline queue, which
 * the EL2 timer serves. Other native PDs run with the virtual timer off, and whatever they
 * write to it is discarded.
 */
#ifndef VTIMER_H
#define VTIMER_H
#include "pd.h"

/* v's CNTV state has just moved to its save area (v->vcpu.el1[...]): keep its deadline. */
void vtimer_switched_out(struct pd *v);
/* v's CNTV state is about to move into the CPU: the hardware keeps its deadline from now on. */
void vtimer_switched_in(struct pd *v);
/* The VMM wrote v's save area (v is switched out): its deadline may have changed. */
void vtimer_saved_state_changed(struct pd *v);
/* The virtual timer PPI fired, for the vCPU switched in (or for a native PD's stray write). */
void vtimer_ppi(void);
/* The EL2 timer fired: deliver every switched-out vCPU's timer that is due at `now`. */
void vtimer_expire(uint64_t now);
/* The earliest deadline the EL2 timer must also wake the kernel for (DL_NEVER: none). */
uint64_t vtimer_next_deadline(void);
/* The VMM acknowledged v's virtual timer interrupt; or v stopped (its timer is turned off). */
void vtimer_ack(struct pd *v);
void vtimer_silence(struct pd *v);
#endif

/* Fixed-priority preemptive scheduling, round-robin within a priority. */
#ifndef SCHED_H
#define SCHED_H
#include "pd.h"

void sched_make_ready(struct pd *pd);
/* A vCPU resumed after an exit: first in line again if its time slice has not ended. */
void sched_make_ready_resumed(struct pd *pd);
void sched_remove(struct pd *pd);
/* Picks the PD this core returns to and switches to it; false if none is ready. */
bool sched_pick(void);
/* Switches to `next` without the queues: only for fastpath.c, which checked that the scheduler
 * would pick it. */
void sched_run_now(struct pd *next);
/* None is: wait for an interrupt (the lock dropped meanwhile). */
void sched_idle_wait(void);
/* Time-slice expiry: the current PD goes behind its equals. */
void sched_tick(void);
/* The running PD or vCPU touched FP/SIMD while another owned the registers. */
void sched_fp_trap(void);
/* Makes a vCPU's save area complete (its state may be partly live in the CPU). */
void sched_evict_vcpu(struct pd *v);
/* The vCPU whose state is live and unparked (its virtual timer too: vtimer.c). */
struct pd *sched_loaded_vcpu(void);
/* Whether v's EL1 and GIC virtual interface state is in this core's CPU (parked or not). */
bool sched_holds_vcpu(const struct pd *v);
/* Forget a PD's live FP registers (restart): its zeroed save area becomes the truth. */
void sched_drop_fp(struct pd *pd);

#endif

/* The EL2 physical timer: the scheduler's time slice and the switched-out vCPUs' deadlines. */
#ifndef TIMER_H
#define TIMER_H
#include "types.h"

void timer_init(uint32_t intid); /* the boot core: the INTID for all, and its own timer */
void timer_init_cpu(void);       /* every other core's own timer */
uint64_t timer_now(void);        /* CNTPCT */
/* Make the timer fire by `deadline` (CNTPCT) at the latest. */
void timer_wake_by(uint64_t deadline);
/* The timer fired: true (and the next slice starts) if the time slice is over at `now`. */
bool timer_slice_over(uint64_t now);
/* After handling it: fire next at the slice's end or at `deadline`, whichever is first. */
void timer_rearm(uint64_t deadline);
/* An idle core wakes only for `deadline` (no time slice runs out while nothing runs)... */
void timer_idle(uint64_t deadline);
/* ...and starts a fresh slice when it wakes. */
void timer_new_slice(uint64_t deadline);
uint32_t timer_intid(void);
#endif

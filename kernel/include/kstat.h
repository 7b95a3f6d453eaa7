/*
 * Optional per-core time accounting, for finding out where a core's time goes (built only with
 * `make STATS=1`, which defines KERNEL_STATS; otherwise every call here is an empty inline).
 * Every 2 s core 0 logs, for each core, the share of wall time spent idle in WFI and waiting
 * for the kernel lock, the kernel entries, and the share of time each PD (by index, as in
 * mksys's report) held a core since it was switched to (kernel time included). Used to find
 * the cause of issue 10's unequal flood shares (docs/benchmarks.md).
 */
#ifndef KSTAT_H
#define KSTAT_H
#include "types.h"

struct cpu;
struct pd;

#ifdef KERNEL_STATS
void kstat_lock_wait(uint64_t since); /* klock_take: got the lock, having tried since `since` */
void kstat_idle(uint64_t ticks);      /* sched_idle_wait: this long in WFI */
void kstat_switch(struct cpu *c);     /* switch_to: c->cur_pd is about to change or be resumed */
void kstat_tick(void);                /* kernel_leave: core 0 logs every 2 s */
uint64_t kstat_now(void);
#else
static inline void kstat_lock_wait(uint64_t since)
{
    (void)since;
}
static inline void kstat_idle(uint64_t ticks)
{
    (void)ticks;
}
static inline void kstat_switch(struct cpu *c)
{
    (void)c;
}
static inline void kstat_tick(void)
{
}
static inline uint64_t kstat_now(void)
{
    return 0;
}
#endif
#endif

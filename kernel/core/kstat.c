/* Optional per-core time accounting (kstat.h); compiled to nothing without KERNEL_STATS. */
#include "kstat.h"

#ifdef KERNEL_STATS
#include "arch.h"
#include "console.h"
#include "cpu.h"
#include "pd.h"
#include "timer.h"

#define KSTAT_PDS 16u /* PDs (and vCPUs) by index accounted; the rest are not */

/* Written by each core for itself under the kernel lock (the lock wait just after taking it),
 * read and cleared by core 0 under the lock: no tearing beyond a window's edge. */
static uint64_t idle[SYS_MAX_CPUS], lockwait[SYS_MAX_CPUS], entries[SYS_MAX_CPUS];
static uint64_t held[KSTAT_PDS], since[SYS_MAX_CPUS], window;

uint64_t kstat_now(void)
{
    return timer_now();
}

void kstat_lock_wait(uint64_t t0)
{
    unsigned i = this_cpu()->idx;
    lockwait[i] += timer_now() - t0;
    entries[i]++;
}

void kstat_idle(uint64_t ticks)
{
    idle[this_cpu()->idx] += ticks;
}

void kstat_switch(struct cpu *c)
{
    uint64_t now = timer_now();
    if (c->cur_pd != NULL && c->cur_pd->idx < KSTAT_PDS && since[c->idx] != 0)
        held[c->cur_pd->idx] += now - since[c->idx];
    since[c->idx] = now;
}

static unsigned pct(uint64_t part, uint64_t whole)
{
    return (unsigned)(part * 100u / whole);
}

void kstat_tick(void)
{
    if (this_cpu()->idx != 0)
        return;
    uint64_t now = timer_now();
    if (window == 0)
        window = now;
    uint64_t d = now - window;
    if (d < 2 * arch_counter_hz())
        return;
    window = now;
    for (unsigned i = 0; i < SYS_MAX_CPUS && cpus[i].up; i++) {
        kprintf("kstat: core %u idle %u%% lock wait %u%% entries %u\n", i, pct(idle[i], d),
                pct(lockwait[i], d), (unsigned)entries[i]);
        idle[i] = lockwait[i] = entries[i] = 0;
    }
    kprintf("kstat: PD 0-7 held %u %u %u %u %u %u %u %u %%\n", pct(held[0], d), pct(held[1], d),
            pct(held[2], d), pct(held[3], d), pct(held[4], d), pct(held[5], d), pct(held[6], d),
            pct(held[7], d));
    for (unsigned i = 0; i < KSTAT_PDS; i++)
        held[i] = 0;
}
#endif

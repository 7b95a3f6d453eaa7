/*
 * The kernel lock (klock.h): a test-and-set lock whose waiters sleep in WFE.
 *
 * Not a ticket lock: a fair lock hands the lock to one chosen waiter, and if that core is not
 * executing at that moment, nobody gets it until it is. Under QEMU's multi-threaded TCG each
 * core is a host thread, and with more busy cores than host CPUs (four on imx8mp_evk, two
 * here) the host deschedules the chosen waiter for a whole host time slice: measured with the
 * ticket lock, four guests on cores 0-3 left the lock free 86% of the time while every core
 * waited for it (6 ms per take on average), and the guests never got past early boot. Linux
 * falls back to a test-and-set lock in guests without paravirtual spinlocks for the same
 * reason (lock-waiter preemption). Here whichever waiter runs first takes it.
 */
#include "klock.h"
#include "kstat.h"

static uint32_t lock; /* 1: held */

void klock_take(void)
{
    uint32_t held, failed;
    uint64_t t0 = kstat_now();
    /* The exclusive load arms this core's monitor: the holder's release store clears it, which
     * is an event, so WFE sleeps until the lock word has changed (no SEV needed). */
    __asm__ volatile("   sevl\n"
                     "1: wfe\n"
                     "2: ldaxr %w0, [%2]\n"
                     "   cbnz  %w0, 1b\n"
                     "   stxr  %w1, %w3, [%2]\n"
                     "   cbnz  %w1, 2b\n"
                     : "=&r"(held), "=&r"(failed)
                     : "r"(&lock), "r"(1u)
                     : "memory");
    kstat_lock_wait(t0);
}

void klock_drop(void)
{
    __atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
}

/* The kernel lock (klock.h): a ticket lock, fair between cores. */
#include "klock.h"

static struct {
    uint32_t next;  /* the next ticket to hand out */
    uint32_t owner; /* the ticket that holds the lock */
} lock;

void klock_take(void)
{
    uint32_t t = __atomic_fetch_add(&lock.next, 1, __ATOMIC_RELAXED), now;
    /* An exclusive load arms this core's monitor: the holder's release store clears it, which
     * is an event, so WFE sleeps until the owner field has changed (no SEV needed). */
    for (;;) {
        __asm__ volatile("ldaxr %w0, [%1]" : "=&r"(now) : "r"(&lock.owner) : "memory");
        if (now == t)
            return;
        __asm__ volatile("wfe" ::: "memory");
    }
}

void klock_drop(void)
{
    __atomic_store_n(&lock.owner, lock.owner + 1, __ATOMIC_RELEASE);
}

/* The kernel lock (klock.h): a ticket lock, fair between cores, in C11 atomics. */
#include "klock.h"

static struct {
    uint32_t next;  /* the next ticket to hand out */
    uint32_t owner; /* the ticket that holds the lock */
} lock;

void klock_take(void)
{
    uint32_t t = __atomic_fetch_add(&lock.next, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&lock.owner, __ATOMIC_ACQUIRE) != t)
        __asm__ volatile("wfe"); /* klock_drop's SEV ends it */
}

void klock_drop(void)
{
    __atomic_store_n(&lock.owner, lock.owner + 1, __ATOMIC_RELEASE);
    __asm__ volatile("dsb ish\n\tsev" ::: "memory");
}

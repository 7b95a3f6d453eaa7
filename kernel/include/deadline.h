/*
 * Deadlines in physical counter ticks (CNTPCT), earliest first: the virtual timers of vCPUs
 * that are switched out, which the kernel keeps on the EL2 timer for them. Pure bookkeeping,
 * no hardware; a queue is one core's (the caller picks it), so it needs no lock.
 */
#ifndef DEADLINE_H
#define DEADLINE_H
#include "types.h"

#define DL_NEVER (~0ull)

struct pd;
struct dl_entry {
    uint64_t when;
    struct dl_entry *next;
    struct pd *owner;
    bool queued;
};

struct dl_queue {
    struct dl_entry *head;
};

/* Queues e at `when` (moving it if it is queued already); equal deadlines keep arrival order. */
void dl_insert(struct dl_queue *q, struct dl_entry *e, uint64_t when);
void dl_remove(struct dl_queue *q, struct dl_entry *e);
/* The earliest deadline, DL_NEVER when the queue is empty. */
uint64_t dl_earliest(const struct dl_queue *q);
/* Takes the earliest entry if it is due at `now` (when <= now); NULL otherwise. */
struct dl_entry *dl_pop_due(struct dl_queue *q, uint64_t now);
/*
 * When a virtual timer with these registers fires, as a CNTPCT value, given CNTPCT = now:
 * CNTV fires once (CNTPCT - CNTVOFF) mod 2^64 >= CVAL, if CTL has ENABLE set and IMASK clear.
 * False when it never will (off, masked, or beyond the 64-bit counter's range). The registers
 * are the guest's own: any value is handled without overflow.
 */
bool dl_vtimer_deadline(uint64_t ctl, uint64_t cval, uint64_t off, uint64_t now, uint64_t *when);
#endif

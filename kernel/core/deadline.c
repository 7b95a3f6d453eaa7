/*
 * A deadline queue as a sorted singly linked list: at most one entry per vCPU (63), and the
 * common operation, a vCPU switched out while its timer is the soonest, inserts at the head.
 */
#include "deadline.h"

void dl_remove(struct dl_queue *q, struct dl_entry *e)
{
    if (!e->queued)
        return;
    struct dl_entry **link = &q->head;
    while (*link && *link != e)
        link = &(*link)->next;
    if (*link)
        *link = e->next;
    e->next = NULL;
    e->queued = false;
}

void dl_insert(struct dl_queue *q, struct dl_entry *e, uint64_t when)
{
    dl_remove(q, e);
    struct dl_entry **link = &q->head;
    while (*link && (*link)->when <= when)
        link = &(*link)->next;
    e->when = when;
    e->next = *link;
    e->queued = true;
    *link = e;
}

uint64_t dl_earliest(const struct dl_queue *q)
{
    return q->head ? q->head->when : DL_NEVER;
}

struct dl_entry *dl_pop_due(struct dl_queue *q, uint64_t now)
{
    struct dl_entry *e = q->head;
    if (!e || e->when > now)
        return NULL;
    dl_remove(q, e);
    return e;
}

#define CNTV_CTL_ENABLE 1u
#define CNTV_CTL_IMASK  2u

bool dl_vtimer_deadline(uint64_t ctl, uint64_t cval, uint64_t off, uint64_t now, uint64_t *when)
{
    if ((ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) != CNTV_CTL_ENABLE)
        return false;
    uint64_t vnow = now - off; /* the virtual count, modulo 2^64 as the hardware has it */
    if (vnow >= cval) {
        *when = now; /* due already (ISTATUS is set) */
        return true;
    }
    uint64_t left = cval - vnow;
    if (left >= DL_NEVER - now)
        return false; /* past the end of the counter */
    *when = now + left;
    return true;
}

/*
 * One core's ready queues: a FIFO per priority (0..255) and a bitmap of the non-empty ones.
 * Pure bookkeeping (host-tested: tests/kernel/test_runq.c); which queue a PD belongs to is its
 * core's (sched.c). A PD is linked through its rq_next/queued fields.
 */
#ifndef RUNQ_H
#define RUNQ_H
#include "types.h"

struct pd;

struct runq {
    struct pd *head[256], *tail[256];
    uint64_t bitmap[4];
};

void runq_push(struct runq *q, struct pd *pd, bool at_head);
void runq_remove(struct runq *q, struct pd *pd); /* no-op if pd is not queued */
/* The first PD of the highest non-empty priority, still queued; NULL if all are empty. */
struct pd *runq_highest(const struct runq *q);
bool runq_has(const struct runq *q, unsigned priority);
/* Whether any PD of this priority or a higher one is queued (none above 255). */
bool runq_any_from(const struct runq *q, unsigned priority);
#endif

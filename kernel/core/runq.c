/* Ready queues (runq.h). */
#include "runq.h"
#include "pd.h"

void runq_push(struct runq *q, struct pd *pd, bool at_head)
{
    unsigned p = pd->priority;
    pd->queued = true;
    if (!q->head[p]) {
        pd->rq_next = NULL;
        q->head[p] = q->tail[p] = pd;
    } else if (at_head) {
        pd->rq_next = q->head[p];
        q->head[p] = pd;
    } else {
        pd->rq_next = NULL;
        q->tail[p]->rq_next = pd;
        q->tail[p] = pd;
    }
    q->bitmap[p / 64] |= 1ul << (p % 64);
}

void runq_remove(struct runq *q, struct pd *pd)
{
    if (!pd->queued)
        return;
    unsigned p = pd->priority;
    struct pd **link = &q->head[p], *prev = NULL;
    while (*link != pd) {
        prev = *link;
        link = &(*link)->rq_next;
    }
    *link = pd->rq_next;
    if (q->tail[p] == pd)
        q->tail[p] = prev;
    if (!q->head[p])
        q->bitmap[p / 64] &= ~(1ul << (p % 64));
    pd->queued = false;
}

struct pd *runq_highest(const struct runq *q)
{
    for (int w = 3; w >= 0; w--)
        if (q->bitmap[w])
            return q->head[w * 64 + 63 - __builtin_clzl(q->bitmap[w])];
    return NULL;
}

bool runq_any_from(const struct runq *q, unsigned priority)
{
    if (priority > 255)
        return false;
    unsigned w = priority / 64;
    uint64_t above = q->bitmap[w] & (~0ul << (priority % 64));
    /* the words above w, without a loop: this is on the fast paths */
    switch (w) {
    case 0: above |= q->bitmap[1]; /* fall through */
    case 1: above |= q->bitmap[2]; /* fall through */
    case 2: above |= q->bitmap[3];
    }
    return above != 0;
}

bool runq_has(const struct runq *q, unsigned priority)
{
    return q->head[priority] != NULL;
}

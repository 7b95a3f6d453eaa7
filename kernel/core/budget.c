/* CPU budgets: a PD runs at most its budget of its core in each period (budget.h). */
#include "budget.h"
#include "runq.h"

/*
 * A PD with a budget (Microkit's budget and period, in the system description) runs at most
 * `budget` of its core in each `period`; the period starts when it is charged after a refill.
 * Once it has used its budget it is throttled: neither run nor queued, even if ready, until its
 * period ends; then it is queued again at the tail of its priority. Its running time is charged
 * at every switch and pick, and the EL2 timer fires when its budget runs out or a throttled PD's
 * period ends. So a high-priority server that another core keeps busy (the serial driver,
 * writing the UART for a guest on another core) leaves its own core's lower-priority PDs at
 * least period - budget of each period (docs/kernel.md, "CPU budgets"). Host-tested in tests/kernel/test_budget.c.
 */
bool sched_budgets_used;

/* The running PD has used its core up to now. */
void budget_charge(struct cpu *c, uint64_t now)
{
    struct pd *cur = c->cur_pd;
    if (cur != NULL && cur->budget != 0 && c->run_since != 0 && !c->idle)
        cur->used += now - c->run_since;
    c->run_since = now;
}

/* Budgeted PDs of core c whose period ended get their budget back (and their place in the
 * queues, if they were made ready while throttled); the running one is throttled when it has
 * used its budget up. */
void budget_update(struct cpu *c, uint64_t now)
{
    if (!sched_budgets_used)
        return;
    for (unsigned i = 0; i < num_pds; i++) {
        struct pd *pd = &pds[i];
        if (pd->budget == 0 || pd->cpu != c->idx || now < pd->refill_at)
            continue;
        pd->used = 0;
        pd->refill_at = now + pd->period;
        if (pd->throttled) {
            pd->throttled = false;
            if (pd->state == PD_READY && pd != c->cur_pd && !pd->queued)
                runq_push(&c->rq, pd, false);
        }
    }
    struct pd *cur = c->cur_pd;
    if (cur != NULL && cur->budget != 0 && !cur->throttled && cur->used >= cur->budget) {
        cur->throttled = true;
        if (cur->queued)
            runq_remove(&c->rq, cur);
    }
}

/* When pd, switched to or charged at c->run_since, has used its budget up. */
uint64_t budget_out_at(const struct cpu *c, const struct pd *pd)
{
    return c->run_since + (pd->used < pd->budget ? pd->budget - pd->used : 0);
}

/* The next moment core c's budgets change: the running PD's budget runs out, or a throttled
 * PD's period ends. */
uint64_t budget_deadline(const struct cpu *c)
{
    uint64_t when = ~0ull;
    if (!sched_budgets_used)
        return when;
    for (unsigned i = 0; i < num_pds; i++) {
        struct pd *pd = &pds[i];
        if (pd->budget == 0 || pd->cpu != c->idx)
            continue;
        if (pd->throttled && pd->refill_at < when)
            when = pd->refill_at;
        else if (pd == c->cur_pd && pd->state == PD_READY && !pd->throttled) {
            /* the one that runs (not one that waits and merely was the last to run) */
            uint64_t out = budget_out_at(c, pd);
            if (out < when)
                when = out;
        }
    }
    return when;
}

/*
 * CPU budgets, Microkit's budget and period (budget.c): a PD with one runs at most `budget`
 * ticks of its core in each period and is throttled (not run, not queued) for the rest.
 * Called by the scheduler under the kernel lock, for this core only.
 */
#ifndef BUDGET_H
#define BUDGET_H
#include "cpu.h"
#include "pd.h"

/* Some PD has a budget (pds_init): only then is any of this looked at. */
extern bool sched_budgets_used;
/* The running PD (c->cur_pd) has used its core up to `now`; c->run_since becomes now. */
void budget_charge(struct cpu *c, uint64_t now);
/* Budgets whose period ended at `now` are refilled (a throttled PD that is ready is queued
 * again); the running PD is throttled (and unqueued) if it has used its budget up. */
void budget_update(struct cpu *c, uint64_t now);
/* When pd (a PD with a budget), run from c->run_since on, has used its budget up. */
uint64_t budget_out_at(const struct cpu *c, const struct pd *pd);
/* When c's budgets next change (the running PD's runs out, a throttled one's period ends);
 * ~0 when never. */
uint64_t budget_deadline(const struct cpu *c);
#endif

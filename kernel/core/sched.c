/*
 * Fixed-priority preemptive scheduling, round-robin within a priority, on each core for the
 * PDs placed on it. Ready PDs other than a core's running one wait in that core's queues
 * (runq.c); the running PD (`current`) is never queued: it is put back at the head of its
 * queue when preempted and at the tail when its time slice ends. A PD made ready by another
 * core goes into its own core's queue and that core is kicked.
 */
#include "sched.h"
#include "gic.h"
#include "klock.h"
#include "budget.h"
#include "kstat.h"
#include "arch.h"
#include "timer.h"
#include "vtimer.h"

static inline struct cpu *home(const struct pd *pd)
{
    return &cpus[pd->cpu];
}

/* The vCPU whose state is live and unparked on this core (the one running, at its exit). */
struct pd *sched_loaded_vcpu(void)
{
    struct cpu *c = this_cpu();
    return c->el1_parked ? NULL : c->el1_vcpu;
}

/* Whether v's list registers are in this core's CPU (parked or not) rather than in its save
 * area. */
bool sched_holds_vcpu(const struct pd *v)
{
    return this_cpu()->el1_vcpu == v;
}

/* Makes v's save area complete, before another vCPU runs or its VMM reads or writes it. */
static void timer_out(struct cpu *c, struct pd *v)
{
    if (!c->el1_timer_out) {
        vcpu_park_timer(v);
        vtimer_switched_out(v);
        c->el1_timer_out = true;
    }
}

/* Only for a vCPU whose state is on this core, or on none (then there is nothing to do). */
void sched_evict_vcpu(struct pd *v)
{
    struct cpu *c = this_cpu();
    if (c->el1_vcpu != v)
        return;
    if (!c->el1_parked)
        vcpu_park(v);
    timer_out(c, v);
    vcpu_save_parked(v);
    c->el1_vcpu = NULL;
    c->el1_parked = false;
    if (v->vcpu.lr_pending_mask)
        vcpu_apply_pending_lrs(v, false);
}

static void switch_el1(struct cpu *c, struct pd *next)
{
    struct pd *loaded = c->el1_vcpu;
    if (next->is_vcpu && loaded != next) {
        if (loaded)
            sched_evict_vcpu(loaded);
        vtimer_switched_in(next);
        vcpu_load(next);
        c->el1_vcpu = next;
        c->el1_timer_out = false;
    } else if (next->is_vcpu && c->el1_parked) {
        if (c->el1_timer_out) {
            vtimer_switched_in(next);
            vcpu_unpark_timer(next);
            c->el1_timer_out = false;
        }
        vcpu_unpark(next);
        c->el1_parked = false;
    } else if (!next->is_vcpu && loaded) {
        if (loaded->vmm_elsewhere) { /* its VMM may read or write any of it meanwhile */
            sched_evict_vcpu(loaded);
            return;
        }
        if (!c->el1_parked) {
            vcpu_park(loaded);
            c->el1_parked = true;
        }
        /* Its own VMM may run beside the guest's live timer: it could set that timer through
         * the vCPU's registers anyway, and most exits then move no timer registers. */
        if (next->idx != loaded->desc->parent)
            timer_out(c, loaded);
    }
    if (next->is_vcpu && next->vcpu.lr_pending_mask)
        vcpu_apply_pending_lrs(next, true);
}

void sched_remove(struct pd *pd)
{
    runq_remove(&home(pd)->rq, pd);
}

static void make_ready(struct pd *pd, bool at_head)
{
    struct cpu *c = home(pd);
    pd->state = PD_READY;
    if (pd != c->cur_pd && !pd->queued && !pd->throttled)
        runq_push(&c->rq, pd, at_head);
    if (c != this_cpu())
        cpu_kick(c);
}

void sched_make_ready(struct pd *pd)
{
    make_ready(pd, false);
}

/* A vCPU its VMM resumes after an exit was not done with its slice: it goes back first in line
 * unless the slice has ended since it last ran. At the tail, a vCPU whose every tick is an exit
 * would lose its turn each time to a vCPU of the same guest spinning beside it on the core
 * (Linux's stop_machine), and never reach the code the spinner waits for. */
void sched_make_ready_resumed(struct pd *pd)
{
    make_ready(pd, pd->slice_gen == home(pd)->slice_gen);
}

void sched_tick(void)
{
    struct cpu *c = this_cpu();
    struct pd *cur = c->cur_pd;
    c->slice_gen++;
    if (cur && cur->state == PD_READY && !cur->queued && !cur->throttled && runq_has(&c->rq, cur->priority))
        runq_push(&c->rq, cur, false);
}

/*
 * FP/SIMD registers are switched lazily: a PD or vCPU that is not their owner runs with FP
 * trapped (CPTR_EL2.TFP) and takes them over on first use, so the many switches that touch no
 * FP (a guest exit to its VMM and back, most notifications) do not move 512 bytes each way.
 * A PD only ever runs on its own core, so its registers are live on that core or nowhere.
 */
static void cptr_write(struct cpu *c, uint64_t v)
{
    if (v != c->cptr_now) {
        arch_write_traps(v);
        c->cptr_now = v;
    }
}

static void cptr_update(struct cpu *c, struct pd *next)
{
    cptr_write(c, arch_trap_setting(next, c->fp_owner == next));
}

/* The running PD used FP/SIMD while trapped: hand it the registers. */
void sched_fp_trap(void)
{
    struct cpu *c = this_cpu();
    struct pd *pd = c->cur_pd;
    if (c->fp_owner != pd) {
        cptr_write(c, arch_trap_setting(pd, true)); /* the trap catches EL2's own FP use too */
        if (c->fp_owner)
            fp_save(&c->fp_owner->fp);
        fp_restore(&pd->fp);
        c->fp_owner = pd;
    }
    cptr_update(c, pd);
}

static void switch_to(struct cpu *c, struct pd *next)
{
    kstat_switch(c);
    if (sched_budgets_used) { /* a system without budgets reads no counter here */
        budget_charge(c, timer_now());
        if (next->budget != 0) /* its budget runs out then at the latest */
            timer_wake_by(budget_out_at(c, next));
    }
    if (next == c->cur_pd && !next->is_vcpu) {
        /* back to the native PD that entered: all in place but the FP trap, which a restart
         * (sched_drop_fp) may have changed while it was blocked here */
        cptr_update(c, next);
        return;
    }
    switch_el1(c, next);
    arch_enter_pd(next, next != c->cur_pd);
    c->cur_pd = next;
    next->slice_gen = c->slice_gen;
    cptr_update(c, next);
}

/* The fast paths' switch (fastpath.c): `next`, on this core and not queued, is what sched_pick
 * would choose, and no other core left work here. */
void sched_run_now(struct pd *next)
{
    struct cpu *c = this_cpu();
    c->kick_pending = false; /* as sched_pick: this core has seen all others left it */
    switch_to(c, next);
}

void sched_drop_fp(struct pd *pd)
{
    if (home(pd)->fp_owner == pd)
        home(pd)->fp_owner = NULL;
}

/* Nothing to run: wait for an interrupt with IRQs masked at EL2 and the lock free; the
 * caller then handles it (trap.c kernel_leave). */
void sched_idle_wait(void)
{
    struct cpu *c = this_cpu();
    if (c->el1_vcpu && c->el1_vcpu->vmm_elsewhere)
        sched_evict_vcpu(c->el1_vcpu); /* blocked: its VMM may want its state */
    if (sched_budgets_used)
        budget_charge(c, timer_now());
    c->idle = true;
    uint64_t vt = vtimer_next_deadline(), b = budget_deadline(c);
    timer_idle(vt < b ? vt : b);
    klock_drop();
    uint64_t t0 = kstat_now();
    arch_wait_for_interrupt();
    kstat_idle(kstat_now() - t0);
    klock_take();
    c->idle = false;
    if (sched_budgets_used)
        c->run_since = timer_now();
    timer_new_slice(vtimer_next_deadline());
}

bool sched_pick(void)
{
    struct cpu *c = this_cpu();
    if (c->work)
        cpu_settle(c);
    c->kick_pending = false; /* from here on this core sees what others left it */
    if (sched_budgets_used) {
        uint64_t now = timer_now();
        budget_charge(c, now);
        budget_update(c, now);
        timer_wake_by(budget_deadline(c));
    }
    struct pd *cur = c->cur_pd, *next = runq_highest(&c->rq);
    bool cur_ready = cur && cur->state == PD_READY && !cur->queued && !cur->throttled;
    if (cur_ready && (!next || next->priority <= cur->priority)) {
        switch_to(c, cur);
        return true;
    }
    if (!next)
        return false;
    if (cur_ready)
        runq_push(&c->rq, cur, true); /* preempted: first in line at its priority */
    runq_remove(&c->rq, next);
    switch_to(c, next);
    return true;
}

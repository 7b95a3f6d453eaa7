/*
 * Fixed-priority preemptive scheduler. Ready PDs other than the running one wait in one FIFO
 * per priority; a bitmap finds the highest non-empty one. The running PD (`current`) is never
 * queued: it is put back at the head of its queue when preempted and at the tail when its
 * time slice ends.
 */
#include "sched.h"
#include "gic.h"
#include "irq.h"
#include "sysreg.h"
#include "vtimer.h"

static struct pd *rq_head[256], *rq_tail[256];
static uint64_t rq_bitmap[4];
static struct pd *fp_owner; /* whose FP/SIMD registers are live in the CPU */
static struct pd *el1_vcpu; /* whose EL1 and GIC virtual interface state is in the CPU */
static bool el1_parked;     /* ...parked: PDs run, its park set is in its save area */
static bool el1_timer_out;  /* ...and its virtual timer is in its save area (vtimer.c) */

/* The vCPU whose state is live and unparked (the one running, when handling its exit). */
struct pd *sched_loaded_vcpu(void)
{
    return el1_parked ? NULL : el1_vcpu;
}

/* Whether v's list registers are in the CPU (parked or not) rather than in its save area. */
bool sched_holds_vcpu(const struct pd *v)
{
    return el1_vcpu == v;
}

/* Makes v's save area complete, before another vCPU runs or its VMM reads or writes it. */
static void timer_out(struct pd *v)
{
    if (!el1_timer_out) {
        vcpu_park_timer(v);
        vtimer_switched_out(v);
        el1_timer_out = true;
    }
}

void sched_evict_vcpu(struct pd *v)
{
    if (el1_vcpu != v)
        return;
    if (!el1_parked)
        vcpu_park(v);
    timer_out(v);
    vcpu_save_parked(v);
    el1_vcpu = NULL;
    el1_parked = false;
}

static void switch_el1(struct pd *next)
{
    if (next->is_vcpu && el1_vcpu != next) {
        if (el1_vcpu)
            sched_evict_vcpu(el1_vcpu);
        vtimer_switched_in(next);
        vcpu_load(next);
        el1_vcpu = next;
        el1_timer_out = false;
    } else if (next->is_vcpu && el1_parked) {
        if (el1_timer_out) {
            vtimer_switched_in(next);
            vcpu_unpark_timer(next);
            el1_timer_out = false;
        }
        vcpu_unpark(next);
        el1_parked = false;
    } else if (!next->is_vcpu && el1_vcpu) {
        if (!el1_parked) {
            vcpu_park(el1_vcpu);
            el1_parked = true;
        }
        /* Its own VMM may run beside the guest's live timer: it could set that timer through
         * the vCPU's registers anyway, and most exits then move no timer registers. */
        if (next->idx != el1_vcpu->desc->parent)
            timer_out(el1_vcpu);
    }
}

static void push(struct pd *pd, bool at_head)
{
    unsigned p = pd->priority;
    pd->queued = true;
    if (!rq_head[p]) {
        pd->rq_next = NULL;
        rq_head[p] = rq_tail[p] = pd;
    } else if (at_head) {
        pd->rq_next = rq_head[p];
        rq_head[p] = pd;
    } else {
        pd->rq_next = NULL;
        rq_tail[p]->rq_next = pd;
        rq_tail[p] = pd;
    }
    rq_bitmap[p / 64] |= 1ul << (p % 64);
}

void sched_remove(struct pd *pd)
{
    if (!pd->queued)
        return;
    unsigned p = pd->priority;
    struct pd **link = &rq_head[p], *prev = NULL;
    while (*link != pd) {
        prev = *link;
        link = &(*link)->rq_next;
    }
    *link = pd->rq_next;
    if (rq_tail[p] == pd)
        rq_tail[p] = prev;
    if (!rq_head[p])
        rq_bitmap[p / 64] &= ~(1ul << (p % 64));
    pd->queued = false;
}

static struct pd *highest_queued(void)
{
    for (int w = 3; w >= 0; w--)
        if (rq_bitmap[w])
            return rq_head[w * 64 + 63 - __builtin_clzl(rq_bitmap[w])];
    return NULL;
}

void sched_make_ready(struct pd *pd)
{
    pd->state = PD_READY;
    if (pd != current && !pd->queued)
        push(pd, false);
}

void sched_tick(void)
{
    if (current && current->state == PD_READY && !current->queued && rq_head[current->priority])
        push(current, false);
}

/*
 * FP/SIMD registers are switched lazily: a PD or vCPU that is not their owner runs with FP
 * trapped (CPTR_EL2.TFP) and takes them over on first use, so the many switches that touch no
 * FP (a guest exit to its VMM and back, most notifications) do not move 512 bytes each way.
 */
static uint64_t cptr_now = ~0ul;

static void cptr_write(uint64_t v)
{
    if (v != cptr_now) {
        sysreg_write(cptr_el2, v);
        isb();
        cptr_now = v;
    }
}

static void cptr_update(struct pd *next)
{
    cptr_write((next->is_vcpu ? CPTR_VM : CPTR_PD) | (fp_owner == next ? 0 : CPTR_TFP));
}

/* The running PD used FP/SIMD while trapped: hand it the registers. */
void sched_fp_trap(void)
{
    struct pd *pd = current;
    if (fp_owner != pd) {
        cptr_write(pd->is_vcpu ? CPTR_VM : CPTR_PD); /* TFP traps EL2's own FP use too */
        if (fp_owner)
            fp_save(&fp_owner->fp);
        fp_restore(&pd->fp);
        fp_owner = pd;
    }
    cptr_update(pd);
}

static void switch_to(struct pd *next)
{
    switch_el1(next);
    if (next != current) {
        sysreg_write(vttbr_el2, next->vttbr);
        sysreg_write(cnthctl_el2, next->cnthctl);
        /* VBAR_EL1 cannot be trapped on writes; reset it so no PD can redirect another's faults */
        if (!next->is_vcpu)
            sysreg_write(vbar_el1, PD_VECTORS_VADDR);
        isb();
    }
    sysreg_write(tpidr_el2, (uint64_t)&next->ctx);
    current = next;
    cptr_update(next);
}

void sched_drop_fp(struct pd *pd)
{
    if (fp_owner == pd)
        fp_owner = NULL;
}

void schedule(void)
{
    for (;;) {
        struct pd *next = highest_queued();
        bool cur_ready = current && current->state == PD_READY && !current->queued;
        if (cur_ready && (!next || next->priority <= current->priority)) {
            switch_to(current);
            return;
        }
        if (next) {
            if (cur_ready)
                push(current, true); /* preempted: first in line at its priority */
            sched_remove(next);
            switch_to(next);
            return;
        }
        /* Nothing to run: wait for an interrupt with IRQs still masked at EL2, then poll. */
        wfi();
        irq_handle_pending();
    }
}

/*
 * Each vCPU's own virtual timer (vtimer.h). The one vCPU switched in has its CNTV registers in
 * the CPU and its interrupt arrives as the virtual timer PPI; every other vCPU's deadline waits
 * in the deadline queue, and the EL2 timer is programmed for the earliest of those and the end
 * of the time slice. A fired timer is masked for its own vCPU only (vtimer_masked: no deadline
 * queued, the PPI disabled while that vCPU is switched in) until its VMM acks it, so one
 * guest's pending interrupt never holds back another's.
 */
#include "vtimer.h"
#include "deadline.h"
#include "gic.h"
#include "timer.h"

#define SAVED(v, reg) ((v)->vcpu.el1[VCPU_REG_##reg - VCPU_REG_SCTLR])

/* Each core's state is in its struct cpu (vt_*), for the vCPUs placed on it. */
static inline struct cpu *home(const struct pd *v)
{
    return &cpus[v->cpu];
}

/* Out of line: the switch-in path calls it only when the state changes. Any core may set
 * another core's (through that core's redistributor). */
static __attribute__((noinline)) void ppi_set_off(struct cpu *c, bool off)
{
    if (off == c->vt_ppi_off)
        return;
    if (off)
        gic_disable_on(VTIMER_INTID, c->idx);
    else
        gic_enable_on(VTIMER_INTID, c->idx);
    c->vt_ppi_off = off;
}

/* Queue (or drop) a switched-out vCPU's deadline from its save area, on its own core. */
static void keep_deadline(struct pd *v)
{
    uint64_t when;
    struct cpu *c = home(v);
    struct dl_entry *e = &v->vcpu.vtimer_dl;
    e->owner = v;
    if (v->vcpu.vtimer_masked ||
        !dl_vtimer_deadline(SAVED(v, CNTV_CTL), SAVED(v, CNTV_CVAL), SAVED(v, CNTVOFF), timer_now(), &when)) {
        dl_remove(&c->vt_queue, e);
        return;
    }
    dl_insert(&c->vt_queue, e, when);
    if (c == this_cpu()) {
        timer_wake_by(dl_earliest(&c->vt_queue));
    } else { /* only that core can program its EL2 timer */
        cpu_leave_work(c);
    }
}

/* CTL's ENABLE set and IMASK clear: a timer that can fire (deadline.c decides when). */
static bool may_fire(const struct pd *v)
{
    return (SAVED(v, CNTV_CTL) & 3) == 1 && !v->vcpu.vtimer_masked;
}

void vtimer_switched_out(struct pd *v)
{
    struct cpu *c = this_cpu();
    if (c->vt_live == v)
        c->vt_live = NULL;
    if (may_fire(v)) /* on most exits of a guest that has its timer off, nothing more to do */
        keep_deadline(v);
}

void vtimer_switched_in(struct pd *v)
{
    struct cpu *c = this_cpu();
    if (v->vcpu.vtimer_dl.queued)
        dl_remove(&c->vt_queue, &v->vcpu.vtimer_dl); /* the hardware has it now */
    c->vt_live = v;
    if (v->vcpu.vtimer_masked != c->vt_ppi_off)
        ppi_set_off(c, v->vcpu.vtimer_masked);
}

void vtimer_saved_state_changed(struct pd *v)
{
    if (v != home(v)->vt_live)
        keep_deadline(v);
}

/* On v's core, or for a v whose timer is in no CPU (pd_running_elsewhere defers the rest). */
void vtimer_silence(struct pd *v)
{
    struct cpu *c = home(v);
    SAVED(v, CNTV_CTL) = 0;
    v->vcpu.vtimer_masked = false;
    if (v == c->vt_live) {
        vcpu_vtimer_off();
        ppi_set_off(c, false);
    } else {
        dl_remove(&c->vt_queue, &v->vcpu.vtimer_dl);
    }
}

static void deliver(struct pd *v)
{
    if (v->state == PD_STOPPED) {
        vtimer_silence(v); /* nobody will ack it */
        return;
    }
    v->vcpu.vtimer_masked = true;
    if (v == home(v)->vt_live)
        ppi_set_off(home(v), true);
    vcpu_vtimer_fired(v);
}

void vtimer_ppi(void)
{
    struct cpu *c = this_cpu();
    if (c->vt_live)
        deliver(c->vt_live);
    else
        vcpu_vtimer_off(); /* a native PD armed it: discarded, as anything it writes there */
}

void vtimer_expire(uint64_t now)
{
    struct dl_entry *e;
    while ((e = dl_pop_due(&this_cpu()->vt_queue, now)) != NULL)
        deliver(e->owner);
}

uint64_t vtimer_next_deadline(void)
{
    return dl_earliest(&this_cpu()->vt_queue);
}

/* From its VMM, on any core. */
void vtimer_ack(struct pd *v)
{
    v->vcpu.vtimer_masked = false;
    if (v == home(v)->vt_live)
        ppi_set_off(home(v), false);
    else
        keep_deadline(v); /* still due (level-triggered): fires again at once */
}

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

/* One core's state. With SMP each core gets its own, for the vCPUs placed on it. */
static struct dl_queue queue;
static struct pd *live; /* whose CNTV registers are in the CPU */
static bool ppi_off;    /* the virtual timer PPI is disabled at the GIC */

#define SAVED(v, reg) ((v)->vcpu.el1[VCPU_REG_##reg - VCPU_REG_SCTLR])

/* Out of line: the switch-in path calls it only when the state changes. */
static __attribute__((noinline)) void ppi_set_off(bool off)
{
    if (off == ppi_off)
        return;
    if (off)
        gic_disable(VTIMER_INTID);
    else
        gic_enable(VTIMER_INTID);
    ppi_off = off;
}

/* Queue (or drop) a switched-out vCPU's deadline from its save area. */
static void keep_deadline(struct pd *v)
{
    uint64_t when;
    struct dl_entry *e = &v->vcpu.vtimer_dl;
    e->owner = v;
    if (v->vcpu.vtimer_masked ||
        !dl_vtimer_deadline(SAVED(v, CNTV_CTL), SAVED(v, CNTV_CVAL), SAVED(v, CNTVOFF), timer_now(), &when)) {
        dl_remove(&queue, e);
        return;
    }
    dl_insert(&queue, e, when);
    timer_wake_by(dl_earliest(&queue));
}

/* CTL's ENABLE set and IMASK clear: a timer that can fire (deadline.c decides when). */
static bool may_fire(const struct pd *v)
{
    return (SAVED(v, CNTV_CTL) & 3) == 1 && !v->vcpu.vtimer_masked;
}

void vtimer_switched_out(struct pd *v)
{
    if (live == v)
        live = NULL;
    if (may_fire(v)) /* on most exits of a guest that has its timer off, nothing more to do */
        keep_deadline(v);
}

void vtimer_switched_in(struct pd *v)
{
    if (v->vcpu.vtimer_dl.queued)
        dl_remove(&queue, &v->vcpu.vtimer_dl); /* the hardware has it now */
    live = v;
    if (v->vcpu.vtimer_masked != ppi_off)
        ppi_set_off(v->vcpu.vtimer_masked);
}

void vtimer_saved_state_changed(struct pd *v)
{
    if (v != live)
        keep_deadline(v);
}

void vtimer_silence(struct pd *v)
{
    SAVED(v, CNTV_CTL) = 0;
    v->vcpu.vtimer_masked = false;
    if (v == live) {
        vcpu_vtimer_off();
        ppi_set_off(false);
    } else {
        dl_remove(&queue, &v->vcpu.vtimer_dl);
    }
}

static void deliver(struct pd *v)
{
    if (v->state == PD_STOPPED) {
        vtimer_silence(v); /* nobody will ack it */
        return;
    }
    v->vcpu.vtimer_masked = true;
    if (v == live)
        ppi_set_off(true);
    vcpu_vtimer_fired(v);
}

void vtimer_ppi(void)
{
    if (live)
        deliver(live);
    else
        vcpu_vtimer_off(); /* a native PD armed it: discarded, as anything it writes there */
}

void vtimer_expire(uint64_t now)
{
    struct dl_entry *e;
    while ((e = dl_pop_due(&queue, now)) != NULL)
        deliver(e->owner);
}

uint64_t vtimer_next_deadline(void)
{
    return dl_earliest(&queue);
}

void vtimer_ack(struct pd *v)
{
    v->vcpu.vtimer_masked = false;
    if (v == live)
        ppi_set_off(false);
    else
        keep_deadline(v); /* still due (level-triggered): fires again at once */
}

/*
 * The EL2 physical timer (CNTHP): it ends time slices and wakes the kernel for the deadlines of
 * switched-out vCPUs' virtual timers (vtimer.c), whichever comes first. PDs keep CNTPCT
 * readable at EL1. Each core has its own CNTHP; its state is in its struct cpu.
 */
#include "timer.h"
#include "cpu.h"
#include "gic.h"
#include "sysreg.h"

/* 20 ms round-robin slice within a priority (docs/kernel.md, "Scheduling"). Each switch between
 * two guests costs the incoming one its TLB (under QEMU: a whole software-TLB refill, about
 * 1 ms of host CPU); with 5 ms slices four busy guests on a core spent a sixth of the core on
 * that. A PD made ready at a higher priority (a VMM, a driver) still preempts at once. */
#define TIMESLICE_HZ 50

static uint32_t tick_intid;
static uint64_t tick_ticks;

static void program(struct cpu *c, uint64_t when)
{
    if (when == c->programmed)
        return;
    sysreg_write(cnthp_cval_el2, when);
    isb();
    c->programmed = when;
}

uint64_t timer_now(void)
{
    isb();
    return sysreg_read(cntpct_el0);
}

void timer_init_cpu(void)
{
    struct cpu *c = this_cpu();
    sysreg_write(cntvoff_el2, 0);
    sysreg_write(cntv_ctl_el0, 0); /* no vCPU's timer is in the CPU yet (vtimer.c) */
    gic_config(tick_intid, false, c->idx);
    gic_enable(tick_intid);
    c->slice_end = timer_now() + tick_ticks;
    c->programmed = ~c->slice_end; /* anything else: the first program() writes */
    program(c, c->slice_end);
    sysreg_write(cnthp_ctl_el2, 1);
    isb();
}

void timer_init(uint32_t intid)
{
    tick_intid = intid;
    tick_ticks = sysreg_read(cntfrq_el0) / TIMESLICE_HZ;
    timer_init_cpu();
}

void timer_wake_by(uint64_t deadline)
{
    struct cpu *c = this_cpu();
    if (deadline < c->programmed)
        program(c, deadline);
}

bool timer_slice_over(uint64_t now)
{
    struct cpu *c = this_cpu();
    if (now < c->slice_end)
        return false;
    c->slice_end = now + tick_ticks;
    return true;
}

void timer_rearm(uint64_t deadline)
{
    struct cpu *c = this_cpu();
    program(c, deadline < c->slice_end ? deadline : c->slice_end);
}

void timer_idle(uint64_t deadline)
{
    program(this_cpu(), deadline); /* DL_NEVER: as good as off */
}

void timer_new_slice(uint64_t deadline)
{
    struct cpu *c = this_cpu();
    c->slice_end = timer_now() + tick_ticks;
    program(c, deadline < c->slice_end ? deadline : c->slice_end);
}

uint32_t timer_intid(void)
{
    return tick_intid;
}

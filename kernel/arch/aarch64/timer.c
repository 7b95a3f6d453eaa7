/*
 * The EL2 physical timer (CNTHP): it ends time slices and wakes the kernel for the deadlines of
 * switched-out vCPUs' virtual timers (vtimer.c), whichever comes first. PDs keep CNTPCT
 * readable at EL1. With SMP each core has its own CNTHP and gets its own copy of this state.
 */
#include "timer.h"
#include "gic.h"
#include "sysreg.h"

#define TIMESLICE_HZ 200 /* 5 ms round-robin slice within a priority */

static uint32_t tick_intid;
static uint64_t tick_ticks;
static uint64_t slice_end;  /* when the running PD's time slice ends */
static uint64_t programmed; /* CNTHP_CVAL_EL2 */

static void program(uint64_t when)
{
    if (when == programmed)
        return;
    sysreg_write(cnthp_cval_el2, when);
    isb();
    programmed = when;
}

uint64_t timer_now(void)
{
    isb();
    return sysreg_read(cntpct_el0);
}

void timer_init(uint32_t intid)
{
    tick_intid = intid;
    tick_ticks = sysreg_read(cntfrq_el0) / TIMESLICE_HZ;
    sysreg_write(cntvoff_el2, 0);
    sysreg_write(cntv_ctl_el0, 0); /* no vCPU's timer is in the CPU yet (vtimer.c) */
    gic_config(intid, false);
    gic_enable(intid);
    slice_end = timer_now() + tick_ticks;
    programmed = ~slice_end; /* anything else: the first program() writes */
    program(slice_end);
    sysreg_write(cnthp_ctl_el2, 1);
    isb();
}

void timer_wake_by(uint64_t deadline)
{
    if (deadline < programmed)
        program(deadline);
}

bool timer_slice_over(uint64_t now)
{
    if (now < slice_end)
        return false;
    slice_end = now + tick_ticks;
    return true;
}

void timer_rearm(uint64_t deadline)
{
    program(deadline < slice_end ? deadline : slice_end);
}

uint32_t timer_intid(void)
{
    return tick_intid;
}

/* Time-slice tick on the EL2 physical timer (CNTHP); PDs keep CNTPCT readable at EL1. */
#include "timer.h"
#include "gic.h"
#include "sysreg.h"

#define TIMESLICE_HZ 200 /* 5 ms round-robin slice within a priority */

static uint32_t tick_intid;
static uint64_t tick_ticks;

void timer_init(uint32_t intid)
{
    tick_intid = intid;
    tick_ticks = sysreg_read(cntfrq_el0) / TIMESLICE_HZ;
    sysreg_write(cntvoff_el2, 0);
    gic_config(intid, false);
    gic_enable(intid);
    timer_rearm();
}

void timer_rearm(void)
{
    sysreg_write(cnthp_tval_el2, tick_ticks);
    sysreg_write(cnthp_ctl_el2, 1);
    isb();
}

uint32_t timer_intid(void)
{
    return tick_intid;
}

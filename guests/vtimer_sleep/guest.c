/*
 * The virtual-timer sleeper guest. It arms its own virtual timer PERIOD_US ahead, sleeps in
 * WFI until the timer's interrupt (PPI 27, injected by its VMM through the vGIC) is pending,
 * and measures how late it woke against CNTVCT, WAKES times. Several of these, with different
 * periods and each with its own VMM, run side by side (systems/qemu_virt/timers.system); it
 * has no UART, so it writes its figures to a report block in its own RAM, which a native PD
 * maps and prints (examples/timers/writer.c).
 */
#include <stdint.h>

#include "vtimer_report.h"

#ifndef PERIOD_US
#error PERIOD_US: the sleep period in microseconds
#endif
#define WAKES           200u
#define VTIMER_PPI      27u
#define SPURIOUS        1023u
#define PSCI_SYSTEM_OFF 0x84000008ul

/* Guest-physical addresses on qemu_virt: the emulated GIC distributor and redistributor. */
#define GICD_CTLR        0x08000000ul
#define GICD_CTLR_G1     (1u << 1)
#define GICR_ISENABLER0  (0x080a0000ul + 0x10000 + 0x100)
#define GICR_IPRIORITYR6 (0x080a0000ul + 0x10000 + 0x400 + 24) /* INTIDs 24..27 */

#define sysreg_read(r)                                                                                       \
    ({                                                                                                       \
        uint64_t v_;                                                                                         \
        __asm__ volatile("mrs %0, " #r : "=r"(v_));                                                          \
        v_;                                                                                                  \
    })
#define sysreg_write(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))

static void mmio_write(uint64_t addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}

static inline uint64_t vcount(void)
{
    __asm__ volatile("isb" ::: "memory");
    return sysreg_read(cntvct_el0);
}

static volatile struct vtimer_report *const report = (volatile struct vtimer_report *)VTIMER_REPORT_IPA;

/* The interrupt the virtual CPU interface presents, and its completion. */
static uint32_t ack(void)
{
    return (uint32_t)sysreg_read(S3_0_C12_C12_0); /* ICC_IAR1_EL1 */
}

static void eoi(uint32_t intid)
{
    sysreg_write(S3_0_C12_C12_1, intid); /* ICC_EOIR1_EL1 */
    __asm__ volatile("isb" ::: "memory");
}

static void gic_setup(void)
{
    mmio_write(GICD_CTLR, GICD_CTLR_G1);
    mmio_write(GICR_IPRIORITYR6, 0xa0a0a0a0u);
    mmio_write(GICR_ISENABLER0, 1u << VTIMER_PPI);
    sysreg_write(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1: every priority */
    sysreg_write(S3_0_C12_C12_7, 1);  /* ICC_IGRPEN1_EL1 */
    __asm__ volatile("isb" ::: "memory");
}

/* Sleep until the timer's interrupt is pending; anything else that arrives is completed. */
static void sleep_for_timer(void)
{
    for (;;) {
        __asm__ volatile("wfi" ::: "memory");
        uint32_t intid = ack();
        if (intid == VTIMER_PPI)
            return;
        if (intid != SPURIOUS)
            eoi(intid);
    }
}

void guest_main(void)
{
    uint64_t freq = sysreg_read(cntfrq_el0);
    uint64_t period = freq / 1000000u * PERIOD_US + (freq % 1000000u) * PERIOD_US / 1000000u;
    report->period_us = PERIOD_US;
    report->freq = freq;
    report->wakes = report->early = report->max_late = report->sum_late = 0;
    report->done = 0;
    report->magic = VTIMER_REPORT_MAGIC;
    gic_setup();
    uint64_t deadline = vcount();
    for (unsigned i = 0; i < WAKES; i++) {
        deadline += period;
        uint64_t now = vcount();
        if (deadline <= now) /* fell behind by a whole period: measure from here */
            deadline = now + period;
        sysreg_write(cntv_cval_el0, deadline);
        sysreg_write(cntv_ctl_el0, 1); /* enabled, not masked */
        __asm__ volatile("isb" ::: "memory");
        sleep_for_timer();
        now = vcount();
        sysreg_write(cntv_ctl_el0, 2); /* masked: the line drops before the EOI */
        __asm__ volatile("isb" ::: "memory");
        eoi(VTIMER_PPI);
        if (now < deadline) {
            report->early = report->early + 1;
        } else {
            uint64_t late = now - deadline;
            report->sum_late = report->sum_late + late;
            if (late > report->max_late)
                report->max_late = late;
        }
        report->wakes = i + 1;
    }
    report->done = 1;
    register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;
    __asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
}

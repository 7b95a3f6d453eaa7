/*
 * The report block a vtimer_sleep guest keeps at a fixed guest-physical address in its own RAM
 * (1 MiB in, above its image), for a native PD that maps that RAM to print. Counts are in
 * CNTVCT ticks of `freq` Hz. Written only by the guest; the reader treats it as hostile.
 */
#ifndef VTIMER_REPORT_H
#define VTIMER_REPORT_H
#include <stdint.h>

#define VTIMER_REPORT_MAGIC  0x564d5254u /* "TRMV" */
#define VTIMER_REPORT_OFFSET 0x100000u   /* from the start of guest RAM */
#define VTIMER_REPORT_IPA    (0x40000000ul + VTIMER_REPORT_OFFSET)

struct vtimer_report {
    uint32_t magic;
    uint32_t done;      /* 1 once every wake-up has been measured */
    uint64_t period_us; /* its sleep period */
    uint64_t freq;      /* CNTFRQ */
    uint64_t wakes;     /* wake-ups so far */
    uint64_t early;     /* wake-ups before the deadline (must stay 0) */
    uint64_t max_late;  /* ticks */
    uint64_t sum_late;  /* ticks */
};
#endif

/*
 * writer: a native PD that writes the EL1 virtual timer registers in a loop while three guests
 * sleep on their own virtual timers (systems/qemu_virt/timers.system). Each round arms the
 * timer far ahead (and reads it back, to show the write reached the hardware), arms it already
 * due (so it fires: the kernel must discard that interrupt, turning the timer off, and no guest
 * may see it) and leaves it enabled but masked with the largest CVAL. Once every guest's report
 * block (guests/vtimer_sleep/vtimer_report.h, in guest RAM this PD maps read-only) says done,
 * or after a time limit, it prints its own counts and each guest's figures.
 */
#include <inttypes.h>
#include <stdio.h>

#include <microkit.h>

#include "../../guests/vtimer_sleep/vtimer_report.h"

#define TIME_LIMIT_S 60u
#define SPIN_MAX     100000u

uintptr_t vt1000_ram = 1, vt1700_ram = 1, vt2900_ram = 1; /* patched by mksys (in .data) */

#define sysreg_read(r)                                                                                       \
    ({                                                                                                       \
        uint64_t v_;                                                                                         \
        __asm__ volatile("isb; mrs %0, " #r : "=r"(v_)::"memory");                                           \
        v_;                                                                                                  \
    })
#define sysreg_write(r, v) __asm__ volatile("msr " #r ", %0; isb" ::"r"((uint64_t)(v)) : "memory")

struct guest {
    const char *name;
    const uintptr_t *ram;
};

static const struct guest guests[] = {
    { "vt1000", &vt1000_ram },
    { "vt1700", &vt1700_ram },
    { "vt2900", &vt2900_ram },
};
#define NUM_GUESTS (sizeof(guests) / sizeof(guests[0]))

static uint64_t writes, readback_ok, discarded, not_discarded;

static const volatile struct vtimer_report *report_of(const struct guest *g)
{
    return (const volatile struct vtimer_report *)(*g->ram + VTIMER_REPORT_OFFSET);
}

static int all_done(void)
{
    for (unsigned i = 0; i < NUM_GUESTS; i++) {
        const volatile struct vtimer_report *r = report_of(&guests[i]);
        if (r->magic != VTIMER_REPORT_MAGIC || r->done != 1)
            return 0;
    }
    return 1;
}

static void one_round(void)
{
    uint64_t now = sysreg_read(cntvct_el0);
    /* far ahead, enabled: must not reach any guest */
    sysreg_write(cntv_cval_el0, now + 1000000u);
    sysreg_write(cntv_ctl_el0, 1);
    if (sysreg_read(cntv_cval_el0) == now + 1000000u) /* unless a guest ran in between */
        readback_ok++;
    /* already due, enabled: its interrupt reaches the kernel at once, which turns it off */
    sysreg_write(cntv_cval_el0, now);
    sysreg_write(cntv_ctl_el0, 1);
    unsigned spins = 0;
    while ((sysreg_read(cntv_ctl_el0) & 1) && spins < SPIN_MAX)
        spins++;
    if (spins < SPIN_MAX)
        discarded++;
    else
        not_discarded++;
    /* enabled but masked, at the end of time */
    sysreg_write(cntv_cval_el0, ~0ull);
    sysreg_write(cntv_ctl_el0, 3);
    writes += 6;
}

static uint64_t to_us(uint64_t ticks, uint64_t freq)
{
    return freq ? ticks / freq * 1000000u + ticks % freq * 1000000u / freq : 0;
}

static void print_report(const struct guest *g)
{
    const volatile struct vtimer_report *r = report_of(g);
    if (r->magic != VTIMER_REPORT_MAGIC) {
        printf("writer: guest '%s' wrote no report\n", g->name);
        return;
    }
    uint64_t freq = r->freq, wakes = r->wakes, early = r->early;
    uint64_t max_late = r->max_late, sum_late = r->sum_late;
    uint64_t on_time = wakes - early; /* sum_late covers the wake-ups that were not early */
    printf("writer: guest '%s' period_us=%" PRIu64 " done=%u wakes=%" PRIu64 " early=%" PRIu64
           " max_late_us=%" PRIu64 " mean_late_us=%" PRIu64 "\n",
           g->name, r->period_us, (unsigned)r->done, wakes, early, to_us(max_late, freq),
           on_time ? to_us(sum_late / on_time, freq) : 0);
}

void init(void)
{
    uint64_t freq = sysreg_read(cntfrq_el0);
    uint64_t end = sysreg_read(cntvct_el0) + TIME_LIMIT_S * freq;
    unsigned rounds = 0;
    while (!all_done() && sysreg_read(cntvct_el0) < end) {
        one_round();
        rounds++;
    }
    printf("writer: wrote the virtual timer registers %" PRIu64
           " times in %u rounds; read back as written %" PRIu64
           " times; due timer discarded by the kernel %" PRIu64 " times, left enabled %" PRIu64 " times\n",
           writes, rounds, readback_ok, discarded, not_discarded);
    for (unsigned i = 0; i < NUM_GUESTS; i++)
        print_report(&guests[i]);
    printf("writer: %s\n", all_done() ? "all guests done" : "time limit reached");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

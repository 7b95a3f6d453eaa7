/*
 * worker (core 0, the lowest priority there): measures how long a fixed piece of computation
 * takes (CNTPCT), SAMPLES times with core 1 idle, then starts the spinner on core 1, which never
 * yields, and SAMPLES times again. A PD on another core must not slow it: the test compares the
 * fastest sample of each set (noise on the host only ever adds time). The spinner has a higher
 * priority than the worker, so were both on one core the worker would never run again.
 */
#include <inttypes.h>
#include <stdio.h>

#include <microkit.h>

#include "core.h"
#include "smp.h"

/* Patched by the image tool (setvar_vaddr): the `spin` page. */
uintptr_t spin_vaddr __attribute__((section(".data")));

#define SAMPLES    5
#define WORK_ITERS 2000000u

static int measured;

/* A dependent chain the compiler cannot shorten: the asm hides the value from it. */
static uint64_t work_us(void)
{
    uint64_t x = 1, t0 = read_cntpct();
    for (unsigned i = 0; i < WORK_ITERS; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        __asm__ volatile("" : "+r"(x));
    }
    return ticks_to_us(read_cntpct() - t0);
}

/* Fills t[], returns the smallest. */
static uint64_t sample(uint64_t t[SAMPLES])
{
    uint64_t min = UINT64_MAX;
    for (unsigned i = 0; i < SAMPLES; i++) {
        t[i] = work_us();
        if (t[i] < min)
            min = t[i];
    }
    return min;
}

static void measure(void)
{
    struct spin_page *sp = (struct spin_page *)spin_vaddr;
    uint64_t base[SAMPLES], spin[SAMPLES];
    uint64_t base_min = sample(base);
    microkit_notify(WORKER_CH_SPINNER);
    while (!load_acquire(&sp->spinning))
        ;
    uint64_t count0 = load_acquire(&sp->count);
    uint64_t spin_min = sample(spin);
    uint64_t spun = load_acquire(&sp->count) - count0;
    printf("worker: core 1 idle:");
    for (unsigned i = 0; i < SAMPLES; i++)
        printf(" %" PRIu64, base[i]);
    printf(" us; core 1 spinning:");
    for (unsigned i = 0; i < SAMPLES; i++)
        printf(" %" PRIu64, spin[i]);
    printf(" us (spinner count moved %" PRIu64 ")\n", spun);
    uint64_t ratio = base_min ? spin_min * 100u / base_min : 0;
    printf("worker: fastest %" PRIu64 " us idle, %" PRIu64 " us spinning: ratio %" PRIu64 ".%02" PRIu64 "\n",
           base_min, spin_min, ratio / 100u, ratio % 100u);
}

void init(void)
{
    say_core();
}

void notified(microkit_channel ch)
{
    if (ch != WORKER_CH_PING || measured) {
        printf("worker: unexpected notification on channel %u\n", ch);
        return;
    }
    measured = 1;
    measure();
    microkit_notify(WORKER_CH_PING);
}

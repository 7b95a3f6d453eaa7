/*
 * worker (core 0, the lowest priority there): times a fixed piece of computation (CNTPCT) with
 * core 1 idle and while the spinner on core 1 spins without yielding, PAIRS times each way,
 * alternating, so a change in the host's load between the two hits both alike. A PD on another
 * core must not slow it: the test checks the median of the pairs' ratios. The spinner is above
 * the worker in priority, so were both on one core the worker would never run again. At the
 * end the worker leaves the spinner spinning for the rest of the run.
 */
#include <inttypes.h>
#include <stdio.h>

#include <microkit.h>

#include "core.h"
#include "smp.h"

/* Patched by the image tool (setvar_vaddr): the `spin` page. */
uintptr_t spin_vaddr __attribute__((section(".data")));

#define PAIRS      7
#define WORK_ITERS 1000000u

static int measured;

static struct spin_page *spin_page(void)
{
    return (struct spin_page *)spin_vaddr;
}

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

static void spinner_start(void)
{
    store_release(&spin_page()->stop, 0);
    microkit_notify(WORKER_CH_SPINNER);
    while (!load_acquire(&spin_page()->spinning))
        ;
}

static void spinner_stop(void)
{
    store_release(&spin_page()->stop, 1);
    while (load_acquire(&spin_page()->spinning))
        ;
}

static void sort(uint64_t *v, unsigned n)
{
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

static void measure(void)
{
    uint64_t idle[PAIRS], spin[PAIRS], ratio[PAIRS], spun = 0;
    for (unsigned i = 0; i < PAIRS; i++) {
        idle[i] = work_us();
        spinner_start();
        uint64_t count0 = load_acquire(&spin_page()->count);
        spin[i] = work_us();
        uint64_t moved = load_acquire(&spin_page()->count) - count0;
        spinner_stop();
        if (moved > 0)
            spun++;
        ratio[i] = idle[i] ? spin[i] * 100u / idle[i] : UINT64_MAX;
    }
    printf("worker: us idle/spinning:");
    for (unsigned i = 0; i < PAIRS; i++)
        printf(" %" PRIu64 "/%" PRIu64, idle[i], spin[i]);
    printf("; the spinner ran in %" PRIu64 " of %d\n", spun, PAIRS);
    sort(ratio, PAIRS);
    uint64_t median = ratio[PAIRS / 2];
    printf("worker: median ratio spinning/idle %" PRIu64 ".%02" PRIu64 "\n", median / 100u, median % 100u);
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
    spinner_start(); /* for good: everything on core 1 must preempt it from now on */
    microkit_notify(WORKER_CH_PING);
}

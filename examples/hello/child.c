/*
 * child: a PD with a parent. It faults on purpose on its first two runs; its parent restarts
 * it each time. A restart does not reload memory, so the run counter survives.
 */
#include <stdio.h>

#include <microkit.h>

#define STABLE_RUN 3

static unsigned runs __attribute__((section(".data")));

void init(void)
{
    runs++;
    printf("child: run %u\n", runs);
    if (runs < STABLE_RUN) {
        printf("child: executing an undefined instruction on purpose\n");
        __asm__ volatile("udf #0");
    }
    printf("child: run %u is stable\n", runs);
}

void notified(microkit_channel ch)
{
    printf("child: unexpected notification on channel %u\n", ch);
}

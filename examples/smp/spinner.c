/*
 * spinner (core 1, below every other PD there): once the worker tells it to, it spins for the
 * rest of the run and never yields, counting its loops in the `spin` page. Every other PD on
 * core 1 must still preempt it (pong, the calc1 server, echo's interrupt, faulter).
 */
#include <stdint.h>
#include <stdio.h>

#include <microkit.h>

#include "core.h"
#include "smp.h"

/* Patched by the image tool (setvar_vaddr): the `spin` page. */
uintptr_t spin_vaddr __attribute__((section(".data")));

void init(void)
{
    say_core();
}

void notified(microkit_channel ch)
{
    if (ch != SPINNER_CH_WORKER) {
        printf("spinner: unexpected notification on channel %u\n", ch);
        return;
    }
    struct spin_page *sp = (struct spin_page *)spin_vaddr;
    printf("spinner: spinning without yielding from now on\n");
    store_release(&sp->spinning, 1);
    for (;;)
        store_release(&sp->count, sp->count + 1);
}

/*
 * spinner (core 1, below every other PD there): each time the worker tells it to, it spins
 * without yielding until the worker sets `stop` (smp.h); the last time, for the rest of the run.
 * Every other PD on core 1 must still preempt it (pong, calc1, echo's interrupt, faulter).
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
    store_release(&sp->spinning, 1);
    while (!load_acquire(&sp->stop))
        store_release(&sp->count, sp->count + 1);
    store_release(&sp->spinning, 0);
}

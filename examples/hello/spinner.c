/*
 * spinner: two PDs ("spin_a", "spin_b") run this program at the same, lowest priority and
 * never yield. Each counts its own progress in a shared page; seeing the other's count move
 * while it never gives up the CPU itself shows that the kernel's time slice takes turns
 * between equal priorities. The test also types into echo meanwhile, so higher-priority PDs
 * must still preempt them.
 */
#include <stdint.h>
#include <stdio.h>

#include <microkit.h>

#define TURNS_TO_SEE 3

/* Patched by the image tool (setvar_vaddr): the shared page with both counters. */
uintptr_t spin_vaddr __attribute__((section(".data")));

void init(void)
{
    volatile uint64_t *count = (volatile uint64_t *)spin_vaddr;
    unsigned me = microkit_name[5] == 'a' ? 0 : 1; /* "spin_a" or "spin_b" */
    uint64_t other_seen = count[!me];
    unsigned turns = 0;
    printf("%s: spinning without yielding\n", microkit_name);
    for (;;) {
        count[me]++;
        if (count[!me] != other_seen) { /* the other ran since we last looked */
            other_seen = count[!me];
            if (++turns == TURNS_TO_SEE)
                printf("%s: the other spinner ran %d times while I never yielded\n", microkit_name,
                       TURNS_TO_SEE);
        }
    }
}

void notified(microkit_channel ch)
{
    printf("%s: unexpected notification on channel %u\n", microkit_name, ch);
}

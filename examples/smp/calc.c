/*
 * calc: a protected-procedure server (calc0 on core 0, calc1 on core 1), called from a PD on
 * the other core. It reverses the caller's words, XORs them (smp.h) and counts its calls.
 */
#include <inttypes.h>
#include <stdio.h>

#include <microkit.h>

#include "core.h"
#include "smp.h"

static uint64_t calls;

void init(void)
{
    say_core();
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    seL4_Word label = microkit_msginfo_get_label(msginfo);
    seL4_Word count = microkit_msginfo_get_count(msginfo);
    calls++;
    printf("%s: call %" PRIu64 " label %" PRIu64 " with %" PRIu64 " words\n", microkit_name, calls, label,
           count);
    if (ch != CALC_CH_CALLER || label != CALC_WORDS || count != CALC_NWORDS)
        return microkit_msginfo_new(CALC_ERROR, 0);
    uint64_t w[CALC_NWORDS];
    for (unsigned i = 0; i < CALC_NWORDS; i++)
        w[i] = microkit_mr_get((seL4_Uint8)i);
    for (unsigned i = 0; i < CALC_NWORDS; i++)
        microkit_mr_set((seL4_Uint8)i, w[CALC_NWORDS - 1 - i] ^ CALC_XOR);
    microkit_mr_set(CALC_NWORDS, calls);
    return microkit_msginfo_new(0, CALC_NWORDS + 1);
}

void notified(microkit_channel ch)
{
    printf("%s: unexpected notification on channel %u\n", microkit_name, ch);
}

/* The client side of the calc protocol (smp.h), shared by ping and pong: one call with
 * CALC_NWORDS message registers, every reply word checked. */
#ifndef SMP_CALC_CALL_H
#define SMP_CALC_CALL_H

#include <inttypes.h>
#include <stdio.h>

#include <microkit.h>

#include "smp.h"

/* Returns 1 if the reply was right. `seed` makes each call's words different. */
static inline int calc_call(microkit_channel ch, const char *callee, uint64_t seed)
{
    uint64_t w[CALC_NWORDS];
    for (unsigned i = 0; i < CALC_NWORDS; i++) {
        w[i] = seed * 0x9e3779b97f4a7c15ull + i;
        microkit_mr_set((seL4_Uint8)i, w[i]);
    }
    microkit_msginfo reply = microkit_ppcall(ch, microkit_msginfo_new(CALC_WORDS, CALC_NWORDS));
    seL4_Word label = microkit_msginfo_get_label(reply), count = microkit_msginfo_get_count(reply);
    if (label != 0 || count != CALC_NWORDS + 1) {
        printf("%s: call to %s: reply label %" PRIu64 " with %" PRIu64 " words, not 0 with %d\n",
               microkit_name, callee, label, count, CALC_NWORDS + 1);
        return 0;
    }
    unsigned bad = 0;
    for (unsigned i = 0; i < CALC_NWORDS; i++)
        if (microkit_mr_get((seL4_Uint8)i) != (w[CALC_NWORDS - 1 - i] ^ CALC_XOR))
            bad++;
    printf("%s: call to %s: %u of %d reply words right, its call %" PRIu64 "\n", microkit_name, callee,
           CALC_NWORDS - bad, CALC_NWORDS, microkit_mr_get(CALC_NWORDS));
    return bad == 0;
}

#endif

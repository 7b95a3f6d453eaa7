/*
 * calc: a protected-procedure server doing arithmetic on two words. At init it also shows
 * that PDs run with Normal cacheable memory, where unaligned accesses are allowed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <microkit.h>

#include "hello.h"

static uint8_t bytes[32];
static uint8_t copy[32];

static void unaligned_check(void)
{
    for (unsigned i = 0; i < sizeof(bytes); i++)
        bytes[i] = (uint8_t)i;
    /* An explicit ldr, so the compiler cannot split it into aligned accesses. */
    const uint8_t *p = &bytes[1];
    uint64_t v;
    __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(p) : "memory");
    memcpy(&copy[3], &bytes[1], 21); /* odd destination and source */
    if (v == 0x0807060504030201ull && memcmp(&copy[3], &bytes[1], 21) == 0)
        printf("calc: unaligned access ok (read 0x%016" PRIx64 " at %p)\n", v, (const void *)p);
    else
        printf("calc: unaligned access gave wrong data: 0x%016" PRIx64 "\n", v);
}

void init(void)
{
    unaligned_check();
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    seL4_Word label = microkit_msginfo_get_label(msginfo);
    seL4_Word count = microkit_msginfo_get_count(msginfo);
    printf("calc: call label %" PRIu64 " with %" PRIu64 " words\n", label, count);
    if (ch != CALC_CH_PING || label != CALC_ARITH || count != 2)
        return microkit_msginfo_new(CALC_ERROR, 0);
    /* Unsigned words wrap like two's complement, so this is signed arithmetic without UB. */
    seL4_Word a = microkit_mr_get(0);
    seL4_Word b = microkit_mr_get(1);
    microkit_mr_set(0, a + b);
    microkit_mr_set(1, a * b);
    microkit_mr_set(2, a - b);
    return microkit_msginfo_new(0, 3);
}

void notified(microkit_channel ch)
{
    printf("calc: unexpected notification on channel %u\n", ch);
}

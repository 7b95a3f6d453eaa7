/* 64-byte blocks through fixed-size builtins, which the compiler turns into load/store pairs. */
#include <string.h>

#include "bulk.h"

#define BLOCK 64u

void bulk_copy(void *dst, const void *src, uint64_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    /* Byte steps until the destination is aligned; the source follows if it can. */
    while (n > 0 && ((uintptr_t)d % 16) != 0) {
        *d++ = *s++;
        n--;
    }
    for (; n >= BLOCK; n -= BLOCK, d += BLOCK, s += BLOCK)
        __builtin_memcpy(d, s, BLOCK);
    while (n-- > 0)
        *d++ = *s++;
}

void bulk_zero(void *dst, uint64_t n)
{
    uint8_t *d = dst;
    while (n > 0 && ((uintptr_t)d % 16) != 0) {
        *d++ = 0;
        n--;
    }
    for (; n >= BLOCK; n -= BLOCK, d += BLOCK)
        __builtin_memset(d, 0, BLOCK);
    while (n-- > 0)
        *d++ = 0;
}

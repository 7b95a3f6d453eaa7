/* The few C library routines the kernel (and gcc's code generation) needs. `used`: with link-time
 * optimisation gcc may emit calls to them after it has decided what is unused. */
#include "types.h"

__attribute__((used)) void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    while (n--)
        *d++ = (uint8_t)c;
    return dst;
}

__attribute__((used)) void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

void copy_words(uint64_t *dst, const uint64_t *src, size_t n)
{
    for (; n >= 2; n -= 2, dst += 2, src += 2) { /* two at a time: a load and a store pair */
        uint64_t a = src[0], b = src[1];
        dst[0] = a;
        dst[1] = b;
    }
    if (n)
        *dst = *src;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

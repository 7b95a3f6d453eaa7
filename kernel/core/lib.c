/* The few C library routines the kernel (and gcc's code generation) needs. `used`: with link-time
 * optimisation gcc may emit calls to them after it has decided what is unused. */
#include "types.h"

/* Word stores for the aligned middle: the boot zeroes the image's zero-fill ranges with it
 * (a byte loop took 34 ms under QEMU for 1.2 MiB). The attribute stops GCC from turning the
 * loops back into a call to memset itself. */
typedef uint64_t __attribute__((may_alias)) word_t;

__attribute__((used, optimize("no-tree-loop-distribute-patterns"))) void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    uint64_t w = 0x0101010101010101ull * (uint8_t)c;
    for (; n && ((uintptr_t)d & 7); n--)
        *d++ = (uint8_t)c;
    for (; n >= 8; n -= 8, d += 8)
        *(word_t *)d = w;
    while (n--)
        *d++ = (uint8_t)c;
    return dst;
}

__attribute__((used, optimize("no-tree-loop-distribute-patterns"))) void *memcpy(void *dst, const void *src,
                                                                                 size_t n)
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

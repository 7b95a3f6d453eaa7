/* Allocation that cannot fail (the tool exits on OOM) and small arithmetic helpers. */
#ifndef MKSYS_UTIL_H
#define MKSYS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_4K 0x1000ull
#define PAGE_2M 0x200000ull
/* Addresses and sizes from the description stay below this (AArch64 PAs and IPAs are at most
 * 48 bits here), so sums of them never wrap. */
#define ADDR_LIMIT (1ull << 48)

void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);

/* A growable array: VEC(T) v = {0}; T *e = VEC_PUSH(v); (new elements are zeroed). */
#define VEC(T)                                                                                               \
    struct {                                                                                                 \
        T *v;                                                                                                \
        size_t n, cap;                                                                                       \
    }
void vec_reserve(void **v, size_t *cap, size_t want, size_t elsize);
#define VEC_PUSH(vec)                                                                                        \
    (vec_reserve((void **)&(vec).v, &(vec).cap, (vec).n + 1, sizeof *(vec).v), &(vec).v[(vec).n++])

static inline uint64_t align_up(uint64_t x, uint64_t a)
{
    return (x + a - 1) & ~(a - 1);
}
static inline uint64_t align_down(uint64_t x, uint64_t a)
{
    return x & ~(a - 1);
}
static inline bool ranges_overlap(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz)
{
    return a < b + bsz && b < a + asz;
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static inline uint64_t get_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

#endif

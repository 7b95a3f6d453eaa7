/*
 * Address ranges [base, base + size) as the configuration and the device tables give them,
 * tested without computing base + size: a hostile or broken configuration may make it wrap.
 */
#ifndef VMM_RANGE_H
#define VMM_RANGE_H

#include <stdbool.h>
#include <stdint.h>

/* The range runs past the last address (its end, base + size, would not fit in 64 bits). */
static inline bool range_wraps(uint64_t base, uint64_t size)
{
    return size > UINT64_MAX - base;
}

static inline bool range_contains(uint64_t base, uint64_t size, uint64_t addr)
{
    return addr >= base && addr - base < size;
}

/* Whether two non-empty ranges share an address. */
static inline bool range_overlaps(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
    return a <= b ? b - a < a_size : a - b < b_size;
}

#endif

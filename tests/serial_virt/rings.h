/* In-memory rings for the virtualisers' host tests: each ring has a region of its own (heap,
 * exact size, so ASan sees any access past it) and a handle for each side. */
#ifndef TESTS_SERIAL_VIRT_RINGS_H
#define TESTS_SERIAL_VIRT_RINGS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serial_config.h"
#include "serial_queue.h"

struct ring {
    uint8_t *mem;
    uint32_t size;
    uint64_t region;
    struct serial_queue_handle prod, cons;
};

static inline void ring_new(struct ring *r, uint32_t size)
{
    r->size = size;
    r->region = SERIAL_QUEUE_DATA_OFFSET + size;
    void *mem = NULL;
    if (posix_memalign(&mem, 64, (size_t)r->region) != 0) /* any size, unlike aligned_alloc */
        abort();
    r->mem = mem;
    memset(r->mem, 0, (size_t)r->region);
    if (serial_queue_init(&r->prod, r->mem, (size_t)r->region, size) != 0 ||
        serial_queue_init(&r->cons, r->mem, (size_t)r->region, size) != 0)
        abort();
}

static inline void ring_free(struct ring *r)
{
    free(r->mem);
    r->mem = NULL;
}

static inline struct serial_queue_ref ring_ref(const struct ring *r, uint32_t channel)
{
    struct serial_queue_ref ref = { (uint64_t)(uintptr_t)r->mem, r->region, r->size, channel };
    return ref;
}

static inline struct serial_queue_ctrl *ring_ctrl(const struct ring *r)
{
    return (struct serial_queue_ctrl *)r->mem;
}

/* The producer's side: writes all of s or fails the test's assumption (returns bytes taken). */
static inline uint32_t ring_put(struct ring *r, const char *s)
{
    return serial_queue_write(&r->prod, s, (uint32_t)strlen(s));
}

static inline uint32_t ring_putn(struct ring *r, const void *s, uint32_t n)
{
    return serial_queue_write(&r->prod, s, n);
}

/* The consumer's side: up to max bytes appended to out (with a NUL after them). */
static inline uint32_t ring_take(struct ring *r, char *out, size_t *len, size_t cap, uint32_t max)
{
    uint32_t room = cap - 1 - *len < max ? (uint32_t)(cap - 1 - *len) : max;
    uint32_t n = serial_queue_read(&r->cons, out + *len, room);
    *len += n;
    out[*len] = '\0';
    return n;
}

#endif

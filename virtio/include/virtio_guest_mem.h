/*
 * A guest's RAM as the VMM maps it: guest-physical [ipa, ipa + size) is host [host, host + size).
 * Every guest address the transport or a device uses goes through guest_mem_ptr first; nothing
 * else turns a guest address into a pointer.
 */
#ifndef VIRTIO_GUEST_MEM_H
#define VIRTIO_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct guest_mem {
    uint64_t ipa;  /* guest-physical start of RAM */
    uint64_t size; /* bytes */
    uint8_t *host; /* where the VMM sees it */
};

/*
 * The host address of guest range [ipa, ipa + len), or NULL unless all of it lies in RAM.
 * Overflow-safe: only subtractions of values known to be in order. len 0 is allowed anywhere
 * from the start to the end of RAM (a pointer that is never dereferenced).
 */
static inline uint8_t *guest_mem_ptr(const struct guest_mem *m, uint64_t ipa, uint64_t len)
{
    if (ipa < m->ipa)
        return NULL;
    uint64_t off = ipa - m->ipa;
    if (off > m->size || len > m->size - off)
        return NULL;
    return m->host + off;
}

/* The last guest address of RAM, for messages (RAM is never empty once the transport is up). */
static inline uint64_t guest_mem_last(const struct guest_mem *m)
{
    return m->ipa + (m->size - 1u);
}

#endif

/*
 * A device's side of a split virtqueue (virtIO 1.2 section 2.7): take an available chain, walk
 * its buffers, return it as used. Every descriptor is copied out of guest memory once, checked,
 * and only then used; a chain is walked lazily and can be left half done and resumed later
 * (the console does when its serial ring is full) without fetching a descriptor twice.
 *
 * A malformed chain makes these calls fault the device (virtio_mmio_fault): an address outside
 * RAM, a descriptor index outside its table, a loop, more descriptors than the queue size, a
 * buffer of the wrong direction, a device-readable buffer after a device-writable one, an
 * indirect table with a bad length (0, not a multiple of 16, more entries than the queue size),
 * outside RAM, nested, combined with NEXT, or not negotiated, and an available index more than
 * the queue size ahead of the device.
 */
#ifndef VIRTQ_H
#define VIRTQ_H

#include <stdbool.h>
#include <stdint.h>

#include "virtio_mmio.h"

/* A chain taken from the available ring and not yet returned. Filled by virtq_pop. */
struct virtq_chain {
    uint32_t epoch;     /* the queue's epoch at virtq_pop: a reset or disable makes it stale */
    uint16_t queue;     /* queue index */
    uint16_t head;      /* descriptor index of the chain's head: the used element's id */
    uint16_t next;      /* the descriptor to fetch next (in the indirect table when in_indirect) */
    uint16_t count;     /* buffer descriptors fetched so far */
    uint16_t itable_at; /* the descriptor that referred to the indirect table (messages) */
    uint16_t inum;      /* entries of the indirect table */
    bool has_next;
    bool in_indirect;
    bool writable;                       /* the current buffer is device-writable */
    bool seen_write;                     /* a device-writable buffer came already */
    bool done;                           /* pushed, or dropped: no further use */
    uint8_t *buf;                        /* the current buffer (host address, checked) */
    uint32_t len;                        /* its length */
    uint32_t off;                        /* bytes of it used so far */
    uint32_t written;                    /* bytes the device wrote into the chain: the used element's len */
    uint8_t *itable;                     /* the indirect table (host address, checked) */
    uint32_t seen[VIRTQ_MAX_SIZE / 32];  /* descriptors of the queue's table visited */
    uint32_t iseen[VIRTQ_MAX_SIZE / 32]; /* entries of the indirect table visited */
};

enum virtq_step {
    VIRTQ_ERR = -1, /* the chain is unusable: the device faulted (or was reset): drop it */
    VIRTQ_END = 0,  /* no more buffers in the chain */
    VIRTQ_SPAN = 1, /* *p and *len give the rest of the current buffer */
};

/*
 * Device. Takes the next available chain of queue q into *c. False when there is none, the
 * queue is not ready, the device is not running, or the available index is malformed (fault).
 */
bool virtq_pop(struct virtio_mmio *t, unsigned q, struct virtq_chain *c);

/*
 * Device. The unused rest of the current buffer of c, fetching the next descriptor when the
 * current one is used up (zero-length buffers are skipped). dev_writes says which kind the
 * device expects: a buffer of the other kind faults the device. Calling again without
 * virtq_advance returns the same span.
 */
enum virtq_step virtq_span(struct virtio_mmio *t, struct virtq_chain *c, bool dev_writes, uint8_t **p,
                           uint32_t *len);

/* Device. n bytes of the span returned last were read (or written) by the device. */
void virtq_advance(struct virtq_chain *c, uint32_t n);

/*
 * Device. Returns c to the used ring with c->written as its length, then sets the used-buffer
 * interrupt unless the driver asked for none (VIRTQ_AVAIL_F_NO_INTERRUPT). False, and nothing
 * written, when c is stale (reset, queue disabled) or the device is broken.
 */
bool virtq_push(struct virtio_mmio *t, struct virtq_chain *c);

/* Device. True when c belongs to the queue as it is now and the device may still use it. */
bool virtq_chain_live(const struct virtio_mmio *t, const struct virtq_chain *c);

#endif

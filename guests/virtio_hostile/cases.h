/*
 * The malformed chains the hostile guest submits, one case each (issue 9, item 1): where the
 * bad chain goes, whether a ring part is put outside RAM instead, and how the chain is built.
 */
#ifndef CASES_H
#define CASES_H
#include "vdev.h"

/* This guest's memory for the device: both queues, an indirect table and a data buffer. */
struct hmem {
    struct vring q[2];
    struct vdesc itable[QSIZE + 1] __attribute__((aligned(16)));
    uint8_t buf[128] __attribute__((aligned(16)));
};

/* Guest RAM as the VMM sees it: [base, end). */
struct ram {
    uint64_t base, end;
};

enum ring_part { RING_OK, RING_DESC, RING_AVAIL, RING_USED };

struct hcase {
    const char *name;
    unsigned queue;      /* the queue of the bad chain or the misplaced ring */
    enum ring_part ring; /* a ring part outside RAM (the chain is then not needed) */
    bool indirect;       /* needs VIRTIO_RING_F_INDIRECT_DESC */
    /* Writes the chain's descriptors and available entry 0; returns the available index. */
    uint16_t (*build)(struct vring *r, struct hmem *m, const struct ram *ram);
};

extern const struct hcase hostile_cases[];
extern const unsigned hostile_num_cases;

/* Where ring part `part` of a queue goes in a RING_* case: outside RAM, correctly aligned. */
uint64_t misplaced_ring(enum ring_part part, const struct ram *ram);
#endif

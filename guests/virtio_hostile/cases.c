/*
 * The malformed chains. Each is the smallest chain showing one fault; all other fields are
 * well formed (buffers in RAM, the right direction), so the device can object to this fault
 * alone. The names are what the guest prints and tests/system/test_virtio_hostile.py expects.
 */
#include "cases.h"

static void set(struct vdesc *d, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    d->addr = addr;
    d->len = len;
    d->flags = flags;
    d->next = next;
}

/* The well-formed buffers of a bad chain: one byte, a line end. The console sends each buffer
 * as it walks to it, so what comes out before the fault is found is a blank line, not a
 * fragment in front of this guest's next report. */
static uint64_t buf(struct hmem *m)
{
    m->buf[0] = '\n';
    return (uint64_t)(uintptr_t)m->buf;
}

static uint16_t buf_past_ram(struct vring *r, struct hmem *m, const struct ram *ram)
{
    (void)m;
    set(&r->desc[0], ram->end, 16, 0, 0);
    return 1;
}

static uint16_t buf_straddles_end(struct vring *r, struct hmem *m, const struct ram *ram)
{
    (void)m;
    set(&r->desc[0], ram->end - 8, 16, 0, 0);
    return 1;
}

/* addr + len wraps around 2^64: a check written as addr + len <= end would pass it. */
static uint16_t buf_wraps(struct vring *r, struct hmem *m, const struct ram *ram)
{
    (void)m, (void)ram;
    set(&r->desc[0], ~0ull - 7, 16, 0, 0);
    return 1;
}

static uint16_t loop(struct vring *r, struct hmem *m, const struct ram *ram)
{
    (void)ram;
    set(&r->desc[0], buf(m), 1, D_NEXT, 1);
    set(&r->desc[1], buf(m), 1, D_NEXT, 0);
    return 1;
}

/* A direct chain cannot pass QSIZE without a loop, so one direct buffer then an indirect table
 * of QSIZE: QSIZE + 1 buffers in one chain. */
static uint16_t too_long(struct vring *r, struct hmem *m, const struct ram *ram)
{
    (void)ram;
    for (unsigned i = 0; i < QSIZE; i++)
        set(&m->itable[i], buf(m), 1, i + 1 < QSIZE ? D_NEXT : 0, (uint16_t)(i + 1));
    set(&r->desc[0], buf(m), 1, D_NEXT, 1);
    set(&r->desc[1], (uint64_t)(uintptr_t)m->itable, 16 * QSIZE, D_INDIRECT, 0);
    return 1;
}

/* The wrong direction: a device-writable buffer for the transmitq (the device reads it), a
 * device-readable one for the receiveq (the device writes it). */
static uint16_t writable(struct vring *r, struct hmem *m, const struct ram *ram)
{
    (void)ram;
    set(&r->desc[0], buf(m), 16, D_WRITE, 0);
    return 1;
}

static uint16_t readable(struct vring *r, struct hmem *m, const struct ram *ram)
{
    (void)ram;
    set(&r->desc[0], buf(m), 16, 0, 0);
    return 1;
}

/* An indirect table of `len` bytes at `addr`, its first entry a good readable buffer. */
static uint16_t indirect(struct vring *r, struct hmem *m, uint64_t addr, uint32_t len)
{
    set(&m->itable[0], buf(m), 1, 0, 0);
    set(&r->desc[0], addr, len, D_INDIRECT, 0);
    return 1;
}

static uint16_t ind_len_24(struct vring *r, struct hmem *m, const struct ram *ram)
{
    (void)ram;
    return indirect(r, m, (uint64_t)(uintptr_t)m->itable, 24);
}

static uint16_t ind_len_0(struct vring *r, struct hmem *m, const struct ram *ram)
{
    (void)ram;
    return indirect(r, m, (uint64_t)(uintptr_t)m->itable, 0);
}

static uint16_t ind_too_big(struct vring *r, struct hmem *m, const struct ram *ram)
{
    (void)ram;
    return indirect(r, m, (uint64_t)(uintptr_t)m->itable, 16 * (QSIZE + 1));
}

static uint16_t ind_past_ram(struct vring *r, struct hmem *m, const struct ram *ram)
{
    return indirect(r, m, ram->end, 32);
}

static uint16_t head_beyond(struct vring *r, struct hmem *m, const struct ram *ram)
{
    (void)ram;
    set(&r->desc[0], buf(m), 1, 0, 0);
    r->avail.ring[0] = QSIZE;
    return 1;
}

/* More chains announced than the queue can hold: the index runs QSIZE + 1 ahead. */
static uint16_t avail_ahead(struct vring *r, struct hmem *m, const struct ram *ram)
{
    (void)ram;
    set(&r->desc[0], buf(m), 1, 0, 0);
    return QSIZE + 1;
}

uint64_t misplaced_ring(enum ring_part part, const struct ram *ram)
{
    switch (part) {
    case RING_DESC: return ram->end - 64; /* the table's first half in RAM, the rest past it */
    case RING_AVAIL: return ram->end + 0x1000;
    default: return ram->base >= 0x1000 ? ram->base - 0x1000 : ram->end + 0x2000; /* below RAM */
    }
}

const struct hcase hostile_cases[] = {
    { "buffer-past-ram", TXQ, RING_OK, false, buf_past_ram },
    { "buffer-straddles-ram-end", TXQ, RING_OK, false, buf_straddles_end },
    { "buffer-wraps-address-space", TXQ, RING_OK, false, buf_wraps },
    { "descriptor-loop", TXQ, RING_OK, false, loop },
    { "chain-longer-than-queue", TXQ, RING_OK, true, too_long },
    { "write-only-buffer-on-transmitq", TXQ, RING_OK, false, writable },
    { "read-only-buffer-on-receiveq", RXQ, RING_OK, false, readable },
    { "indirect-length-24", TXQ, RING_OK, true, ind_len_24 },
    { "indirect-length-0", TXQ, RING_OK, true, ind_len_0 },
    { "indirect-larger-than-queue", TXQ, RING_OK, true, ind_too_big },
    { "indirect-table-past-ram", TXQ, RING_OK, true, ind_past_ram },
    { "head-beyond-table", TXQ, RING_OK, false, head_beyond },
    { "available-index-too-far-ahead", TXQ, RING_OK, false, avail_ahead },
    { "descriptor-table-straddles-ram-end", TXQ, RING_DESC, false, 0 },
    { "available-ring-past-ram", TXQ, RING_AVAIL, false, 0 },
    { "used-ring-below-ram", TXQ, RING_USED, false, 0 },
};
const unsigned hostile_num_cases = sizeof(hostile_cases) / sizeof(hostile_cases[0]);

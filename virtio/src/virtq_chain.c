/*
 * Taking a chain from the available ring and walking its descriptors (virtIO 1.2 section
 * 2.7.5, 2.7.13). The guest may write its rings and tables at any moment, from another core:
 * each index and each descriptor is read once, into a local, and checked there; the ring
 * indices with acquire loads. Any violation faults the device (virtio_mmio_fault).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "virtq.h"

static const char *qname(const struct virtio_mmio *t, unsigned q)
{
    return t->ops->queue_names[q];
}

bool virtq_chain_live(const struct virtio_mmio *t, const struct virtq_chain *c)
{
    const struct virtq *vq = &t->vq[c->queue];
    return !c->done && c->epoch == vq->epoch && vq->ready && virtio_mmio_running(t);
}

bool virtq_pop(struct virtio_mmio *t, unsigned q, struct virtq_chain *c)
{
    if (q >= t->ops->num_queues || !t->vq[q].ready || !virtio_mmio_running(t))
        return false;
    struct virtq *vq = &t->vq[q];
    /* acquire: the ring entries and descriptors the driver wrote before idx are visible */
    uint16_t idx = __atomic_load_n((uint16_t *)(vq->avail + VIRTQ_AVAIL_IDX), __ATOMIC_ACQUIRE);
    uint16_t pending = (uint16_t)(idx - vq->last_avail);
    if (pending == 0)
        return false;
    if (pending > vq->num) {
        virtio_mmio_fault(t,
                          "queue %u (%s): available index %u is %u entries ahead of the device's %u, more "
                          "than the queue size %u",
                          q, qname(t, q), idx, pending, vq->last_avail, vq->num);
        return false;
    }
    uint16_t slot = vq->last_avail & (uint16_t)(vq->num - 1u);
    uint16_t head = __atomic_load_n((uint16_t *)(vq->avail + VIRTQ_AVAIL_RING(slot)), __ATOMIC_RELAXED);
    if (head >= vq->num) {
        virtio_mmio_fault(
            t, "queue %u (%s): available ring entry %u names descriptor %u, beyond the queue size %u", q,
            qname(t, q), vq->last_avail, head, vq->num);
        return false;
    }
    vq->last_avail++;
    memset(c, 0, sizeof(*c));
    c->epoch = vq->epoch;
    c->queue = (uint16_t)q;
    c->head = head;
    c->next = head;
    c->has_next = true;
    return true;
}

static bool test_and_set(uint32_t *bits, uint16_t i)
{
    uint32_t m = 1u << (i % 32);
    bool was = (bits[i / 32] & m) != 0;
    bits[i / 32] |= m;
    return was;
}

/*
 * Faults the device naming descriptor i of c's current table ("descriptor 5", or "indirect
 * descriptor 2 (table of descriptor 5)") followed by the formatted rest. Formatted only here,
 * on the error path, so a well-formed chain costs no formatting.
 */
static void chain_fault(struct virtio_mmio *t, const struct virtq_chain *c, uint16_t i, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void chain_fault(struct virtio_mmio *t, const struct virtq_chain *c, uint16_t i, const char *fmt, ...)
{
    char rest[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rest, sizeof(rest), fmt, ap);
    va_end(ap);
    if (c->in_indirect)
        virtio_mmio_fault(t, "queue %u (%s): indirect descriptor %u (table of descriptor %u)%s", c->queue,
                          qname(t, c->queue), i, c->itable_at, rest);
    else
        virtio_mmio_fault(t, "queue %u (%s): descriptor %u%s", c->queue, qname(t, c->queue), i, rest);
}

/* Switches c into the indirect table that descriptor d (index i) refers to. */
static bool enter_indirect(struct virtio_mmio *t, struct virtq_chain *c, const struct virtq_desc *d,
                           uint16_t i)
{
    const struct virtq *vq = &t->vq[c->queue];
    uint8_t *table;
    if (!virtio_mmio_negotiated(t, VIRTIO_RING_F_INDIRECT_DESC)) {
        chain_fault(t, c, i, " is indirect, but VIRTIO_RING_F_INDIRECT_DESC was not negotiated");
        return false;
    }
    if (c->in_indirect) {
        chain_fault(t, c, i, " is indirect inside an indirect table");
        return false;
    }
    if (d->flags & VIRTQ_DESC_F_NEXT) {
        chain_fault(t, c, i, " has both INDIRECT and NEXT");
        return false;
    }
    if (d->len == 0 || d->len % sizeof(struct virtq_desc) != 0 ||
        d->len / sizeof(struct virtq_desc) > vq->num) {
        chain_fault(t, c, i, ": indirect table length %u is not a multiple of 16 from 16 to %u", d->len,
                    16u * vq->num);
        return false;
    }
    table = guest_mem_ptr(&t->mem, d->addr, d->len);
    if (table == NULL) {
        chain_fault(t, c, i, ": indirect table 0x%llx+0x%x lies outside guest RAM 0x%llx-0x%llx",
                    (unsigned long long)d->addr, d->len, (unsigned long long)t->mem.ipa,
                    (unsigned long long)guest_mem_last(&t->mem));
        return false;
    }
    c->in_indirect = true;
    c->itable = table;
    c->itable_at = i;
    c->inum = (uint16_t)(d->len / sizeof(struct virtq_desc));
    c->next = 0;
    c->has_next = true;
    return true;
}

/* Fetches c->next into the chain's current buffer. False after faulting the device. */
static bool fetch(struct virtio_mmio *t, struct virtq_chain *c, bool dev_writes)
{
    const struct virtq *vq = &t->vq[c->queue];
    const char *q = qname(t, c->queue);
    struct virtq_desc d;
    uint16_t i;
    for (;;) {
        uint16_t limit = c->in_indirect ? c->inum : vq->num;
        i = c->next;
        if (i >= limit) {
            chain_fault(t, c, i, " is beyond its table of %u", limit);
            return false;
        }
        if (test_and_set(c->in_indirect ? c->iseen : c->seen, i)) {
            chain_fault(t, c, i, " comes a second time in chain %u: a loop", c->head);
            return false;
        }
        /* One copy, then only the copy is looked at. */
        memcpy(&d, (c->in_indirect ? c->itable : vq->desc) + sizeof(d) * i, sizeof(d));
        if (!(d.flags & VIRTQ_DESC_F_INDIRECT))
            break;
        if (!enter_indirect(t, c, &d, i))
            return false;
    }
    if (++c->count > vq->num) {
        virtio_mmio_fault(t, "queue %u (%s): chain %u has more than the queue size of %u descriptors",
                          c->queue, q, c->head, vq->num);
        return false;
    }
    bool writable = (d.flags & VIRTQ_DESC_F_WRITE) != 0;
    if (writable != dev_writes) {
        chain_fault(t, c, i, " is device-%s, but the device %s this queue's buffers",
                    writable ? "writable" : "readable", dev_writes ? "writes" : "reads");
        return false;
    }
    if (!writable && c->seen_write) {
        chain_fault(t, c, i, " is device-readable after a device-writable one");
        return false;
    }
    uint8_t *p = guest_mem_ptr(&t->mem, d.addr, d.len);
    if (p == NULL) {
        chain_fault(t, c, i, ": buffer 0x%llx+0x%x lies outside guest RAM 0x%llx-0x%llx",
                    (unsigned long long)d.addr, d.len, (unsigned long long)t->mem.ipa,
                    (unsigned long long)guest_mem_last(&t->mem));
        return false;
    }
    c->seen_write |= writable;
    c->writable = writable;
    c->buf = p;
    c->len = d.len;
    c->off = 0;
    c->has_next = (d.flags & VIRTQ_DESC_F_NEXT) != 0;
    c->next = d.next;
    return true;
}

enum virtq_step virtq_span(struct virtio_mmio *t, struct virtq_chain *c, bool dev_writes, uint8_t **p,
                           uint32_t *len)
{
    if (!virtq_chain_live(t, c))
        return VIRTQ_ERR;
    while (c->off == c->len) {
        if (!c->has_next)
            return VIRTQ_END;
        if (!fetch(t, c, dev_writes)) {
            c->done = true;
            return VIRTQ_ERR;
        }
    }
    *p = c->buf + c->off;
    *len = c->len - c->off;
    return VIRTQ_SPAN;
}

void virtq_advance(struct virtq_chain *c, uint32_t n)
{
    if (n > c->len - c->off)
        n = c->len - c->off;
    c->off += n;
    if (c->writable)
        c->written += n;
}

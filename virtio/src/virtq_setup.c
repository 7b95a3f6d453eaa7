/*
 * QueueReady: a queue goes live only after its size and the three ring addresses have been
 * checked against the guest's RAM and the alignment of section 2.7. From then on the host
 * addresses computed here are used, never the guest addresses again.
 */
#include "virtq.h"

static const char *qname(const struct virtio_mmio *t, unsigned q)
{
    return t->ops->queue_names[q];
}

/* The host address of one ring part, or NULL after faulting the device. */
static uint8_t *ring_part(struct virtio_mmio *t, unsigned q, uint64_t ipa, uint64_t size, uint64_t align,
                          const char *what)
{
    uint8_t *p;
    if (ipa % align != 0) {
        virtio_mmio_fault(t, "queue %u (%s): %s at 0x%llx is not %llu-byte aligned", q, qname(t, q), what,
                          (unsigned long long)ipa, (unsigned long long)align);
        return NULL;
    }
    p = guest_mem_ptr(&t->mem, ipa, size);
    if (p == NULL)
        virtio_mmio_fault(t, "queue %u (%s): %s 0x%llx+0x%llx lies outside guest RAM 0x%llx-0x%llx", q,
                          qname(t, q), what, (unsigned long long)ipa, (unsigned long long)size,
                          (unsigned long long)t->mem.ipa, (unsigned long long)guest_mem_last(&t->mem));
    return p;
}

void virtq_set_ready(struct virtio_mmio *t, unsigned q, uint32_t value)
{
    struct virtq *vq = &t->vq[q];
    uint32_t n = vq->num_req;
    if (value == 0) {
        if (vq->ready) {
            vq->ready = false;
            vq->epoch++; /* the device's chains on it are stale */
        }
        return;
    }
    if (vq->ready || t->broken)
        return;
    if (n == 0 || n > t->ops->queue_max || (n & (n - 1u)) != 0) {
        virtio_mmio_fault(t, "queue %u (%s): size %u is not a power of two from 1 to %u", q, qname(t, q), n,
                          t->ops->queue_max);
        return;
    }
    uint8_t *desc = ring_part(t, q, vq->desc_ipa, VIRTQ_DESC_SIZE(n), VIRTQ_DESC_ALIGN, "descriptor table");
    uint8_t *avail =
        desc ? ring_part(t, q, vq->avail_ipa, VIRTQ_AVAIL_SIZE(n), VIRTQ_AVAIL_ALIGN, "available ring")
             : NULL;
    uint8_t *used =
        avail ? ring_part(t, q, vq->used_ipa, VIRTQ_USED_SIZE(n), VIRTQ_USED_ALIGN, "used ring") : NULL;
    if (used == NULL)
        return;
    vq->desc = desc;
    vq->avail = avail;
    vq->used = used;
    vq->num = (uint16_t)n;
    vq->last_avail = 0;
    vq->used_idx = 0;
    vq->ready = true;
}

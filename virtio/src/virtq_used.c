/*
 * Returning a chain to the driver (virtIO 1.2 section 2.7.8, 2.7.10): the used element, then
 * the used index with release, then the driver's interrupt suppression flag after a full fence
 * (so a driver that clears the flag and rechecks the used index cannot miss an interrupt).
 */
#include "virtq.h"

bool virtq_push(struct virtio_mmio *t, struct virtq_chain *c)
{
    struct virtq *vq = &t->vq[c->queue];
    if (!virtq_chain_live(t, c))
        return false;
    uint16_t slot = vq->used_idx & (uint16_t)(vq->num - 1u);
    __atomic_store_n((uint32_t *)(vq->used + VIRTQ_USED_ID(slot)), (uint32_t)c->head, __ATOMIC_RELAXED);
    __atomic_store_n((uint32_t *)(vq->used + VIRTQ_USED_LEN(slot)), c->written, __ATOMIC_RELAXED);
    vq->used_idx++;
    __atomic_store_n((uint16_t *)(vq->used + VIRTQ_USED_IDX), vq->used_idx, __ATOMIC_RELEASE);
    c->done = true;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    uint16_t flags = __atomic_load_n((uint16_t *)(vq->avail + VIRTQ_AVAIL_FLAGS), __ATOMIC_RELAXED);
    if (!(flags & VIRTQ_AVAIL_F_NO_INTERRUPT))
        virtio_mmio_raise(t, VIRTIO_INT_USED);
    return true;
}

/*
 * The device status state machine (virtIO 1.2 section 2.1, 3.1): feature negotiation,
 * DRIVER_OK, reset; and the transport's set-up.
 */
#include "virtio_mmio.h"

/* What the transport offers on top of the device's own bits; EVENT_IDX never. */
uint64_t virtio_mmio_offered(const struct virtio_mmio *t)
{
    uint64_t f = t->ops->features | (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_RING_F_INDIRECT_DESC);
    return f & ~(1ull << VIRTIO_RING_F_EVENT_IDX);
}

bool virtio_mmio_negotiated(const struct virtio_mmio *t, unsigned bit)
{
    return bit < 64 && (t->driver_features >> bit & 1u) != 0;
}

bool virtio_mmio_running(const struct virtio_mmio *t)
{
    return !t->broken && (t->status & VIRTIO_STATUS_DRIVER_OK) && !(t->status & VIRTIO_STATUS_FAILED);
}

/* FEATURES_OK is accepted only for a subset of the offer that includes VERSION_1. */
static bool features_acceptable(struct virtio_mmio *t)
{
    uint64_t extra = t->driver_features & ~virtio_mmio_offered(t);
    if (!virtio_mmio_negotiated(t, VIRTIO_F_VERSION_1)) {
        virtio_mmio_log(t,
                        "FEATURES_OK refused: the driver did not accept VIRTIO_F_VERSION_1 (features 0x%llx)",
                        (unsigned long long)t->driver_features);
        return false;
    }
    if (extra != 0 || t->features_beyond_64) {
        virtio_mmio_log(t, "FEATURES_OK refused: the driver accepted features 0x%llx%s that were not offered",
                        (unsigned long long)extra, t->features_beyond_64 ? " (and bits above 63)" : "");
        return false;
    }
    return true;
}

void virtio_mmio_status_write(struct virtio_mmio *t, uint32_t value)
{
    const uint32_t driver_bits = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                                 VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_FAILED;
    if (value == 0) {
        virtio_mmio_reset(t);
        return;
    }
    /* Bits are only ever added (a driver clears them by reset); DEVICE_NEEDS_RESET is ours. */
    uint32_t add = value & driver_bits & ~t->status;
    if ((add & VIRTIO_STATUS_FEATURES_OK) && !features_acceptable(t))
        add &= ~VIRTIO_STATUS_FEATURES_OK;
    if ((add & VIRTIO_STATUS_DRIVER_OK) && !((t->status | add) & VIRTIO_STATUS_FEATURES_OK))
        add &= ~VIRTIO_STATUS_DRIVER_OK;
    t->status |= add;
    if ((add & VIRTIO_STATUS_DRIVER_OK) && virtio_mmio_running(t))
        t->ops->driver_ok(t->dev);
}

void virtio_mmio_reset(struct virtio_mmio *t)
{
    t->status = 0;
    t->isr = 0;
    t->dev_features_sel = 0;
    t->drv_features_sel = 0;
    t->queue_sel = 0;
    t->driver_features = 0;
    t->features_beyond_64 = false;
    t->broken = false;
    for (unsigned i = 0; i < VIRTIO_MAX_QUEUES; i++) {
        uint32_t epoch = t->vq[i].epoch + 1u; /* every chain taken before is stale now */
        __builtin_memset(&t->vq[i], 0, sizeof(t->vq[i]));
        t->vq[i].epoch = epoch;
    }
    t->ops->reset(t->dev);
}

void virtio_mmio_raise(struct virtio_mmio *t, uint32_t bits)
{
    uint32_t fresh = bits & ~t->isr;
    t->isr |= bits;
    if (fresh != 0)
        t->irq(t->irq_ctx);
}

void virtio_mmio_config_changed(struct virtio_mmio *t)
{
    t->generation++;
    virtio_mmio_raise(t, VIRTIO_INT_CONFIG);
}

static bool ops_usable(const struct virtio_device_ops *ops)
{
    uint16_t m = ops->queue_max;
    return ops->num_queues >= 1 && ops->num_queues <= VIRTIO_MAX_QUEUES && m >= 1 && m <= VIRTQ_MAX_SIZE &&
           (m & (m - 1u)) == 0 && ops->config_size <= VIRTIO_MMIO_WINDOW - VIRTIO_MMIO_CONFIG &&
           ops->config_read && ops->config_write && ops->driver_ok && ops->queue_notify && ops->reset &&
           ops->name && ops->queue_names;
}

const char *virtio_mmio_init(struct virtio_mmio *t, const struct virtio_device_ops *ops, void *dev,
                             const struct guest_mem *mem, virtio_irq_fn irq, void *irq_ctx, virtio_log_fn log,
                             void *log_ctx)
{
    __builtin_memset(t, 0, sizeof(*t));
    if (ops == NULL || !ops_usable(ops))
        return "device description unusable (queues, queue size, config size or a callback)";
    if (irq == NULL)
        return "no interrupt callback";
    if (mem->host == NULL || mem->size == 0 || mem->ipa + (mem->size - 1u) < mem->ipa ||
        (uintptr_t)mem->host + (mem->size - 1u) < (uintptr_t)mem->host)
        return "guest RAM empty or wrapping";
    /* Ring alignment in guest addresses must carry over to host addresses (atomic accesses). */
    if ((uintptr_t)mem->host % VIRTQ_DESC_ALIGN != mem->ipa % VIRTQ_DESC_ALIGN)
        return "guest RAM host address not aligned like its guest address";
    t->ops = ops;
    t->dev = dev;
    t->mem = *mem;
    t->irq = irq;
    t->irq_ctx = irq_ctx;
    t->log = log;
    t->log_ctx = log_ctx;
    return NULL;
}

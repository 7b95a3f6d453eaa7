/*
 * Decoding a guest access to a virtio-mmio device: which register, the width rules, the
 * configuration space window. State changes live in mmio_status.c and virtq_setup.c.
 */
#include "virtio_mmio.h"

/* Reported once per device: a driver that gets one access wrong usually gets many wrong. */
static void bad_access(struct virtio_mmio *t, uint64_t off, bool write, unsigned size)
{
    if (t->bad_access_logged)
        return;
    t->bad_access_logged = true;
    virtio_mmio_log(t,
                    "guest %s of %u bytes at offset 0x%llx ignored (registers take aligned 32-bit accesses; "
                    "reported once)",
                    write ? "write" : "read", size, (unsigned long long)off);
}

static struct virtq *selected(struct virtio_mmio *t)
{
    return t->queue_sel < t->ops->num_queues ? &t->vq[t->queue_sel] : NULL;
}

static bool reg_read(struct virtio_mmio *t, uint64_t off, uint32_t *v)
{
    const struct virtq *q = selected(t);
    uint64_t offered = virtio_mmio_offered(t);
    switch (off) {
    case VIRTIO_MMIO_MAGIC_VALUE: *v = VIRTIO_MMIO_MAGIC; return true;
    case VIRTIO_MMIO_VERSION: *v = VIRTIO_MMIO_VERSION_2; return true;
    case VIRTIO_MMIO_DEVICE_ID: *v = t->ops->device_id; return true;
    case VIRTIO_MMIO_VENDOR_ID: *v = VIRTIO_MMIO_VENDOR; return true;
    case VIRTIO_MMIO_DEVICE_FEATURES:
        *v = t->dev_features_sel == 0   ? (uint32_t)offered
             : t->dev_features_sel == 1 ? (uint32_t)(offered >> 32)
                                        : 0;
        return true;
    case VIRTIO_MMIO_QUEUE_NUM_MAX: *v = q ? t->ops->queue_max : 0; return true;
    case VIRTIO_MMIO_QUEUE_READY: *v = q ? q->ready : 0; return true;
    case VIRTIO_MMIO_INTERRUPT_STATUS: *v = t->isr; return true;
    case VIRTIO_MMIO_STATUS: *v = t->status; return true;
    case VIRTIO_MMIO_CONFIG_GENERATION: *v = t->generation; return true;
    default:
        /* SHMLen/SHMBase all ones: this device has no shared memory regions. */
        if (off >= VIRTIO_MMIO_SHM_LEN_LOW && off <= VIRTIO_MMIO_SHM_BASE_HIGH) {
            *v = 0xffffffffu;
            return true;
        }
        return false;
    }
}

/* Queue address registers: [low, high] halves of a 64-bit guest address. */
static void set_half(uint64_t *addr, bool high, uint32_t v)
{
    if (high)
        *addr = (*addr & 0xffffffffu) | ((uint64_t)v << 32);
    else
        *addr = (*addr & ~(uint64_t)0xffffffffu) | v;
}

/* Queue set-up registers: only for an existing queue that is not ready (ignored otherwise). */
static bool queue_reg_write(struct virtio_mmio *t, uint64_t off, uint32_t v)
{
    struct virtq *q = selected(t);
    struct virtq scratch = { 0 }; /* takes the writes that are ignored */
    struct virtq *w = (q == NULL || q->ready) ? &scratch : q;
    bool high = (off & 4) != 0;
    switch (off) {
    case VIRTIO_MMIO_QUEUE_NUM: w->num_req = v; return true;
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
    case VIRTIO_MMIO_QUEUE_DESC_HIGH: set_half(&w->desc_ipa, high, v); return true;
    case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
    case VIRTIO_MMIO_QUEUE_DRIVER_HIGH: set_half(&w->avail_ipa, high, v); return true;
    case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
    case VIRTIO_MMIO_QUEUE_DEVICE_HIGH: set_half(&w->used_ipa, high, v); return true;
    default: return false;
    }
}

static bool reg_write(struct virtio_mmio *t, uint64_t off, uint32_t v)
{
    switch (off) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL: t->dev_features_sel = v; return true;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL: t->drv_features_sel = v; return true;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        /* The set is fixed once FEATURES_OK was accepted. */
        if (t->status & VIRTIO_STATUS_FEATURES_OK)
            return true;
        if (t->drv_features_sel == 0)
            t->driver_features = (t->driver_features & ~(uint64_t)0xffffffffu) | v;
        else if (t->drv_features_sel == 1)
            t->driver_features = (t->driver_features & 0xffffffffu) | ((uint64_t)v << 32);
        else if (v != 0)
            t->features_beyond_64 = true; /* nothing up there is offered */
        return true;
    case VIRTIO_MMIO_QUEUE_SEL: t->queue_sel = v; return true;
    case VIRTIO_MMIO_QUEUE_READY:
        if (t->queue_sel < t->ops->num_queues)
            virtq_set_ready(t, t->queue_sel, v);
        return true;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        if (v >= t->ops->num_queues)
            return false;
        if (virtio_mmio_running(t) && t->vq[v].ready)
            t->ops->queue_notify(t->dev, v);
        return true;
    case VIRTIO_MMIO_INTERRUPT_ACK:
        t->isr &= ~v;
        if (t->isr != 0)
            t->irq(t->irq_ctx); /* the line stays high */
        return true;
    case VIRTIO_MMIO_STATUS: virtio_mmio_status_write(t, v); return true;
    case VIRTIO_MMIO_SHM_SEL: return true;
    default: return queue_reg_write(t, off, v);
    }
}

static void config_access(struct virtio_mmio *t, uint64_t offset, bool write, unsigned size, uint64_t *value)
{
    uint64_t off = offset - VIRTIO_MMIO_CONFIG;
    uint32_t v = 0;
    bool ok = (size == 1 || size == 2 || size == 4) && (off & (size - 1u)) == 0 &&
              off + size <= t->ops->config_size;
    if (ok && write)
        ok = t->ops->config_write(t->dev, (uint32_t)off, size, (uint32_t)*value);
    else if (ok)
        ok = t->ops->config_read(t->dev, (uint32_t)off, size, &v);
    if (!ok) {
        bad_access(t, offset, write, size);
        v = 0;
    }
    if (!write)
        *value = size >= 4 ? v : v & ((1u << (8 * size)) - 1u);
}

void virtio_mmio_access(struct virtio_mmio *t, uint64_t offset, bool write, unsigned size, uint64_t *value)
{
    uint32_t v = 0;
    if (offset >= VIRTIO_MMIO_CONFIG && offset < VIRTIO_MMIO_WINDOW) {
        config_access(t, offset, write, size, value);
        return;
    }
    bool ok = size == 4 && (offset & 3) == 0 && offset < VIRTIO_MMIO_CONFIG;
    if (ok && write)
        ok = reg_write(t, offset, (uint32_t)*value);
    else if (ok)
        ok = reg_read(t, offset, &v);
    if (!ok)
        bad_access(t, offset, write, size);
    if (!write)
        *value = ok ? v : 0;
}

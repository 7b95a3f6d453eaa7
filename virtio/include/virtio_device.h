/*
 * What a virtIO device (console, later block and socket) gives the virtio-mmio transport: one
 * constant table of facts and callbacks. The transport does registers, status, features,
 * queues, guest memory checks and interrupts; a device file only says what its queues carry.
 * Callbacks get the `dev` pointer passed to virtio_mmio_init.
 */
#ifndef VIRTIO_DEVICE_H
#define VIRTIO_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

struct virtio_device_ops {
    const char *name;   /* "console": starts every log line of this device */
    uint32_t device_id; /* VIRTIO_ID_* */
    /* Device-specific feature bits offered. The transport adds VIRTIO_F_VERSION_1 and
     * VIRTIO_RING_F_INDIRECT_DESC and never offers VIRTIO_RING_F_EVENT_IDX. */
    uint64_t features;
    unsigned num_queues;            /* at most VIRTIO_MAX_QUEUES */
    uint16_t queue_max;             /* QueueNumMax of every queue: a power of two, <= VIRTQ_MAX_SIZE */
    const char *const *queue_names; /* num_queues names, for messages */
    uint32_t config_size;           /* bytes of configuration space at offset 0x100 */

    /* A guest read or write of size (1, 2 or 4) bytes at off in the configuration space: the
     * transport has checked that it is naturally aligned and inside config_size. Return false
     * for an access the device does not accept (a read then gives 0; reported once). */
    bool (*config_read)(void *dev, uint32_t off, unsigned size, uint32_t *value);
    bool (*config_write)(void *dev, uint32_t off, unsigned size, uint32_t value);
    /* The driver set DRIVER_OK: from now on the device may use its ready queues; it should look
     * at them at once (the driver may have made buffers available before) and at held input. */
    void (*driver_ok)(void *dev);
    /* The guest notified queue q; called only while q is ready and the device is running. */
    void (*queue_notify)(void *dev, unsigned q);
    /* The device was reset (Status 0 written): the transport has reset itself; forget every
     * chain in flight and everything the driver set up. */
    void (*reset)(void *dev);
};

#endif

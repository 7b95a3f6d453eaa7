/*
 * The virtio-mmio transport, register layout version 2 (virtIO 1.2 section 4.2), no legacy.
 * One struct virtio_mmio per device; a device (virtio_device.h) sits on top of it. Pure C: no
 * system calls. The VMM gives it the guest's RAM, an interrupt callback and a log callback, and
 * feeds it the guest's trapped accesses. docs/virtio.md has the whole picture.
 *
 * What the VMM calls, and when:
 *   at init        virtio_mmio_init (devices wrap it: virtio_console_init)
 *   MMIO fault     virtio_mmio_access for every guest load or store inside the device's
 *                  VIRTIO_MMIO_WINDOW bytes (offset from the device's base)
 * What the transport calls back:
 *   irq(irq_ctx)   when InterruptStatus goes from 0 to non-zero or gains a bit, and after an
 *                  InterruptACK that leaves bits set: the line is high. The VMM injects the
 *                  device's SPI. (The same as a level-triggered line seen as rising edges.)
 *   log(log_ctx, line)  one message, no newline; the VMM adds the guest's name. At most one
 *                  line per malformed-chain fault (the device is then broken until reset), one
 *                  for the first bad register access, one per refused feature set.
 */
#ifndef VIRTIO_MMIO_H
#define VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#include "virtio_device.h"
#include "virtio_guest_mem.h"
#include "virtio_spec.h"

#define VIRTIO_MAX_QUEUES  8u          /* queues per device this transport keeps */
#define VIRTQ_MAX_SIZE     256u        /* the largest QueueNumMax a device may have */
#define VIRTIO_MMIO_WINDOW 0x200u      /* bytes of guest address space one device decodes */
#define VIRTIO_MMIO_VENDOR 0x4b4d4d56u /* "VMMK": this project's vendor id */

typedef void (*virtio_irq_fn)(void *ctx);
typedef void (*virtio_log_fn)(void *ctx, const char *line);

/* One queue's state. Only the transport's functions touch it (virtq.h for devices). */
struct virtq {
    uint32_t num_req; /* QueueNum as written, checked at QueueReady */
    uint16_t num;     /* size in use while ready */
    bool ready;
    uint64_t desc_ipa, avail_ipa, used_ipa; /* as written */
    uint8_t *desc, *avail, *used;           /* host addresses, checked when made ready */
    uint16_t last_avail;                    /* next available entry to take */
    uint16_t used_idx;                      /* the device's used index */
    uint32_t epoch;                         /* bumped on reset and disable: older chains are stale */
};

struct virtio_mmio {
    const struct virtio_device_ops *ops;
    void *dev;
    struct guest_mem mem;
    virtio_irq_fn irq;
    void *irq_ctx;
    virtio_log_fn log;
    void *log_ctx;
    uint32_t status;     /* Status register */
    uint32_t isr;        /* InterruptStatus */
    uint32_t generation; /* ConfigGeneration */
    uint32_t dev_features_sel, drv_features_sel, queue_sel;
    uint64_t driver_features;
    bool features_beyond_64; /* the driver set a bit in a DriverFeatures word above 63 */
    bool broken;             /* a fault set DEVICE_NEEDS_RESET: nothing is processed until reset */
    bool bad_access_logged;  /* once per device */
    struct virtq vq[VIRTIO_MAX_QUEUES];
};

/*
 * VMM, once at init. Returns NULL, or what is wrong (then t must not be used): RAM empty,
 * wrapping or not aligned like its guest addresses (host % 16 != ipa % 16), an ops table
 * with too many queues or a bad queue_max, no irq callback. log may be NULL (silent).
 */
const char *virtio_mmio_init(struct virtio_mmio *t, const struct virtio_device_ops *ops, void *dev,
                             const struct guest_mem *mem, virtio_irq_fn irq, void *irq_ctx, virtio_log_fn log,
                             void *log_ctx);

/*
 * VMM, on a guest access at offset (from the device's base, below VIRTIO_MMIO_WINDOW) of size
 * 1, 2, 4 or 8 bytes. For a read, *value gets the result (zero-extended); for a write, *value
 * is the data. Registers take 32-bit aligned accesses only; configuration space 1, 2 or 4
 * naturally aligned bytes. Anything else is ignored (reads give 0) and reported once.
 */
void virtio_mmio_access(struct virtio_mmio *t, uint64_t offset, bool write, unsigned size, uint64_t *value);

/* ---- for devices ---- */

/* The driver set DRIVER_OK (and not FAILED) and the device is not broken: queues may be used. */
bool virtio_mmio_running(const struct virtio_mmio *t);
/* The driver accepted feature bit `bit` (meaningful once FEATURES_OK is set). */
bool virtio_mmio_negotiated(const struct virtio_mmio *t, unsigned bit);
/* Sets InterruptStatus bits (VIRTIO_INT_*) and calls irq if that set a new bit. */
void virtio_mmio_raise(struct virtio_mmio *t, uint32_t bits);
/* The device changed its configuration: ConfigGeneration moves, configuration interrupt. */
void virtio_mmio_config_changed(struct virtio_mmio *t);
/*
 * The guest broke the protocol: sets DEVICE_NEEDS_RESET, raises the configuration interrupt
 * and logs one line "virtio <name>: <message>: device needs reset". Only the first fault
 * until reset is reported; afterwards the device processes nothing.
 */
void virtio_mmio_fault(struct virtio_mmio *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A message that is not a fault (same prefix, no state change). */
void virtio_mmio_log(struct virtio_mmio *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* What writing 0 to Status does: transport and device back to their state after init. */
void virtio_mmio_reset(struct virtio_mmio *t);

/* ---- inside the transport (mmio_*.c, virtq_*.c) ---- */
uint64_t virtio_mmio_offered(const struct virtio_mmio *t);
void virtio_mmio_status_write(struct virtio_mmio *t, uint32_t value);
void virtq_set_ready(struct virtio_mmio *t, unsigned q, uint32_t value);

#endif

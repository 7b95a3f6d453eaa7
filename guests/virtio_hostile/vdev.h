/*
 * The driver side of one virtio-mmio console (virtIO 1.2 section 4.2.2, register layout
 * version 2) as the hostile guest needs it: reset, negotiation, queue set-up, notify, status
 * polling with a bound, and output through the console's emergency write register.
 */
#ifndef VDEV_H
#define VDEV_H
#include <stdbool.h>
#include <stdint.h>

#define QSIZE 8u /* the queue size this guest chooses (the console offers up to 256) */

/* Register offsets (4.2.2) and bits (2.1, 6, 5.3) this guest uses. */
#define R_MAGIC        0x000
#define R_VERSION      0x004
#define R_DEVICE_ID    0x008
#define R_DEV_FEAT     0x010
#define R_DEV_FEAT_SEL 0x014
#define R_DRV_FEAT     0x020
#define R_DRV_FEAT_SEL 0x024
#define R_QUEUE_SEL    0x030
#define R_QUEUE_MAX    0x034
#define R_QUEUE_NUM    0x038
#define R_QUEUE_READY  0x044
#define R_NOTIFY       0x050
#define R_ISR          0x060
#define R_ISR_ACK      0x064
#define R_STATUS       0x070
#define R_DESC_LO      0x080
#define R_AVAIL_LO     0x090
#define R_USED_LO      0x0a0
#define R_EMERG_WR     0x108 /* configuration space 0x100 + emerg_wr's offset 8 */

#define S_ACKNOWLEDGE 1u
#define S_DRIVER      2u
#define S_DRIVER_OK   4u
#define S_FEATURES_OK 8u
#define S_NEEDS_RESET 0x40u

#define F_CONSOLE_SIZE  (1ull << 0)
#define F_EMERG_WRITE   (1ull << 2)
#define F_INDIRECT_DESC (1ull << 28)
#define F_VERSION_1     (1ull << 32)

#define ISR_CONFIG 2u

#define D_NEXT     1u
#define D_WRITE    2u
#define D_INDIRECT 4u

#define RXQ 0u
#define TXQ 1u

struct vdesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
};

/* One split virtqueue in this guest's RAM (2.7): table, available and used rings. */
struct vring {
    struct vdesc desc[QSIZE] __attribute__((aligned(16)));
    struct {
        uint16_t flags, idx, ring[QSIZE], used_event;
    } avail __attribute__((aligned(16)));
    struct {
        uint16_t flags, idx;
        struct {
            uint32_t id, len;
        } ring[QSIZE];
        uint16_t avail_event;
    } used __attribute__((aligned(16)));
};

struct vdev {
    uint64_t base;      /* the register window (from the device tree) */
    uint64_t features;  /* what was accepted at the last negotiation */
    uint64_t tick_freq; /* CNTFRQ_EL0 */
};

uint32_t vdev_rd(const struct vdev *d, uint32_t off);
void vdev_wr(const struct vdev *d, uint32_t off, uint32_t v);
uint64_t vdev_ticks(void);

/* Polls Status until (Status & mask) == want or `ms` milliseconds pass. */
bool vdev_wait_status(const struct vdev *d, uint32_t mask, uint32_t want, uint32_t ms);
/* Status 0, then waits for the device to read back 0 (4.2.3.1). */
bool vdev_reset(struct vdev *d);
/* ACKNOWLEDGE, DRIVER, features, FEATURES_OK (3.1.1). 0 or what went wrong. */
const char *vdev_negotiate(struct vdev *d);
/* Queue q of QSIZE entries at the given guest addresses, then QueueReady = 1. */
void vdev_queue(const struct vdev *d, unsigned q, uint64_t desc, uint64_t avail, uint64_t used);
void vdev_notify(const struct vdev *d, unsigned q);

/* Output, one emergency write per byte (works while the device is not broken). */
void out_str(const struct vdev *d, const char *s);
void out_hex(const struct vdev *d, uint64_t v);
void out_dec(const struct vdev *d, uint64_t v);
#endif

/*
 * Numbers from the virtIO 1.2 specification that the transport and the devices share: the
 * virtio-mmio register offsets (version 2, section 4.2.2), device status bits (2.1), feature
 * bits (6) and the split virtqueue layout (2.7). Facts only, no code.
 */
#ifndef VIRTIO_SPEC_H
#define VIRTIO_SPEC_H

#include <stdint.h>

/* Everything in guest memory and in the registers is little-endian; so are AArch64 and x86-64. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "virtio structures are read in host byte order");

/* ---- virtio-mmio registers (offsets from the device's base) ---- */
#define VIRTIO_MMIO_MAGIC_VALUE         0x000 /* R: 0x74726976 ("virt") */
#define VIRTIO_MMIO_VERSION             0x004 /* R: 2 */
#define VIRTIO_MMIO_DEVICE_ID           0x008 /* R */
#define VIRTIO_MMIO_VENDOR_ID           0x00c /* R */
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010 /* R: 32 bits of the offer, chosen by ..._SEL */
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014 /* W */
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020 /* W: 32 bits of the driver's choice */
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024 /* W */
#define VIRTIO_MMIO_QUEUE_SEL           0x030 /* W */
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034 /* R: 0 when the selected queue does not exist */
#define VIRTIO_MMIO_QUEUE_NUM           0x038 /* W */
#define VIRTIO_MMIO_QUEUE_READY         0x044 /* RW */
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050 /* W: the queue index */
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060 /* R */
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064 /* W */
#define VIRTIO_MMIO_STATUS              0x070 /* RW */
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080 /* W */
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084 /* W */
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW    0x090 /* W: the available ring */
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH   0x094 /* W */
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW    0x0a0 /* W: the used ring */
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH   0x0a4 /* W */
#define VIRTIO_MMIO_SHM_SEL             0x0ac /* W */
#define VIRTIO_MMIO_SHM_LEN_LOW         0x0b0 /* R: all ones, no shared memory region */
#define VIRTIO_MMIO_SHM_BASE_HIGH       0x0bc /* R: (LEN_LOW..BASE_HIGH are four registers) */
#define VIRTIO_MMIO_CONFIG_GENERATION   0x0fc /* R */
#define VIRTIO_MMIO_CONFIG              0x100 /* device-specific configuration space */

#define VIRTIO_MMIO_MAGIC     0x74726976u
#define VIRTIO_MMIO_VERSION_2 2u

/* InterruptStatus / InterruptACK bits */
#define VIRTIO_INT_USED   (1u << 0) /* a used buffer notification */
#define VIRTIO_INT_CONFIG (1u << 1) /* the configuration changed (or the device needs a reset) */

/* ---- device status (2.1) ---- */
#define VIRTIO_STATUS_ACKNOWLEDGE        1u
#define VIRTIO_STATUS_DRIVER             2u
#define VIRTIO_STATUS_DRIVER_OK          4u
#define VIRTIO_STATUS_FEATURES_OK        8u
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 64u
#define VIRTIO_STATUS_FAILED             128u

/* ---- feature bits (6) that the transport handles ---- */
#define VIRTIO_RING_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX     29 /* never offered */
#define VIRTIO_F_VERSION_1          32

/* ---- device ids (5) ---- */
#define VIRTIO_ID_CONSOLE 3u

/* ---- split virtqueues (2.7) ---- */
#define VIRTQ_DESC_F_NEXT     1u
#define VIRTQ_DESC_F_WRITE    2u /* device-writable */
#define VIRTQ_DESC_F_INDIRECT 4u

#define VIRTQ_AVAIL_F_NO_INTERRUPT 1u

/* A descriptor as it lies in guest memory (16 bytes, 16-byte aligned table). */
struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};
_Static_assert(sizeof(struct virtq_desc) == 16, "descriptor layout");

/* Alignment and size of the three parts of a split virtqueue of n entries (2.7.2). */
#define VIRTQ_DESC_ALIGN    16u
#define VIRTQ_AVAIL_ALIGN   2u
#define VIRTQ_USED_ALIGN    4u
#define VIRTQ_DESC_SIZE(n)  (16u * (uint64_t)(n))
#define VIRTQ_AVAIL_SIZE(n) (6u + 2u * (uint64_t)(n)) /* flags, idx, ring[n], used_event */
#define VIRTQ_USED_SIZE(n)  (6u + 8u * (uint64_t)(n)) /* flags, idx, ring[n] of {id, len}, avail_event */

/* Offsets inside the available and used rings. */
#define VIRTQ_AVAIL_FLAGS   0u
#define VIRTQ_AVAIL_IDX     2u
#define VIRTQ_AVAIL_RING(i) (4u + 2u * (uint64_t)(i))
#define VIRTQ_USED_IDX      2u
#define VIRTQ_USED_ID(i)    (4u + 8u * (uint64_t)(i))
#define VIRTQ_USED_LEN(i)   (8u + 8u * (uint64_t)(i))

/* The largest queue size the specification allows. */
#define VIRTQ_SPEC_MAX_SIZE 32768u

#endif

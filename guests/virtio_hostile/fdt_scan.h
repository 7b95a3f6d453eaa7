/*
 * The little the hostile guest needs from the device tree its VMM passes in x0: its RAM (the
 * /memory node) and its virtio-mmio device (the root node whose compatible is "virtio,mmio").
 * Every offset is checked against the blob's own sizes; nothing outside it is read.
 */
#ifndef FDT_SCAN_H
#define FDT_SCAN_H
#include <stdint.h>

#define FDT_SCAN_MAX_SIZE   0x200000u /* mksys's guest DTBs are smaller than 2 MiB */
#define FDT_SCAN_MAX_VIRTIO 32u       /* as many as QEMU virt has, more than a VMM gives a guest */

struct fdt_virtio {
    uint64_t base, size;
    uint32_t spi; /* the second cell of its interrupts; ~0u without */
};

struct fdt_found {
    uint64_t ram_base, ram_size; /* size 0: no memory node */
    unsigned num_virtio;         /* virtio,mmio nodes, in tree order (any device type) */
    struct fdt_virtio virtio[FDT_SCAN_MAX_VIRTIO];
};

/* 0 on success (what was found is in *out), else a short reason. Reads at most the blob's
 * totalsize bytes, which is at most FDT_SCAN_MAX_SIZE. */
const char *fdt_scan(const uint8_t *blob, struct fdt_found *out);
#endif

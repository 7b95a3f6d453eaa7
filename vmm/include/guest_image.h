/*
 * Placing and loading a Linux guest: kernel (arm64 Image), device tree and initrd into guest
 * RAM, with every placement rule of the arm64 boot protocol checked first, and the registers
 * the kernel expects at entry. Pure functions (memory copies only), tested on the host.
 */
#ifndef VMM_GUEST_IMAGE_H
#define VMM_GUEST_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GUEST_DTB_MAX   0x200000u /* the boot protocol's limit on the DTB size */
#define GUEST_DTB_ALIGN 8u
#define GUEST_BOOT_SPSR 0x3c5u /* EL1h, D, A, I and F masked */
#define FDT_MAGIC       0xd00dfeedu
#define GUEST_ERR_MAX   256u /* room for any message below */

/* Each failure has its own code, and a message naming the guest and the numbers. */
enum guest_image_err {
    GUEST_IMAGE_OK = 0,
    GUEST_IMAGE_ERR_KERNEL_SIZE,   /* smaller than the Image header */
    GUEST_IMAGE_ERR_KERNEL_MAGIC,  /* not an arm64 Image */
    GUEST_IMAGE_ERR_KERNEL_BE,     /* big-endian kernel */
    GUEST_IMAGE_ERR_RAM_ALIGN,     /* RAM base not 2 MiB aligned */
    GUEST_IMAGE_ERR_KERNEL_FIT,    /* kernel does not fit in RAM */
    GUEST_IMAGE_ERR_DTB_MISSING,   /* dtb_size is 0 */
    GUEST_IMAGE_ERR_DTB_MAGIC,     /* not a flattened device tree */
    GUEST_IMAGE_ERR_DTB_TRUNCATED, /* header's totalsize exceeds dtb_size */
    GUEST_IMAGE_ERR_DTB_ALIGN,     /* dtb_ipa not 8-byte aligned */
    GUEST_IMAGE_ERR_DTB_SIZE,      /* larger than 2 MiB */
    GUEST_IMAGE_ERR_DTB_FIT,       /* outside RAM */
    GUEST_IMAGE_ERR_DTB_KERNEL,    /* overlaps the kernel */
    GUEST_IMAGE_ERR_INITRD_FIT,    /* outside RAM */
    GUEST_IMAGE_ERR_INITRD_KERNEL, /* overlaps the kernel */
    GUEST_IMAGE_ERR_INITRD_DTB,    /* overlaps the DTB */
    GUEST_IMAGE_ERR_KERNEL_PLACED, /* kernel_in_ram, but RAM does not start with its header */
};

/* What to load (source pointers in the VMM) and where (guest-physical). */
struct guest_images {
    const char *name; /* the guest, for messages */
    uint64_t ram_ipa, ram_size;
    uint8_t *ram; /* guest RAM as the VMM sees it */
    const uint8_t *kernel;
    uint64_t kernel_size;
    const uint8_t *dtb;
    uint64_t dtb_size; /* bytes available; the DTB's own totalsize is what is copied */
    uint64_t dtb_ipa;
    const uint8_t *initrd; /* initrd_size 0: no initrd */
    uint64_t initrd_size;
    uint64_t initrd_ipa;
    bool kernel_in_ram; /* RAM already holds the kernel's file bytes: check them, copy nothing */
};

/* The checked placement: [start, end) guest-physical ranges. */
struct guest_layout {
    uint64_t kernel_ipa, kernel_end;
    uint64_t kernel_file_size; /* bytes copied; the rest up to kernel_end is zeroed (.bss) */
    uint64_t dtb_end;
    uint64_t initrd_end; /* == initrd_ipa when there is none */
};

/* Registers at the kernel's entry: PC, x0 = DTB, x1..x3 = 0, SPSR. */
struct guest_boot {
    uint64_t pc;
    uint64_t x[4];
    uint64_t spsr;
};

/* Checks everything; on failure writes "vmm: guest '<name>': ..." (no newline) to err. */
enum guest_image_err guest_image_check(const struct guest_images *im, struct guest_layout *lay, char *err,
                                       size_t errlen);

/* guest_image_check, then copies kernel (unless kernel_in_ram), DTB and initrd into RAM, zeroes
 * the kernel's .bss and fills *boot. */
enum guest_image_err guest_image_load(const struct guest_images *im, struct guest_layout *lay,
                                      struct guest_boot *boot, char *err, size_t errlen);

#endif

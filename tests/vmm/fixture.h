/* A small guest for the VMM core's host tests: config, images, RAM, vGIC and fakes. */
#ifndef VMM_FIXTURE_H
#define VMM_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "fake_port.h"
#include "fake_vgic.h"
#include "guest_image.h"
#include "vmm.h"

#define FX_NAME        "linux"
#define FX_RAM_IPA     0x40000000ull
#define FX_RAM_SIZE    0x01000000ull /* 16 MiB */
#define FX_INITRD_IPA  0x40800000ull
#define FX_DTB_IPA     0x40f00000ull
#define FX_KERNEL_FILE 0x3000u
#define FX_IMAGE_SIZE  0x20000u /* header image_size: file + .bss */
#define FX_DTB_SIZE    0x100u
#define FX_INITRD_SIZE 0x1000u
#define FX_VCPU_ID     2u /* not 0, so ids and indices differ */
#define FX_UART_INTID  33u
#define FX_UART_CH     5u
#define FX_GICD        0x08000000ull
#define FX_GICR        0x080a0000ull

struct fixture {
    struct vmm_config cfg;
    uint8_t *ram;
    uint8_t kernel[FX_KERNEL_FILE];
    uint8_t dtb[FX_DTB_SIZE];
    uint8_t initrd[FX_INITRD_SIZE];
    struct vgic g;
    struct vmm vm;
};

extern struct fixture fx;

/* Fresh fakes, images and config (nothing initialised). */
void fx_setup(void);
/* fx_setup, vmm_init, vmm_boot; asserts both succeed. */
void fx_boot(void);

/* An arm64 Image header (magic included) at the start of buf. */
void fx_make_image(uint8_t *buf, size_t len, uint64_t text_offset, uint64_t image_size, uint64_t flags);
/* A minimal FDT header: magic and totalsize. */
void fx_make_dtb(uint8_t *buf, uint32_t totalsize);
/* The images of fx, as guest_image_* take them (RAM included). */
void fx_images(struct guest_images *im);

#endif

/*
 * libFuzzer target: the VMM's guest loader (vmm/src/guest_image.c and the arm64 Image parser it
 * uses). The input's first bytes choose guest RAM (base and size), the DTB (bytes given, its
 * header's totalsize, address) and the initrd (size, address); the rest is the kernel Image.
 * Every buffer is a heap block of its exact size, so AddressSanitizer sees any copy that strays.
 * A load that succeeds must have placed everything inside RAM without overlaps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_bytes.h"
#include "guest_image.h"

#define RAM_MAX  0x400000u
#define BLOB_MAX 0x2000u

static uint64_t pick_ipa(struct fuzz_bytes *b, uint64_t ram_ipa)
{
    uint8_t sel = fb_u8(b);
    uint64_t v = fb_u64(b);
    return sel & 1 ? v : ram_ipa + (v % (RAM_MAX + 0x1000) & ~(uint64_t)(sel & 2 ? 0 : 7));
}

static void fail(const char *what, const struct guest_layout *l)
{
    fprintf(stderr,
            "fuzz_guest_image: accepted, but %s (kernel 0x%llx-0x%llx dtb end 0x%llx initrd end 0x%llx)\n",
            what, (unsigned long long)l->kernel_ipa, (unsigned long long)l->kernel_end,
            (unsigned long long)l->dtb_end, (unsigned long long)l->initrd_end);
    abort();
}

static int inside(uint64_t a, uint64_t end, uint64_t base, uint64_t size)
{
    return a >= base && end >= a && end - base <= size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_bytes b = { data, size };
    uint8_t sel = fb_u8(&b);
    uint64_t ram_ipa = sel & 1 ? fb_u64(&b) : 0x40000000ull + ((uint64_t)(sel >> 1) << 21);
    uint64_t ram_size = fb_u32(&b) % (RAM_MAX + 1);
    uint64_t dtb_size = fb_u16(&b) % (BLOB_MAX + 1);
    uint32_t dtb_total = fb_u32(&b);
    uint64_t dtb_ipa = pick_ipa(&b, ram_ipa);
    uint64_t initrd_size = fb_u16(&b) % (BLOB_MAX + 1);
    uint64_t initrd_ipa = pick_ipa(&b, ram_ipa);

    uint8_t *ram = malloc(ram_size ? ram_size : 1);
    uint8_t *kernel = malloc(b.left ? b.left : 1);
    uint8_t *dtb = malloc(dtb_size ? dtb_size : 1);
    uint8_t *initrd = malloc(initrd_size ? initrd_size : 1);
    memcpy(kernel, b.p, b.left);
    memset(dtb, 0xd7, dtb_size);
    memset(initrd, 0x17, initrd_size);
    const uint8_t hdr[8] = { 0xd0,
                             0x0d,
                             0xfe,
                             0xed,
                             (uint8_t)(dtb_total >> 24),
                             (uint8_t)(dtb_total >> 16),
                             (uint8_t)(dtb_total >> 8),
                             (uint8_t)dtb_total };
    memcpy(dtb, hdr, dtb_size < 8 ? dtb_size : 8);

    struct guest_images im = {
        .name = "fuzz",
        .ram_ipa = ram_ipa,
        .ram_size = ram_size,
        .ram = ram,
        .kernel = kernel,
        .kernel_size = b.left,
        .dtb = dtb,
        .dtb_size = dtb_size,
        .dtb_ipa = dtb_ipa,
        .initrd = initrd,
        .initrd_size = initrd_size,
        .initrd_ipa = initrd_ipa,
    };
    struct guest_layout lay;
    struct guest_boot boot;
    char err[GUEST_ERR_MAX];
    enum guest_image_err e = guest_image_load(&im, &lay, &boot, err, sizeof err);
    if (e == GUEST_IMAGE_OK) {
        if (!inside(lay.kernel_ipa, lay.kernel_end, ram_ipa, ram_size) ||
            lay.kernel_end - lay.kernel_ipa < b.left)
            fail("the kernel is not inside RAM", &lay);
        if (!inside(dtb_ipa, lay.dtb_end, ram_ipa, ram_size))
            fail("the DTB is not inside RAM", &lay);
        if (initrd_size && !inside(initrd_ipa, lay.initrd_end, ram_ipa, ram_size))
            fail("the initrd is not inside RAM", &lay);
        if (boot.pc != lay.kernel_ipa || boot.x[0] != dtb_ipa)
            fail("the entry registers do not match the layout", &lay);
    } else if (!err[0] || !strstr(err, "'fuzz'")) {
        fprintf(stderr, "fuzz_guest_image: error %d without a message naming the guest: '%s'\n", e, err);
        abort();
    }
    free(ram);
    free(kernel);
    free(dtb);
    free(initrd);
    return 0;
}

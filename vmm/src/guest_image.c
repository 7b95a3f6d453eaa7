/*
 * Guest placement and loading. Every range is [start, end) in guest-physical addresses and
 * every check is written so that no addition can wrap.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "arm64_image.h"
#include "bulk.h"
#include "guest_image.h"

typedef unsigned long long ull; /* for printf on both the PD and the host */

/* [base, base+size) lies inside [lo, lo+lo_size). */
static bool inside(uint64_t base, uint64_t size, uint64_t lo, uint64_t lo_size)
{
    return base >= lo && base - lo <= lo_size && size <= lo_size - (base - lo);
}

static bool overlap(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
    return a < b_end && b < a_end;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#define FAIL(code, ...)                                                                                      \
    do {                                                                                                     \
        int n_ = snprintf(err, errlen, "vmm: guest '%s': ", im->name);                                       \
        if (n_ >= 0 && (size_t)n_ < errlen)                                                                  \
            snprintf(err + n_, errlen - (size_t)n_, __VA_ARGS__);                                            \
        return code;                                                                                         \
    } while (0)

static enum guest_image_err check_kernel(const struct guest_images *im, struct guest_layout *lay, char *err,
                                         size_t errlen)
{
    struct arm64_image_header h;
    switch (arm64_image_parse(im->kernel, im->kernel_size, &h)) {
    case ARM64_IMAGE_TOO_SMALL:
        FAIL(GUEST_IMAGE_ERR_KERNEL_SIZE,
             "kernel image is %llu bytes, smaller than the %u-byte arm64 Image header", (ull)im->kernel_size,
             ARM64_IMAGE_HEADER_SIZE);
    case ARM64_IMAGE_BAD_MAGIC:
        FAIL(GUEST_IMAGE_ERR_KERNEL_MAGIC,
             "kernel is not an arm64 Image: magic 0x%08x at offset 0x38, expected 0x%08x (\"ARM\\x64\")",
             h.magic, ARM64_IMAGE_MAGIC);
    case ARM64_IMAGE_BIG_ENDIAN:
        FAIL(GUEST_IMAGE_ERR_KERNEL_BE,
             "kernel is a big-endian Image (flags 0x%llx); only little-endian guests run here", (ull)h.flags);
    case ARM64_IMAGE_OK: break;
    }
    if (im->ram_ipa % ARM64_IMAGE_BASE_ALIGN != 0)
        FAIL(GUEST_IMAGE_ERR_RAM_ALIGN,
             "RAM at 0x%llx is not 2 MiB aligned, as the arm64 boot protocol needs for the "
             "kernel's base",
             (ull)im->ram_ipa);
    if (h.load_offset > im->ram_size || h.footprint > im->ram_size - h.load_offset)
        FAIL(GUEST_IMAGE_ERR_KERNEL_FIT,
             "kernel needs 0x%llx bytes at RAM + 0x%llx (text_offset) but RAM is 0x%llx-0x%llx "
             "(0x%llx bytes)",
             (ull)h.footprint, (ull)h.load_offset, (ull)im->ram_ipa, (ull)(im->ram_ipa + im->ram_size),
             (ull)im->ram_size);
    lay->kernel_ipa = im->ram_ipa + h.load_offset;
    lay->kernel_end = lay->kernel_ipa + h.footprint;
    lay->kernel_file_size = im->kernel_size;
    /* The image tool's copy in RAM is what runs: it must be the Image just checked. The
     * header lies inside the footprint, which lies inside RAM. */
    if (im->kernel_in_ram && memcmp(im->ram + h.load_offset, im->kernel, ARM64_IMAGE_HEADER_SIZE) != 0)
        FAIL(GUEST_IMAGE_ERR_KERNEL_PLACED,
             "the kernel placed in RAM at 0x%llx does not start with the kernel image's header",
             (ull)lay->kernel_ipa);
    return GUEST_IMAGE_OK;
}

static enum guest_image_err check_dtb(const struct guest_images *im, struct guest_layout *lay,
                                      uint64_t *dtb_len, char *err, size_t errlen)
{
    if (im->dtb_size == 0)
        FAIL(GUEST_IMAGE_ERR_DTB_MISSING, "no device tree was given (dtb_size 0)");
    uint32_t magic = im->dtb_size >= 8 ? be32(im->dtb) : 0;
    if (magic != FDT_MAGIC)
        FAIL(GUEST_IMAGE_ERR_DTB_MAGIC, "device tree magic is 0x%08x, expected 0x%08x", magic, FDT_MAGIC);
    uint64_t len = be32(im->dtb + 4); /* the FDT header's totalsize */
    if (len > im->dtb_size)
        FAIL(GUEST_IMAGE_ERR_DTB_TRUNCATED, "device tree says it is 0x%llx bytes but only 0x%llx were given",
             (ull)len, (ull)im->dtb_size);
    if (im->dtb_ipa % GUEST_DTB_ALIGN != 0)
        FAIL(GUEST_IMAGE_ERR_DTB_ALIGN, "DTB address 0x%llx is not 8-byte aligned", (ull)im->dtb_ipa);
    if (len > GUEST_DTB_MAX)
        FAIL(GUEST_IMAGE_ERR_DTB_SIZE,
             "DTB is 0x%llx bytes, more than the 2 MiB the arm64 boot protocol allows", (ull)len);
    if (!inside(im->dtb_ipa, len, im->ram_ipa, im->ram_size))
        FAIL(GUEST_IMAGE_ERR_DTB_FIT, "DTB 0x%llx-0x%llx lies outside RAM 0x%llx-0x%llx", (ull)im->dtb_ipa,
             (ull)(im->dtb_ipa + len), (ull)im->ram_ipa, (ull)(im->ram_ipa + im->ram_size));
    if (overlap(im->dtb_ipa, im->dtb_ipa + len, lay->kernel_ipa, lay->kernel_end))
        FAIL(GUEST_IMAGE_ERR_DTB_KERNEL, "DTB 0x%llx-0x%llx overlaps the kernel at 0x%llx-0x%llx",
             (ull)im->dtb_ipa, (ull)(im->dtb_ipa + len), (ull)lay->kernel_ipa, (ull)lay->kernel_end);
    lay->dtb_end = im->dtb_ipa + len;
    *dtb_len = len;
    return GUEST_IMAGE_OK;
}

static enum guest_image_err check_initrd(const struct guest_images *im, struct guest_layout *lay, char *err,
                                         size_t errlen)
{
    lay->initrd_end = im->initrd_ipa;
    if (im->initrd_size == 0)
        return GUEST_IMAGE_OK;
    if (!inside(im->initrd_ipa, im->initrd_size, im->ram_ipa, im->ram_size))
        FAIL(GUEST_IMAGE_ERR_INITRD_FIT, "initrd 0x%llx-0x%llx lies outside RAM 0x%llx-0x%llx",
             (ull)im->initrd_ipa, (ull)(im->initrd_ipa + im->initrd_size), (ull)im->ram_ipa,
             (ull)(im->ram_ipa + im->ram_size));
    uint64_t end = im->initrd_ipa + im->initrd_size;
    if (overlap(im->initrd_ipa, end, lay->kernel_ipa, lay->kernel_end))
        FAIL(GUEST_IMAGE_ERR_INITRD_KERNEL, "initrd 0x%llx-0x%llx overlaps the kernel at 0x%llx-0x%llx",
             (ull)im->initrd_ipa, (ull)end, (ull)lay->kernel_ipa, (ull)lay->kernel_end);
    if (overlap(im->initrd_ipa, end, im->dtb_ipa, lay->dtb_end))
        FAIL(GUEST_IMAGE_ERR_INITRD_DTB, "initrd 0x%llx-0x%llx overlaps the DTB at 0x%llx",
             (ull)im->initrd_ipa, (ull)end, (ull)im->dtb_ipa);
    lay->initrd_end = end;
    return GUEST_IMAGE_OK;
}

static enum guest_image_err check_all(const struct guest_images *im, struct guest_layout *lay,
                                      uint64_t *dtb_len, char *err, size_t errlen)
{
    enum guest_image_err e;
    *lay = (struct guest_layout){ 0 };
    if (errlen > 0)
        err[0] = '\0';
    if ((e = check_kernel(im, lay, err, errlen)) != GUEST_IMAGE_OK)
        return e;
    if ((e = check_dtb(im, lay, dtb_len, err, errlen)) != GUEST_IMAGE_OK)
        return e;
    return check_initrd(im, lay, err, errlen);
}

enum guest_image_err guest_image_check(const struct guest_images *im, struct guest_layout *lay, char *err,
                                       size_t errlen)
{
    uint64_t dtb_len;
    return check_all(im, lay, &dtb_len, err, errlen);
}

enum guest_image_err guest_image_load(const struct guest_images *im, struct guest_layout *lay,
                                      struct guest_boot *boot, char *err, size_t errlen)
{
    uint64_t dtb_len;
    enum guest_image_err e = check_all(im, lay, &dtb_len, err, errlen);
    if (e != GUEST_IMAGE_OK)
        return e;
    uint8_t *kernel = im->ram + (lay->kernel_ipa - im->ram_ipa);
    if (!im->kernel_in_ram)
        bulk_copy(kernel, im->kernel, im->kernel_size);
    /* The rest of image_size is .bss: hand it over zeroed, as a fresh boot would. */
    bulk_zero(kernel + im->kernel_size, lay->kernel_end - lay->kernel_ipa - im->kernel_size);
    bulk_copy(im->ram + (im->dtb_ipa - im->ram_ipa), im->dtb, dtb_len);
    if (im->initrd_size != 0)
        bulk_copy(im->ram + (im->initrd_ipa - im->ram_ipa), im->initrd, im->initrd_size);
    *boot =
        (struct guest_boot){ .pc = lay->kernel_ipa, .x = { im->dtb_ipa, 0, 0, 0 }, .spsr = GUEST_BOOT_SPSR };
    return GUEST_IMAGE_OK;
}

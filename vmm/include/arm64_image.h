/*
 * The arm64 Linux `Image` header (Documentation/arch/arm64/booting.rst): 64 bytes at the start
 * of the file, little-endian, magic "ARM\x64" at 0x38. Pure parsing, no loading. The one parser of
 * the project: the VMM and the image tool both use it (vmm/src/arm64_image.c).
 */
#ifndef VMM_ARM64_IMAGE_H
#define VMM_ARM64_IMAGE_H

#include <stdint.h>

#define ARM64_IMAGE_HEADER_SIZE     64u
#define ARM64_IMAGE_MAGIC           0x644d5241u /* "ARM\x64" read little-endian */
#define ARM64_IMAGE_MAGIC_OFFSET    0x38u
#define ARM64_IMAGE_SIZE_OFFSET     0x10u     /* image_size, a little-endian u64 */
#define ARM64_IMAGE_OLD_TEXT_OFFSET 0x80000u  /* kernels before 3.17 (image_size == 0) */
#define ARM64_IMAGE_FLAG_BE         (1u << 0) /* flags bit 0: kernel is big-endian */
#define ARM64_IMAGE_BASE_ALIGN      0x200000u /* the base text_offset is added to: 2 MiB */

enum arm64_image_status {
    ARM64_IMAGE_OK = 0,
    ARM64_IMAGE_TOO_SMALL, /* shorter than the header */
    ARM64_IMAGE_BAD_MAGIC,
    ARM64_IMAGE_BIG_ENDIAN,
};

struct arm64_image_header {
    uint32_t code0, code1;
    uint64_t text_offset; /* as written */
    uint64_t image_size;  /* as written; 0 for old kernels */
    uint64_t flags;
    uint32_t magic;
    /* What the boot protocol makes of them: */
    uint64_t load_offset; /* text_offset, or 0x80000 when image_size is 0 */
    uint64_t footprint;   /* bytes the kernel owns from its load address: image_size (which
                             includes .bss) or the file size, whichever is larger */
};

/* Parses `size` bytes at `buf`; fills *h as far as it got. */
enum arm64_image_status arm64_image_parse(const void *buf, uint64_t size, struct arm64_image_header *h);

#endif

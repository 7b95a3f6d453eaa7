/* arm64 Image header parsing (the Linux arm64 boot protocol). The one parser: the VMM links it
 * and the image tool compiles this same file (tools/mksys/arm64_image.c), so both place a guest
 * kernel at the same address. Freestanding: nothing beyond stddef.h and stdint.h. */
#include <stddef.h>

#include "../include/arm64_image.h" /* by path: the image tool compiles this file too */

/* The header is little-endian whatever the host; read it byte by byte. */
static uint64_t le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

enum arm64_image_status arm64_image_parse(const void *buf, uint64_t size, struct arm64_image_header *h)
{
    const uint8_t *p = buf;
    *h = (struct arm64_image_header){ 0 };
    if (size < ARM64_IMAGE_HEADER_SIZE)
        return ARM64_IMAGE_TOO_SMALL;
    h->code0 = (uint32_t)le(p + 0x00, 4);
    h->code1 = (uint32_t)le(p + 0x04, 4);
    h->text_offset = le(p + 0x08, 8);
    h->image_size = le(p + ARM64_IMAGE_SIZE_OFFSET, 8);
    h->flags = le(p + 0x18, 8);
    h->magic = (uint32_t)le(p + ARM64_IMAGE_MAGIC_OFFSET, 4);
    if (h->magic != ARM64_IMAGE_MAGIC)
        return ARM64_IMAGE_BAD_MAGIC;
    /* image_size 0 marks a kernel older than 3.17, whose text_offset may not even be
     * little-endian: the protocol says to assume 0x80000 and the file's own size. */
    if (h->image_size == 0) {
        h->load_offset = ARM64_IMAGE_OLD_TEXT_OFFSET;
        h->footprint = size;
    } else {
        h->load_offset = h->text_offset;
        h->footprint = h->image_size > size ? h->image_size : size;
        if ((h->flags & ARM64_IMAGE_FLAG_BE) != 0)
            return ARM64_IMAGE_BIG_ENDIAN;
    }
    return ARM64_IMAGE_OK;
}

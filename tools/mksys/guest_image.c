/* The arm64 Image header a guest kernel must start with: text_offset at 8, image_size at 16,
 * magic "ARM\x64" at 0x38 (all little-endian). */
#include <string.h>

#include "guest.h"

#define HDR_SIZE 64
#define HDR_TEXT_OFFSET 8
#define HDR_IMAGE_SIZE 16
#define HDR_MAGIC 0x38

int guest_image_header(const uint8_t *data, size_t len, uint64_t *text_offset, uint64_t *image_size)
{
    if (len < HDR_SIZE || memcmp(data + HDR_MAGIC, "ARM\x64", 4))
        return -1;
    *text_offset = get_le64(data + HDR_TEXT_OFFSET);
    *image_size = get_le64(data + HDR_IMAGE_SIZE);
    if (*image_size == 0) /* very old kernels leave it 0: the file is all there is */
        *image_size = len;
    return 0;
}

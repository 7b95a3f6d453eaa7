/* A guest kernel's arm64 Image header, read by the VMM's own parser (vmm/src/arm64_image.c), so
 * the image tool places the kernel exactly where the VMM will load it; what the VMM would
 * refuse at boot is refused here, naming the guest and the file. */
#include "../../vmm/include/arm64_image.h"
#include "diag.h"
#include "guest.h"

int guest_image_header(const struct guest_image_src *src, uint64_t *load_offset, uint64_t *footprint)
{
    struct arm64_image_header h;
    switch (arm64_image_parse(src->data, src->len, &h)) {
    case ARM64_IMAGE_TOO_SMALL:
        return err_at(
            src->sysfile, src->line,
            "guest '%s': kernel '%s' is %llu bytes, shorter than the %u-byte arm64 Image header (truncated?)",
            src->guest, src->path, (unsigned long long)src->len, ARM64_IMAGE_HEADER_SIZE);
    case ARM64_IMAGE_BAD_MAGIC:
        return err_at(src->sysfile, src->line,
                      "guest '%s': kernel '%s' is not an arm64 Image (no \"ARM\\x64\" magic at 0x38)",
                      src->guest, src->path);
    case ARM64_IMAGE_BIG_ENDIAN:
        return err_at(src->sysfile, src->line,
                      "guest '%s': kernel '%s' is a big-endian arm64 Image (flags 0x%llx); only "
                      "little-endian guests run here",
                      src->guest, src->path, (unsigned long long)h.flags);
    case ARM64_IMAGE_OK: break;
    }
    *load_offset = h.load_offset;
    *footprint = h.footprint;
    return 0;
}

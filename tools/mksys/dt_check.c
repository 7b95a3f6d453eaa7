/* The board blob is validated once, when it is loaded: libfdt trusts whatever
 * fdt_check_header lets through (a broken structure block, an unterminated reservation block
 * that fdt_open_into turns into a negative size), so nothing else may walk it before this. */
#include <string.h>

#include "diag.h"
#include "dt.h"

#define DT_MAX_DEPTH 64 /* dt_prune.c keeps a stack of ancestors this deep */

static int bad(const struct dtb *d, const char *why)
{
    return err_file(d->file, "not a valid device tree blob: %s", why);
}

/* libfdt 1.6.1 steps over a property by adding its length to the offset in 32 bits, so a
 * length near 2^32 brings it back where it was and fdt_check_full never returns
 * (tests/fuzz/corpus/board/regress-fdt-check-full-hang.dtb). Walk the tags first, each step
 * checked against what remains of the structure block, so every step moves forward; the walk
 * also bounds the nesting, which dt_prune.c's stack of ancestors relies on. */
static const char *walk_struct(const void *fdt)
{
    const uint8_t *p = (const uint8_t *)fdt + fdt_off_dt_struct(fdt);
    uint32_t size = fdt_size_dt_struct(fdt), off = 0;
    unsigned depth = 0; /* the root node is at depth 1 here */
    /* off may end up to 3 past size after the rounding below: test it first, the subtraction
     * would wrap. */
    while (off <= size && size - off >= 4) {
        uint32_t tag = fdt32_ld((const fdt32_t *)(p + off));
        off += 4;
        switch (tag) {
        case FDT_BEGIN_NODE: {
            if (++depth > DT_MAX_DEPTH)
                return "nodes are nested more than 64 levels deep";
            const uint8_t *nul = memchr(p + off, '\0', size - off);
            if (!nul)
                return "a node name runs past the structure block";
            off += (uint32_t)(nul - (p + off)) + 1;
            break;
        }
        case FDT_PROP: {
            if (size - off < 8)
                return "a property header runs past the structure block";
            uint32_t len = fdt32_ld((const fdt32_t *)(p + off));
            off += 8;
            if (len > size - off)
                return "a property's length runs past the structure block";
            off += len;
            break;
        }
        case FDT_END_NODE: depth -= depth > 0; break; /* an unbalanced END is fdt_check_full's to refuse */
        case FDT_NOP: break;
        case FDT_END: return NULL;
        default: return "unknown tag in the structure block";
        }
        off = (off + 3u) & ~3u; /* tags are 4-byte aligned; may pass size (by at most 3) */
        if (off < 4)
            return "the structure block wraps";
    }
    return "the structure block has no FDT_END tag";
}

int dtb_check(const struct dtb *d, size_t len)
{
    const void *fdt = d->fdt;
    if (len < sizeof(struct fdt_header) || fdt_check_header(fdt) || fdt_totalsize(fdt) > len)
        return err_file(d->file, "not a valid device tree blob");
    /* Then: libfdt 1.6.1's fdt_check_full dereferences NULL on versions below 16, which
     * fdt_check_header accepts (tests/fuzz/corpus/board/regress-fdt-check-full-null.dtb). */
    if (fdt_version(fdt) < 17)
        return err_file(d->file, "device tree version %u is not supported (dtc writes version 17)",
                        fdt_version(fdt));
    const char *why = walk_struct(fdt);
    if (why)
        return bad(d, why);
    int rc = fdt_check_full(fdt, len);
    if (rc)
        return bad(d, fdt_strerror(rc));
    int nrsv = fdt_num_mem_rsv(fdt);
    if (nrsv < 0)
        return bad(d, "its memory reservation block has no terminating entry");
    /* dtc's order, without overlaps: header, reservations, structure, strings. 64-bit sums of
     * 32-bit fields cannot wrap. */
    uint64_t rsv_end =
        (uint64_t)fdt_off_mem_rsvmap(fdt) + ((uint64_t)nrsv + 1) * sizeof(struct fdt_reserve_entry);
    if (fdt_off_mem_rsvmap(fdt) < sizeof(struct fdt_header) || rsv_end > fdt_off_dt_struct(fdt) ||
        (uint64_t)fdt_off_dt_struct(fdt) + fdt_size_dt_struct(fdt) > fdt_off_dt_strings(fdt))
        return bad(d, "its blocks overlap or are not in the usual order (reservations, structure, strings)");
    return 0;
}

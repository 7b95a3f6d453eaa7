/*
 * A bounds-checked walk of a flattened device tree's structure block (the devicetree
 * specification's token stream), looking only at the root's own cell sizes and its direct
 * children. Nodes deeper down are skipped; nothing is ever read past the blob's end.
 */
#include "fdt_scan.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u

/* The structure and strings blocks, each with its length. */
struct blocks {
    const uint8_t *st, *str;
    uint32_t st_len, str_len;
};

/* What one child of the root held. */
struct node {
    int virtio, memory;
    const uint8_t *reg, *irq;
    uint32_t reg_len, irq_len;
};

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Length of the NUL-terminated string at p within n bytes, or -1 if it is not terminated. */
static int64_t str_len(const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (p[i] == 0)
            return i;
    return -1;
}

static int str_eq(const uint8_t *p, uint32_t n, const char *s)
{
    uint32_t i = 0;
    for (; i < n && s[i] && p[i] == (uint8_t)s[i]; i++)
        ;
    return i < n && s[i] == 0 && p[i] == 0;
}

static int starts_with(const uint8_t *p, const char *s)
{
    for (; *s; p++, s++)
        if (*p != (uint8_t)*s)
            return 0;
    return 1;
}

/* True when the string list of len bytes at v contains s. */
static int list_has(const uint8_t *v, uint32_t len, const char *s)
{
    uint32_t i = 0;
    while (i < len) {
        int64_t n = str_len(v + i, len - i);
        if (n < 0)
            return 0;
        if (str_eq(v + i, len - i, s))
            return 1;
        i += (uint32_t)n + 1;
    }
    return 0;
}

/* Reads `cells` (1 or 2) big-endian cells at p as one number. */
static uint64_t cells_at(const uint8_t *p, uint32_t cells)
{
    return cells == 2 ? (uint64_t)be32(p) << 32 | be32(p + 4) : be32(p);
}

static void take_node(const struct node *n, uint32_t ac, uint32_t sc, struct fdt_found *out)
{
    uint32_t need = 4 * (ac + sc);
    if (n->reg == 0 || n->reg_len < need)
        return;
    uint64_t base = cells_at(n->reg, ac), size = cells_at(n->reg + 4 * ac, sc);
    if (n->virtio && out->num_virtio < FDT_SCAN_MAX_VIRTIO) {
        struct fdt_virtio *v = &out->virtio[out->num_virtio++];
        *v = (struct fdt_virtio){ base, size, n->irq && n->irq_len >= 8 ? be32(n->irq + 4) : ~0u };
    } else if (n->memory && out->ram_size == 0) {
        out->ram_base = base;
        out->ram_size = size;
    }
}

/* The header's blocks, each wholly inside the blob of at most FDT_SCAN_MAX_SIZE bytes. */
static const char *header(const uint8_t *b, struct blocks *bl)
{
    if (be32(b) != FDT_MAGIC)
        return "no FDT magic";
    uint32_t total = be32(b + 4), st = be32(b + 8), str = be32(b + 12);
    uint32_t str_size = be32(b + 32), st_size = be32(b + 36);
    if (total < 40 || total > FDT_SCAN_MAX_SIZE || be32(b + 20) < 17)
        return "FDT size or version unusable";
    if (st > total || st_size > total - st || str > total || str_size > total - str || st % 4)
        return "FDT blocks outside the blob";
    bl->st = b + st;
    bl->st_len = st_size;
    bl->str = b + str;
    bl->str_len = str_size;
    return 0;
}

const char *fdt_scan(const uint8_t *blob, struct fdt_found *out)
{
    struct blocks bl;
    struct node n = { 0 };
    uint32_t ac = 2, sc = 1, depth = 0, pos = 0;
    const char *err = header(blob, &bl);
    out->ram_size = 0;
    out->num_virtio = 0;
    if (err)
        return err;
    /* Each step consumes at least 4 bytes, so the walk ends within st_len / 4 steps. */
    while (pos + 4 <= bl.st_len) {
        uint32_t tok = be32(bl.st + pos);
        pos += 4;
        if (tok == FDT_END)
            break;
        if (tok == FDT_NOP)
            continue;
        if (tok == FDT_BEGIN_NODE) {
            int64_t len = str_len(bl.st + pos, bl.st_len - pos);
            if (len < 0)
                return "unterminated node name";
            if (++depth == 2) {
                n = (struct node){ 0 };
                n.memory =
                    str_eq(bl.st + pos, (uint32_t)len + 1, "memory") || starts_with(bl.st + pos, "memory@");
            }
            pos = (pos + (uint32_t)len + 1 + 3) & ~3u;
        } else if (tok == FDT_END_NODE) {
            if (depth == 0)
                return "unbalanced nodes";
            if (depth-- == 2)
                take_node(&n, ac, sc, out);
        } else if (tok == FDT_PROP) {
            if (bl.st_len - pos < 8)
                return "truncated property";
            uint32_t len = be32(bl.st + pos), name = be32(bl.st + pos + 4);
            const uint8_t *v = bl.st + pos + 8;
            pos += 8;
            if (len > bl.st_len - pos || name >= bl.str_len || str_len(bl.str + name, bl.str_len - name) < 0)
                return "property outside its block";
            const uint8_t *pn = bl.str + name;
            uint32_t pn_max = bl.str_len - name;
            if (depth == 1 && len == 4 && str_eq(pn, pn_max, "#address-cells"))
                ac = be32(v);
            else if (depth == 1 && len == 4 && str_eq(pn, pn_max, "#size-cells"))
                sc = be32(v);
            else if (depth == 2 && str_eq(pn, pn_max, "compatible"))
                n.virtio = list_has(v, len, "virtio,mmio");
            else if (depth == 2 && str_eq(pn, pn_max, "device_type"))
                n.memory |= list_has(v, len, "memory");
            else if (depth == 2 && str_eq(pn, pn_max, "reg"))
                n.reg = v, n.reg_len = len;
            else if (depth == 2 && str_eq(pn, pn_max, "interrupts"))
                n.irq = v, n.irq_len = len;
            pos = (pos + len + 3) & ~3u;
        } else {
            return "unknown FDT token";
        }
        if ((ac != 1 && ac != 2) || (sc != 1 && sc != 2))
            return "root #address-cells or #size-cells not 1 or 2";
    }
    return 0;
}

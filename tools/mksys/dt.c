#include "dt.h"

#include <string.h>

#include "diag.h"
#include "names.h"

const char *dt_name(const void *fdt, int node, char *buf, size_t len)
{
    const char *n = fdt_get_name(fdt, node, NULL);
    name_printable(buf, len, n ? n : "?");
    return buf;
}

const char *dt_path(const void *fdt, int node, char *buf, size_t len)
{
    char raw[1024];
    name_printable(buf, len, fdt_get_path(fdt, node, raw, sizeof raw) ? "?" : raw);
    return buf;
}

const char *dt_getstr(const void *fdt, int node, const char *prop)
{
    int len = 0;
    const char *v = fdt_getprop(fdt, node, prop, &len);
    return v && len > 0 && memchr(v, 0, (size_t)len) ? v : NULL;
}

bool dt_getu32(const void *fdt, int node, const char *prop, uint32_t *out)
{
    int len = 0;
    const fdt32_t *v = fdt_getprop(fdt, node, prop, &len);
    if (!v || len != (int)sizeof *v)
        return false;
    *out = fdt32_to_cpu(*v);
    return true;
}

uint64_t dt_read_cells(const fdt32_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = (v << 32) | fdt32_to_cpu(p[i]);
    return v;
}

bool dt_write_cells(fdt32_t *p, int n, uint64_t v)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = cpu_to_fdt32((uint32_t)v);
        v = n > 1 ? v >> 32 : 0;
    }
    return v == 0;
}

int dt_reg_cells(const void *fdt, int node, int *ac, int *sc)
{
    int parent = fdt_parent_offset(fdt, node);
    *ac = parent >= 0 ? fdt_address_cells(fdt, parent) : -1;
    *sc = parent >= 0 ? fdt_size_cells(fdt, parent) : -1;
    return (*ac < 1 || *ac > 2 || *sc < 0 || *sc > 2) ? -1 : 0;
}

int dt_reg_count(const void *fdt, int node)
{
    int len = 0, ac, sc;
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
    if (!reg)
        return 0;
    if (dt_reg_cells(fdt, node, &ac, &sc))
        return -1;
    if (len % ((ac + sc) * (int)sizeof(fdt32_t)))
        return 1; /* malformed: dt_reg of entry 0 reports the length */
    return len / (int)sizeof(fdt32_t) / (ac + sc);
}

int dt_reg(const struct dtb *d, int node, int index, uint64_t *addr, uint64_t *size)
{
    char name[64];
    dt_name(d->fdt, node, name, sizeof name);
    int ac, sc;
    if (dt_reg_cells(d->fdt, node, &ac, &sc))
        return err_file(
            d->file,
            "node '%s': its parent's #address-cells and #size-cells must be one cell each, 1..2 and 0..2",
            name);
    int len = 0;
    const fdt32_t *reg = fdt_getprop(d->fdt, node, "reg", &len);
    int per = ac + sc, entry = per * (int)sizeof(fdt32_t);
    if (reg && len % entry)
        return err_file(d->file,
                        "node '%s': reg is %d bytes, not a whole number of %d-byte (address, size) entries",
                        name, len, entry);
    if (!reg || index < 0 || len / entry <= index) /* a count, not index * entry: no overflow */
        return err_file(d->file, "node '%s': reg has no entry %d", name, index);
    reg += per * index;
    *addr = dt_read_cells(reg, ac);
    *size = dt_read_cells(reg + ac, sc);
    return 0;
}

int dt_interrupt_parent(const void *fdt, int node)
{
    for (int n = node; n >= 0; n = fdt_parent_offset(fdt, n)) {
        int len;
        const fdt32_t *ph = fdt_getprop(fdt, n, "interrupt-parent", &len);
        if (ph && len == sizeof *ph)
            return fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*ph));
    }
    return -1;
}

static bool three_cells(const void *fdt, int node)
{
    uint32_t c;
    return dt_getu32(fdt, node, "#interrupt-cells", &c) && c == 3;
}

int dt_gic_parent(const void *fdt, int node)
{
    int p = dt_interrupt_parent(fdt, node);
    for (int hops = 0; p >= 0 && hops < 8 && three_cells(fdt, p); hops++) {
        if (fdt_node_check_compatible(fdt, p, "arm,gic-v3") == 0)
            return p;
        int next = dt_interrupt_parent(fdt, p);
        p = next == p ? -1 : next;
    }
    return -1;
}

bool dt_has_string(const void *fdt, int node, const char *prop, const char *s)
{
    return fdt_stringlist_search(fdt, node, prop, s) >= 0;
}

int dt_next_cpu(const void *fdt, int cpus, int prev)
{
    int n = prev < 0 ? fdt_first_subnode(fdt, cpus) : fdt_next_subnode(fdt, prev);
    for (; n >= 0; n = fdt_next_subnode(fdt, n)) {
        const char *type = dt_getstr(fdt, n, "device_type");
        if (type && !strcmp(type, "cpu"))
            return n;
    }
    return -1;
}

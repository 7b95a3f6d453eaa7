/* <passthrough node>: the board node's registers (page-rounded) and its GIC interrupts.
 * Each interrupt reaches the VMM as channel irq_id + k and is injected with the same INTID. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dt.h"
#include "guest.h"
#include "sys_limits.h"
#include "sysimg.h"

typedef unsigned long long ull;

#define GIC_SPI 0
#define GIC_PPI 1

struct pt_ctx {
    const struct sd_system *sys;
    const struct sd_guest *g;
    const struct board *b;
    const struct sd_passthrough *p;
};

#define PT_ERR(c, ...) err_at((c)->sys->file, (c)->p->line, __VA_ARGS__)

/* The VMM emulates the GIC and gives the guest its CPUs and RAM: those cannot be handed over. */
static bool provided_by_vmm(const void *fdt, int node)
{
    for (int n = node; n >= 0; n = fdt_parent_offset(fdt, n)) {
        const char *name = fdt_get_name(fdt, n, NULL);
        int depth = fdt_node_depth(fdt, n);
        if (fdt_node_check_compatible(fdt, n, "arm,gic-v3") == 0 ||
            (depth == 1 && name && !strcmp(name, "cpus")))
            return true;
        const char *type = fdt_getprop(fdt, n, "device_type", NULL);
        if (type && !strcmp(type, "memory"))
            return true;
    }
    return false;
}

static int add_ranges(struct pt_ctx *c, struct pt_result *r, int node, size_t pt)
{
    struct dtb d = { c->b->file, c->b->fdt };
    int n = dt_reg_count(d.fdt, node);
    if (n == 0)
        return PT_ERR(c, "guest '%s': passthrough node '%s' has no 'reg' property", c->g->name, c->p->node);
    if (n < 0)
        return PT_ERR(
            c, "guest '%s': passthrough node '%s': unsupported #address-cells/#size-cells of its parent",
            c->g->name, c->p->node);
    for (int i = 0; i < n; i++) {
        uint64_t addr, size;
        if (dt_reg(&d, node, i, &addr, &size))
            return -1;
        /* mapped for the guest as it stands: a range stage-2 cannot map is an error, not a skip */
        if (size == 0)
            return PT_ERR(c, "guest '%s': passthrough node '%s': reg entry %d at 0x%llx has size 0",
                          c->g->name, c->p->node, i, (ull)addr);
        if (addr >= SYS_PA_END || size > SYS_PA_END - addr)
            return PT_ERR(c,
                          "guest '%s': passthrough node '%s': reg entry %d (0x%llx, size 0x%llx) is beyond "
                          "the kernel's %u-bit physical address range",
                          c->g->name, c->p->node, i, (ull)addr, (ull)size, SYS_PA_BITS);
        struct pt_range *rg = VEC_PUSH(r->ranges);
        rg->base = align_down(addr, PAGE_4K);
        rg->size = align_up(addr + size, PAGE_4K) - rg->base;
        rg->pt = pt;
    }
    return 0;
}

static int decode_irq(struct pt_ctx *c, const fdt32_t *cell, uint32_t *intid, bool *edge)
{
    uint32_t type = fdt32_to_cpu(cell[0]), num = fdt32_to_cpu(cell[1]), flags = fdt32_to_cpu(cell[2]);
    if (type == GIC_PPI && num < 16) /* per-CPU: not a device's line the VMM can forward */
        return PT_ERR(c,
                      "guest '%s': passthrough node '%s': interrupt <%u %u %u> is a PPI (INTID %u): only "
                      "SPIs can be passed through",
                      c->g->name, c->p->node, type, num, flags, num + 16);
    if (type != GIC_SPI || num >= 988)
        return PT_ERR(c, "guest '%s': passthrough node '%s': interrupt <%u %u %u> is not a GIC SPI",
                      c->g->name, c->p->node, type, num, flags);
    /* the VMM could never deliver (so never ack) an SPI its virtual GIC lacks */
    if (num >= SYS_VGIC_NUM_SPIS)
        return PT_ERR(c,
                      "guest '%s': passthrough node '%s': interrupt <%u %u %u> is INTID %u, but the virtual "
                      "GIC implements only INTIDs 32..%u",
                      c->g->name, c->p->node, type, num, flags, num + 32, 32 + SYS_VGIC_NUM_SPIS - 1);
    *intid = num + 32;
    *edge = (flags & 0xf) == 1 || (flags & 0xf) == 2; /* IRQ_TYPE_EDGE_RISING / _FALLING */
    return 0;
}

static int add_irqs(struct pt_ctx *c, struct pt_result *r, int node)
{
    const void *fdt = c->b->fdt;
    if (fdt_getprop(fdt, node, "interrupts-extended", NULL))
        return PT_ERR(c, "guest '%s': passthrough node '%s': 'interrupts-extended' is not supported",
                      c->g->name, c->p->node);
    int len = 0;
    const fdt32_t *irqs = fdt_getprop(fdt, node, "interrupts", &len);
    if (!irqs)
        return 0;
    if (dt_gic_parent(fdt, node) < 0)
        return PT_ERR(
            c, "guest '%s': passthrough node '%s': its interrupt parent is not the GICv3 (with 3 cells)",
            c->g->name, c->p->node);
    if (!c->p->has_irq_id)
        return PT_ERR(c,
                      "guest '%s': passthrough node '%s' has interrupts but no irq_id (the VMM's channel id "
                      "for the first)",
                      c->g->name, c->p->node);
    /* Each GICv3 specifier is 3 cells; a ragged tail would otherwise be dropped without a word. */
    if (len <= 0 || len % (int)(3 * sizeof(fdt32_t)))
        return PT_ERR(c,
                      "guest '%s': passthrough node '%s': 'interrupts' is %d bytes, not a whole number of "
                      "3-cell GIC specifiers",
                      c->g->name, c->p->node, len);
    int n = len / (int)(3 * sizeof(fdt32_t));
    for (int k = 0; k < n; k++) {
        struct pt_irq irq = { .channel = c->p->irq_id + (unsigned)k, .line = c->p->line };
        if (decode_irq(c, irqs + 3 * k, &irq.intid, &irq.edge))
            return -1;
        if (irq.channel >= SYSIMG_MAX_CHANNELS)
            return PT_ERR(
                c,
                "guest '%s': passthrough node '%s': interrupt %d would use channel id %u, out of range 0..%u",
                c->g->name, c->p->node, k, irq.channel, SYSIMG_MAX_CHANNELS - 1);
        if (r->irqs.n == VMM_MAX_PASSTHROUGH_IRQS)
            return PT_ERR(c, "guest '%s': more than %u passthrough interrupts", c->g->name,
                          VMM_MAX_PASSTHROUGH_IRQS);
        *VEC_PUSH(r->irqs) = irq;
    }
    return 0;
}

static int by_base(const void *a, const void *b)
{
    const struct pt_range *x = a, *y = b;
    return x->base < y->base ? -1 : x->base > y->base;
}

/* Nodes that share a page (or list overlapping registers) get one region. */
static void merge_ranges(struct pt_result *r)
{
    if (r->ranges.n > 1) /* ranges.v is NULL when a guest has no passthrough registers */
        qsort(r->ranges.v, r->ranges.n, sizeof *r->ranges.v, by_base);
    size_t out = 0;
    for (size_t i = 0; i < r->ranges.n; i++) {
        struct pt_range *cur = &r->ranges.v[i], *last = out ? &r->ranges.v[out - 1] : NULL;
        if (last && cur->base < last->base + last->size) {
            uint64_t end = cur->base + cur->size;
            if (end > last->base + last->size)
                last->size = end - last->base;
            continue;
        }
        r->ranges.v[out++] = *cur;
    }
    r->ranges.n = out;
}

int passthrough_collect(const struct sd_system *sys, const struct sd_guest *g, const struct board *b,
                        struct pt_result *out)
{
    memset(out, 0, sizeof *out);
    out->nodes = xcalloc(g->pt.n, sizeof *out->nodes);
    for (size_t i = 0; i < g->pt.n; i++) {
        struct pt_ctx c = { sys, g, b, &g->pt.v[i] };
        int node = fdt_path_offset(b->fdt, c.p->node);
        if (node < 0)
            return PT_ERR(&c, "guest '%s': passthrough node '%s' is not in the board device tree (%s)",
                          g->name, c.p->node, b->file);
        if (provided_by_vmm(b->fdt, node))
            return PT_ERR(
                &c,
                "guest '%s': node '%s' cannot be passed through: the VMM provides the GIC, the CPUs and RAM",
                g->name, c.p->node);
        for (size_t j = 0; j < i; j++)
            if (out->nodes[j] == node)
                return PT_ERR(&c, "guest '%s': node '%s' is passed through twice (first on line %ld)",
                              g->name, c.p->node, g->pt.v[j].line);
        out->nodes[i] = node;
        if (add_ranges(&c, out, node, i) || add_irqs(&c, out, node))
            return -1;
    }
    merge_ranges(out);
    return 0;
}

void passthrough_free(struct pt_result *r)
{
    free(r->ranges.v);
    free(r->irqs.v);
    free(r->nodes);
    memset(r, 0, sizeof *r);
}

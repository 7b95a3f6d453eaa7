/* The guest's device tree, made from the board's with libfdt: the nodes dt_prune.c picks are
 * deleted, then /memory, /cpus, /psci, the GIC and /chosen are rewritten for the guest and its
 * virtIO devices added (guest_virtio_dt.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dt.h"
#include "guest.h"

#define SLACK     0x10000 /* room for the nodes and properties we add; fdt_pack trims it */
#define GICD_SIZE 0x10000ull

struct gdt {
    void *fdt;
    const void *board_fdt; /* untouched: what the deleted nodes said */
    const struct guest_dt *p;
    char **pt_paths;
};

static int fail(const struct guest_dt *p, int rc)
{
    return err_at(p->sysfile, p->line, "guest '%s': cannot build its device tree: %s", p->name,
                  fdt_strerror(rc));
}

#define TRY(expr)                                                                                            \
    do {                                                                                                     \
        int rc_ = (expr);                                                                                    \
        if (rc_ < 0)                                                                                         \
            return fail(g->p, rc_);                                                                          \
    } while (0)

static int del_prop(void *fdt, int node, const char *name)
{
    int rc = fdt_delprop(fdt, node, name);
    return rc == -FDT_ERR_NOTFOUND ? 0 : rc;
}

int guest_dt_set_reg(void *fdt, int node, const uint64_t *v, int pairs)
{
    int ac, sc;
    if (dt_reg_cells(fdt, node, &ac, &sc))
        return -FDT_ERR_BADNCELLS;
    fdt32_t cells[16];
    int n = 0;
    for (int i = 0; i < pairs; i++) {
        if (!dt_write_cells(cells + n, ac, v[2 * i]) || !dt_write_cells(cells + n + ac, sc, v[2 * i + 1]))
            return -FDT_ERR_BADVALUE;
        n += ac + sc;
    }
    return fdt_setprop(fdt, node, "reg", cells, n * (int)sizeof(fdt32_t));
}

static int add_memory(struct gdt *g)
{
    char name[64];
    snprintf(name, sizeof name, "memory@%llx", (unsigned long long)g->p->ram_base);
    int node = fdt_add_subnode(g->fdt, 0, name);
    TRY(node);
    TRY(fdt_setprop_string(g->fdt, node, "device_type", "memory"));
    uint64_t reg[2] = { g->p->ram_base, g->p->ram_size };
    TRY(guest_dt_set_reg(g->fdt, node, reg, 1));
    while (fdt_num_mem_rsv(g->fdt) > 0) /* the host's reservations mean nothing in guest RAM */
        TRY(fdt_del_mem_rsv(g->fdt, 0));
    return 0;
}

static int add_psci(struct gdt *g)
{
    static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";
    static const char *const old_ids[] = { "cpu_suspend", "cpu_off", "cpu_on",
                                           "migrate" }; /* PSCI 0.1 only */
    int node = fdt_path_offset(g->fdt, "/psci");
    if (node < 0)
        node = fdt_node_offset_by_compatible(g->fdt, -1, "arm,psci-0.2");
    if (node < 0)
        node = fdt_node_offset_by_compatible(g->fdt, -1, "arm,psci");
    if (node < 0)
        node = fdt_add_subnode(g->fdt, 0, "psci");
    TRY(node);
    TRY(fdt_setprop(g->fdt, node, "compatible", compat, sizeof compat));
    TRY(fdt_setprop_string(g->fdt, node, "method", "hvc")); /* the VMM emulates PSCI on HVC exits */
    for (size_t i = 0; i < sizeof old_ids / sizeof old_ids[0]; i++)
        TRY(del_prop(g->fdt, node, old_ids[i]));
    return 0;
}

/* The GIC the VMM emulates: distributor and one redistributor frame per vCPU, no ITS. */
static int fix_gic(struct gdt *g)
{
    static const char *const gone[] = { "msi-controller", "#msi-cells", "redistributor-stride",
                                        "mbi-ranges" };
    int gic = fdt_node_offset_by_compatible(g->fdt, -1, "arm,gic-v3");
    TRY(gic);
    int child;
    while ((child = fdt_first_subnode(g->fdt, gic)) >= 0)
        TRY(fdt_del_node(g->fdt, child));
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        TRY(del_prop(g->fdt, gic, gone[i]));
    if (fdt_getprop(g->fdt, gic, "#redistributor-regions", NULL))
        TRY(fdt_setprop_u32(g->fdt, gic, "#redistributor-regions", 1));
    uint64_t reg[4] = { g->p->gicd, GICD_SIZE, g->p->gicr, g->p->gicr_size };
    TRY(guest_dt_set_reg(g->fdt, gic, reg, 2));
    return 0;
}

static bool under_passthrough(struct gdt *g, int node)
{
    char path[1024];
    if (node < 0 || fdt_get_path(g->fdt, node, path, sizeof path))
        return false;
    for (size_t i = 0; i < g->p->npt; i++) {
        size_t n = strlen(g->pt_paths[i]);
        if (!strncmp(path, g->pt_paths[i], n) && (path[n] == 0 || path[n] == '/'))
            return true;
    }
    return false;
}

/* stdout-path (a path or alias, ":options" after it) survives only if the guest owns it. */
static int fix_stdout(struct gdt *g, int chosen, const char *prop)
{
    const char *v = fdt_getprop(g->fdt, chosen, prop, NULL);
    if (!v)
        return 0;
    int target = fdt_path_offset_namelen(g->fdt, v, (int)strcspn(v, ":"));
    return under_passthrough(g, target) ? 0 : fdt_delprop(g->fdt, chosen, prop);
}

static int fix_chosen(struct gdt *g)
{
    int chosen = fdt_path_offset(g->fdt, "/chosen");
    if (chosen < 0)
        chosen = fdt_add_subnode(g->fdt, 0, "chosen");
    TRY(chosen);
    TRY(fdt_setprop_string(g->fdt, chosen, "bootargs", g->p->bootargs));
    if (g->p->initrd_end > g->p->initrd_start) {
        TRY(fdt_setprop_u64(g->fdt, chosen, "linux,initrd-start", g->p->initrd_start));
        TRY(fdt_setprop_u64(g->fdt, chosen, "linux,initrd-end", g->p->initrd_end));
    } else {
        TRY(del_prop(g->fdt, chosen, "linux,initrd-start"));
        TRY(del_prop(g->fdt, chosen, "linux,initrd-end"));
    }
    TRY(fix_stdout(g, chosen, "stdout-path"));
    TRY(fix_stdout(g, chosen, "linux,stdout-path"));
    return 0;
}

/* Drops the first property of node (a path) whose value names no node any more; 1 if one went. */
static int drop_stale_path(struct gdt *g, const char *path)
{
    int node = fdt_path_offset(g->fdt, path), prop;
    if (node < 0)
        return 0;
    fdt_for_each_property_offset(prop, g->fdt, node)
    {
        const char *name;
        int len;
        const char *v = fdt_getprop_by_offset(g->fdt, prop, &name, &len);
        if (v && len > 1 && v[0] == '/' && !v[len - 1] && fdt_path_offset(g->fdt, v) < 0) {
            char copy[256];
            snprintf(copy, sizeof copy, "%s", name);
            int rc = fdt_delprop(g->fdt, node, copy);
            return rc < 0 ? rc : 1;
        }
    }
    return 0;
}

static int prune_aliases(struct gdt *g)
{
    static const char *const nodes[] = { "/aliases", "/__symbols__" };
    for (size_t i = 0; i < 2; i++) {
        int rc;
        while ((rc = drop_stale_path(g, nodes[i])) > 0)
            ;
        TRY(rc);
    }
    return 0;
}

/* A passthrough device whose pin settings went with the pin controller keeps the pins the
 * firmware set up; with dangling pinctrl phandles Linux would refuse to probe it. */
static int drop_stale_pinctrl(struct gdt *g)
{
    for (size_t i = 0; i < g->p->npt; i++) {
        int node = fdt_path_offset(g->fdt, g->pt_paths[i]);
        bool stale = false;
        char name[32];
        for (int k = 0; k < 10 && !stale; k++) {
            snprintf(name, sizeof name, "pinctrl-%d", k);
            int len = 0;
            const fdt32_t *ph = fdt_getprop(g->fdt, node, name, &len);
            for (int j = 0; ph && j < len / 4 && !stale; j++)
                stale = fdt_node_offset_by_phandle(g->fdt, fdt32_to_cpu(ph[j])) < 0;
        }
        for (int k = 0; k < 10 && stale; k++) {
            snprintf(name, sizeof name, "pinctrl-%d", k);
            TRY(del_prop(g->fdt, node, name));
        }
        if (stale)
            TRY(del_prop(g->fdt, node, "pinctrl-names"));
    }
    return 0;
}

/* A passthrough device whose DMA engine the guest was not given works without it (the i.MX UART
 * falls back to its FIFO); its clocks become fixed clocks (guest_clocks.c). */
static int fix_passthrough_deps(struct gdt *g)
{
    for (size_t i = 0; i < g->p->npt; i++) {
        if (guest_fixed_clocks(g->fdt, g->board_fdt, g->pt_paths[i], g->p))
            return -1;
        int node = fdt_path_offset(g->fdt, g->pt_paths[i]), len = 0;
        const fdt32_t *ph = node < 0 ? NULL : fdt_getprop(g->fdt, node, "dmas", &len);
        bool stale = false;
        /* every phandle+args entry starts with a phandle: a stale first one is enough to tell */
        if (ph && len >= 4)
            stale = fdt_node_offset_by_phandle(g->fdt, fdt32_to_cpu(ph[0])) < 0;
        if (stale) {
            TRY(del_prop(g->fdt, node, "dmas"));
            TRY(del_prop(g->fdt, node, "dma-names"));
        }
    }
    return 0;
}

/* interrupt-parent of a deleted controller that was stacked on the GIC (dt_gic_parent): the
 * guest's interrupts go to the GIC directly, with the same specifiers. */
static int fix_interrupt_parents(struct gdt *g)
{
    int gic = fdt_node_offset_by_compatible(g->fdt, -1, "arm,gic-v3");
    TRY(gic);
    uint32_t ph = fdt_get_phandle(g->fdt, gic);
    if (!ph) {
        TRY(fdt_generate_phandle(g->fdt, &ph));
        TRY(fdt_setprop_u32(g->fdt, gic, "phandle", ph));
    }
    int depth = 0;
    for (int node = 0; node >= 0 && depth >= 0; node = fdt_next_node(g->fdt, node, &depth)) {
        int len;
        const fdt32_t *p = fdt_getprop(g->fdt, node, "interrupt-parent", &len);
        if (p && len == 4 && fdt_node_offset_by_phandle(g->fdt, fdt32_to_cpu(*p)) < 0)
            TRY(fdt_setprop_inplace_u32(g->fdt, node, "interrupt-parent", ph));
    }
    return 0;
}

static int edit(struct gdt *g, char **paths, size_t npaths)
{
    for (size_t i = 0; i < npaths; i++) {
        int node = fdt_path_offset(g->fdt, paths[i]);
        if (node >= 0)
            TRY(fdt_del_node(g->fdt, node));
    }
    if (add_memory(g) || guest_cpus(g->fdt, g->p) || add_psci(g) || fix_gic(g) || fix_interrupt_parents(g) ||
        fix_chosen(g) || drop_stale_pinctrl(g) || fix_passthrough_deps(g) || prune_aliases(g))
        return -1;
    TRY(guest_virtio_nodes(g->fdt, g->p)); /* after fix_interrupt_parents: the GIC has a phandle */
    TRY(fdt_pack(g->fdt));
    return 0;
}

int guest_dtb_build(const struct board *b, const struct guest_dt *p, uint8_t **out, size_t *len)
{
    char **paths = NULL;
    size_t npaths = 0;
    struct gdt g = { NULL, b->fdt, p, xcalloc(p->npt, sizeof(char *)) };
    int rc = dt_prune_plan(b, p, &paths, &npaths);
    for (size_t i = 0; i < p->npt && !rc; i++) {
        char path[1024];
        int prc = fdt_get_path(b->fdt, p->pt_nodes[i], path, sizeof path);
        rc = prc < 0 ? fail(p, prc) : 0;
        g.pt_paths[i] = xstrdup(prc < 0 ? "" : path);
    }
    int size = (int)fdt_totalsize(b->fdt) + SLACK + (int)strlen(p->bootargs);
    g.fdt = xcalloc(1, (size_t)size);
    if (!rc) {
        int orc = fdt_open_into(b->fdt, g.fdt, size);
        rc = orc < 0 ? fail(p, orc) : edit(&g, paths, npaths);
    }
    for (size_t i = 0; i < npaths; i++)
        free(paths[i]);
    free(paths);
    for (size_t i = 0; i < p->npt; i++)
        free(g.pt_paths[i]); /* free(NULL) for those never reached */
    free(g.pt_paths);
    if (rc) {
        free(g.fdt);
        return -1;
    }
    *out = g.fdt;
    *len = fdt_totalsize(g.fdt);
    return 0;
}

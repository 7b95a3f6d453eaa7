/* /cpus of a guest: cpu@0..cpu@(vcpus-1) with reg = k (the VMM gives vCPU k MPIDR affinity k),
 * started through PSCI. The first board CPUs are rebuilt in order under the new names, extra
 * ones go, missing ones are copies of the first. Only the properties that describe the CPU
 * itself stay: clocks, regulators and OPPs are the host's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "diag.h"
#include "dt.h"
#include "guest.h"

#define MAX_CPUS 256

struct prop_copy {
    char *name;
    void *val;
    int len;
};

static int fail(const struct guest_dt *p, int rc)
{
    return err_at(p->sysfile, p->line, "guest '%s': cannot build its device tree (/cpus): %s", p->name,
                  fdt_strerror(rc));
}

#define TRY(expr)                                                                                            \
    do {                                                                                                     \
        int rc_ = (expr);                                                                                    \
        if (rc_ < 0)                                                                                         \
            return fail(p, rc_);                                                                             \
    } while (0)

static bool wanted(const char *name)
{
    static const char *const keep[] = { "device_type",      "compatible", "reg",          "enable-method",
                                        "next-level-cache", "phandle",    "linux,phandle" };
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
        if (!strcmp(name, keep[i]))
            return true;
    return !strncmp(name, "d-cache", 7) || !strncmp(name, "i-cache", 7);
}

static int strip(void *fdt, int node)
{
    for (;;) {
        int prop;
        char name[256] = "";
        fdt_for_each_property_offset(prop, fdt, node)
        {
            const char *n;
            fdt_getprop_by_offset(fdt, prop, &n, NULL);
            if (n && !wanted(n)) {
                snprintf(name, sizeof name, "%s", n);
                break;
            }
        }
        if (!name[0])
            return 0;
        int rc = fdt_delprop(fdt, node, name);
        if (rc < 0)
            return rc;
    }
}

/* Names of the board's CPU nodes, in order (offsets move as the tree is edited). */
static int cpu_names(void *fdt, int cpus, char names[][64])
{
    int n = 0;
    for (int cpu = dt_next_cpu(fdt, cpus, -1); cpu >= 0 && n < MAX_CPUS; cpu = dt_next_cpu(fdt, cpus, cpu))
        snprintf(names[n++], 64, "%s", fdt_get_name(fdt, cpu, NULL));
    return n;
}

/* A node's properties (without its phandle unless keep_phandle), to recreate it. */
static int snapshot(void *fdt, int node, bool keep_phandle, struct prop_copy **out)
{
    int prop, n = 0;
    fdt_for_each_property_offset(prop, fdt, node) n++;
    *out = xcalloc((size_t)n + 1, sizeof **out);
    n = 0;
    fdt_for_each_property_offset(prop, fdt, node)
    {
        const char *name;
        int len;
        const void *v = fdt_getprop_by_offset(fdt, prop, &name, &len);
        if (!v || (!keep_phandle && (!strcmp(name, "phandle") || !strcmp(name, "linux,phandle"))))
            continue; /* a copy must not claim the original's phandle */
        (*out)[n].name = xstrdup(name);
        (*out)[n].val = xcalloc(1, (size_t)len + 1);
        memcpy((*out)[n].val, v, (size_t)len);
        (*out)[n++].len = len;
    }
    return n;
}

static void free_snapshot(struct prop_copy *c, int n)
{
    for (int i = 0; i < n; i++) {
        free(c[i].name);
        free(c[i].val);
    }
    free(c);
}

/* cpu@k from its properties (none: a generic ARMv8 CPU), reg = k, started through PSCI. */
static int add_cpu(void *fdt, unsigned k, const struct prop_copy *props, int nprops)
{
    char name[32];
    snprintf(name, sizeof name, "cpu@%x", k);
    int cpus = fdt_path_offset(fdt, "/cpus");
    int node = cpus < 0 ? cpus : fdt_add_subnode(fdt, cpus, name);
    int rc = node < 0 ? node : 0;
    for (int i = 0; i < nprops && !rc; i++)
        rc = fdt_setprop(fdt, node, props[i].name, props[i].val, props[i].len);
    if (!rc && !nprops)
        rc = fdt_setprop_string(fdt, node, "device_type", "cpu");
    if (!rc && !nprops)
        rc = fdt_setprop_string(fdt, node, "compatible", "arm,armv8");
    int ac = fdt_address_cells(fdt, cpus);
    fdt32_t reg[2] = { 0, 0 };
    reg[ac == 2] = cpu_to_fdt32(k);
    if (!rc)
        rc = fdt_setprop(fdt, node, "reg", reg, ac == 2 ? 8 : 4);
    if (!rc)
        rc = fdt_setprop_string(fdt, node, "enable-method", "psci");
    return rc < 0 ? rc : strip(fdt, node);
}

int guest_cpus(void *fdt, const struct guest_dt *p)
{
    int cpus = fdt_path_offset(fdt, "/cpus");
    if (cpus < 0) {
        cpus = fdt_add_subnode(fdt, 0, "cpus");
        TRY(cpus);
        TRY(fdt_setprop_u32(fdt, cpus, "#address-cells", 1));
        TRY(fdt_setprop_u32(fdt, cpus, "#size-cells", 0));
    }
    int map = fdt_subnode_offset(fdt, cpus, "cpu-map"); /* topology of the host's cores */
    if (map >= 0)
        TRY(fdt_del_node(fdt, map));
    static char names[MAX_CPUS][64];
    int n = cpu_names(fdt, cpus, names);
    int kept = n < (int)p->vcpus ? n : (int)p->vcpus;
    struct prop_copy *props[SYS_VM_MAX_VCPUS] = { 0 }, *tmpl = NULL;
    int nprops[SYS_VM_MAX_VCPUS] = { 0 }, ntmpl = 0;
    for (int k = 0; k < kept; k++)
        nprops[k] = snapshot(fdt, fdt_subnode_offset(fdt, cpus, names[k]), true, &props[k]);
    if (kept)
        ntmpl = snapshot(fdt, fdt_subnode_offset(fdt, cpus, names[0]), false, &tmpl);
    int rc = 0;
    for (int k = 0; k < n && rc >= 0; k++)
        rc = fdt_del_node(fdt, fdt_subnode_offset(fdt, fdt_path_offset(fdt, "/cpus"), names[k]));
    /* libfdt puts a new node first among its siblings: add the last CPU first */
    for (int k = (int)p->vcpus - 1; k >= 0 && rc >= 0; k--)
        rc = k < kept ? add_cpu(fdt, (unsigned)k, props[k], nprops[k])
                      : add_cpu(fdt, (unsigned)k, tmpl, ntmpl);
    for (int k = 0; k < kept; k++)
        free_snapshot(props[k], nprops[k]);
    free_snapshot(tmpl, ntmpl);
    TRY(rc);
    return 0;
}

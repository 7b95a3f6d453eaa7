/* Fixed clocks for a passthrough device whose clock controller the guest is not given (the
 * i.MX UART's "ipg" and "per" come from the CCM, which every device of the SoC depends on and
 * no single guest may own). Each entry of the device's `clocks` becomes a phandle of a
 * fixed-clock node at the rate the clock runs at when the guest starts:
 *   0. a fixed clock the device names directly: its own rate (the guest keeps such nodes);
 *   1. the device's own assigned-clock-rates for that clock, else the controller's;
 *   2. else the controller's reference input: the first fixed-clock of at least 1 MHz among its
 *      `clocks` (the i.MX8M oscillator, 24 MHz on the 8M Plus, 25 MHz on the 8M Quad: the reset
 *      parent of the UART clock roots, which U-Boot's console leaves in place).
 * The rates are read from the untouched board tree; the guest's copy has lost the controller.
 * The device's assigned-clock* properties, which name the controller, go. */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "dt.h"
#include "dt_clock.h"
#include "guest.h"

#define MAX_CLOCKS 16 /* clocks entries per device handled; more is an error */

bool guest_clocks_fixable(const void *bfdt, int node)
{
    int len = 0, pos = 0, count = 0;
    const fdt32_t *cl = fdt_getprop(bfdt, node, "clocks", &len);
    if (!cl || len <= 0 || len % (int)sizeof(fdt32_t))
        return false;
    int n = len / (int)sizeof(fdt32_t);
    struct clk_ref r;
    while (pos < n)
        if (count++ == MAX_CLOCKS || !dt_clock_next(bfdt, cl, n, &pos, &r) ||
            !dt_clock_rate(bfdt, node, &r, NULL, NULL))
            return false;
    return true;
}

/* A phandle above every one of both trees: one the guest's tree lost may still be named by a
 * stale reference, which must not come to mean the new clock. */
static int new_phandle(void *gfdt, const void *bfdt, uint32_t *phandle)
{
    uint32_t bmax = 0, gmax = 0;
    int rc = fdt_find_max_phandle(bfdt, &bmax);
    if (!rc)
        rc = fdt_find_max_phandle(gfdt, &gmax);
    uint32_t max = bmax > gmax ? bmax : gmax;
    if (!rc && max >= FDT_MAX_PHANDLE)
        rc = -FDT_ERR_NOPHANDLES;
    *phandle = max + 1;
    return rc;
}

/* The phandle of a fixed-clock node of `rate` at the root of the guest's tree (made once). */
static int fixed_clock(void *gfdt, const void *bfdt, uint32_t rate, uint32_t *phandle)
{
    char name[40];
    snprintf(name, sizeof name, "clock-passthrough-%u", rate);
    int node = fdt_subnode_offset(gfdt, 0, name);
    if (node >= 0) {
        *phandle = fdt_get_phandle(gfdt, node);
        return 0;
    }
    int rc = new_phandle(gfdt, bfdt, phandle);
    if (rc)
        return rc;
    node = fdt_add_subnode(gfdt, 0, name);
    if (node < 0)
        return node;
    if ((rc = fdt_setprop_string(gfdt, node, "compatible", "fixed-clock")) ||
        (rc = fdt_setprop_u32(gfdt, node, "#clock-cells", 0)) ||
        (rc = fdt_setprop_u32(gfdt, node, "clock-frequency", rate)) ||
        (rc = fdt_setprop_u32(gfdt, node, "phandle", *phandle)))
        return rc;
    return 0;
}

static int del_prop(void *fdt, int node, const char *name)
{
    int rc = fdt_delprop(fdt, node, name);
    return rc == -FDT_ERR_NOTFOUND ? 0 : rc;
}

/* Whether some entry of clocks (a list checked by the caller) names a node the guest lost. */
static bool any_stale(const void *gfdt, const void *bfdt, const fdt32_t *cl, int n)
{
    int pos = 0;
    struct clk_ref r;
    while (dt_clock_next(bfdt, cl, n, &pos, &r))
        if (fdt_node_offset_by_phandle(gfdt, r.phandle) < 0)
            return true;
    return false;
}

/* Node `path` (in both trees): its clocks, if their controller is gone from the guest's tree. */
static int fix_node(void *gfdt, const void *bfdt, const char *path, const struct guest_dt *p)
{
    int bn = fdt_path_offset(bfdt, path), gn = fdt_path_offset(gfdt, path), len = 0;
    const fdt32_t *cl = bn < 0 ? NULL : fdt_getprop(bfdt, bn, "clocks", &len);
    if (!cl || gn < 0 || len <= 0)
        return 0;
    int n = len / (int)sizeof(fdt32_t), pos = 0, count = 0;
    if (!any_stale(gfdt, bfdt, cl, n))
        return 0; /* the controller came with the guest: its clocks stay as they are */
    fdt32_t out[MAX_CLOCKS];
    struct clk_ref r;
    while (pos < n) {
        if (count == MAX_CLOCKS || !dt_clock_next(bfdt, cl, n, &pos, &r))
            return err_at(p->sysfile, p->line,
                          "guest '%s': passthrough node '%s': its 'clocks' cannot be read (more than %d "
                          "entries, or a phandle or #clock-cells the board tree lacks)",
                          p->name, path, MAX_CLOCKS);
        uint32_t rate = dt_clock_rate(bfdt, bn, &r, NULL, NULL);
        if (!rate)
            return err_at(p->sysfile, p->line,
                          "guest '%s': passthrough node '%s': the rate of its clock %d is not in the board "
                          "tree (no assigned-clock-rates, no fixed reference clock): pass its clock "
                          "controller through",
                          p->name, path, count);
        uint32_t ph = 0;
        int rc = fixed_clock(gfdt, bfdt, rate, &ph);
        if (rc)
            return err_at(p->sysfile, p->line, "guest '%s': cannot add a fixed clock: %s", p->name,
                          fdt_strerror(rc));
        out[count++] = cpu_to_fdt32(ph);
    }
    gn = fdt_path_offset(gfdt, path); /* adding nodes moved it */
    int rc = gn < 0 ? gn : fdt_setprop(gfdt, gn, "clocks", out, count * (int)sizeof(fdt32_t));
    if (!rc)
        rc = del_prop(gfdt, gn, "assigned-clocks");
    if (!rc)
        rc = del_prop(gfdt, gn, "assigned-clock-parents");
    if (!rc)
        rc = del_prop(gfdt, gn, "assigned-clock-rates");
    return rc ? err_at(p->sysfile, p->line, "guest '%s': cannot rewrite the clocks of '%s': %s", p->name,
                       path, fdt_strerror(rc))
              : 0;
}

int guest_fixed_clocks(void *gfdt, const void *bfdt, const char *pt_path, const struct guest_dt *p)
{
    int top = fdt_path_offset(bfdt, pt_path), depth = 0;
    for (int n = top; n >= 0 && depth >= 0; n = fdt_next_node(bfdt, n, &depth)) {
        if (n != top && depth <= 0)
            break; /* left the passthrough node's subtree */
        char path[1024];
        if (fdt_get_path(bfdt, n, path, sizeof path))
            return err_at(p->sysfile, p->line,
                          "guest '%s': a node under '%s' has a path longer than %zu bytes", p->name, pt_path,
                          sizeof path - 1);
        if (fix_node(gfdt, bfdt, path, p))
            return -1;
    }
    return 0;
}

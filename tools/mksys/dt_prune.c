/* Which board nodes a guest must not see. A guest that finds a device in its device tree
 * probes it, and touching registers it was not given is a stage-2 fault that stops it (the
 * "virtual memory fault" pitfall of the libvmm and MaaXBoard write-ups). So every node with
 * registers, interrupts, an address translation (a bus) or a firmware call method goes, unless
 * it is passed through or the VMM provides it (GIC, timer, CPUs, PSCI). Then every node that
 * refers (by phandle) to a deleted node goes too, e.g. gpio-keys whose GPIO controller went.
 * Decided on the untouched board tree; guest_dtb.c deletes the returned paths. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dt.h"
#include "guest.h"
#include "names.h"

#define MAX_ARG_CELLS 16 /* #clock-cells and the like: far more than any binding uses */

struct plan {
    const void *fdt;
    const struct guest_dt *p;
    int n;
    int *off, *parent;
    unsigned char *whole;   /* passed through or /cpus: kept with everything below */
    unsigned char *in_pt;   /* inside a passthrough node */
    unsigned char *protect; /* kept itself (its children are judged on their own) */
    unsigned char *doomed, *dead;
};

static int index_of(const struct plan *pl, int off)
{
    int lo = 0, hi = pl->n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (pl->off[mid] == off)
            return mid;
        if (pl->off[mid] < off)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

static void enumerate(struct plan *pl)
{
    int cap = 64, depth = 0, stack[64];
    pl->off = xcalloc((size_t)cap, sizeof(int));
    pl->parent = xcalloc((size_t)cap, sizeof(int));
    for (int off = 0; off >= 0 && depth >= 0; off = fdt_next_node(pl->fdt, off, &depth)) {
        if (depth >= 64)
            continue; /* absurdly deep: left alone */
        if (pl->n == cap) {
            size_t c1 = (size_t)cap, c2 = (size_t)cap;
            vec_reserve((void **)&pl->off, &c1, c1 * 2, sizeof(int));
            vec_reserve((void **)&pl->parent, &c2, c2 * 2, sizeof(int));
            cap *= 2;
        }
        stack[depth] = pl->n;
        pl->off[pl->n] = off;
        pl->parent[pl->n] = depth ? stack[depth - 1] : -1;
        pl->n++;
    }
    size_t n = (size_t)pl->n;
    pl->whole = xcalloc(n, 1);
    pl->in_pt = xcalloc(n, 1);
    pl->protect = xcalloc(n, 1);
    pl->doomed = xcalloc(n, 1);
    pl->dead = xcalloc(n, 1);
}

static bool top_named(const struct plan *pl, int i, const char *name)
{
    const char *n = fdt_get_name(pl->fdt, pl->off[i], NULL);
    return pl->parent[i] == 0 && n && !strcmp(n, name);
}

static bool compatible_prefix(const void *fdt, int off, const char *prefix)
{
    int n = fdt_stringlist_count(fdt, off, "compatible");
    for (int k = 0; k < n; k++) {
        const char *s = fdt_stringlist_get(fdt, off, "compatible", k, NULL);
        if (s && !strncmp(s, prefix, strlen(prefix)))
            return true;
    }
    return false;
}

static void protect_up(struct plan *pl, int i)
{
    for (; i >= 0; i = pl->parent[i])
        pl->protect[i] = 1;
}

static void classify(struct plan *pl)
{
    const void *fdt = pl->fdt;
    for (size_t k = 0; k < pl->p->npt; k++) {
        int i = index_of(pl, pl->p->pt_nodes[k]);
        if (i < 0)
            continue;
        pl->whole[i] = pl->in_pt[i] = 1;
        protect_up(pl, i);
    }
    for (int i = 1; i < pl->n; i++) {
        int off = pl->off[i], par = pl->parent[i];
        if (pl->whole[par]) {
            pl->whole[i] = 1;
            pl->in_pt[i] = pl->in_pt[par];
        }
        if (top_named(pl, i, "cpus")) {
            pl->whole[i] = 1;
            protect_up(pl, i);
        }
        if (top_named(pl, i, "chosen") || top_named(pl, i, "aliases") || top_named(pl, i, "__symbols__") ||
            (top_named(pl, i, "psci") || compatible_prefix(fdt, off, "arm,psci")) ||
            !fdt_node_check_compatible(fdt, off, "arm,gic-v3") ||
            !fdt_node_check_compatible(fdt, off, "arm,armv8-timer"))
            protect_up(pl, i);
    }
    for (int i = 1; i < pl->n; i++) {
        int off = pl->off[i], par = pl->parent[i];
        const char *type = dt_getstr(fdt, off, "device_type");
        bool device = fdt_getprop(fdt, off, "reg", NULL) || fdt_getprop(fdt, off, "interrupts", NULL) ||
                      fdt_getprop(fdt, off, "interrupts-extended", NULL) ||
                      fdt_getprop(fdt, off, "ranges", NULL) || fdt_getprop(fdt, off, "method", NULL) ||
                      (type && !strcmp(type, "memory"));
        bool gic_child = !fdt_node_check_compatible(fdt, pl->off[par], "arm,gic-v3"); /* ITS, v2m */
        if (!pl->whole[i] && (gic_child || (device && !pl->protect[i])))
            pl->doomed[i] = 1;
    }
}

static void spread_dead(struct plan *pl)
{
    for (int i = 1; i < pl->n; i++)
        pl->dead[i] = pl->doomed[i] || pl->dead[pl->parent[i]];
}

/* Properties that hold phandles, and the target's property giving each entry's arguments
 * (NULL: plain phandle lists). */
static const char *phandle_prop(const char *name)
{
    static const char *const table[][2] = {
        { "clocks", "#clock-cells" },
        { "assigned-clocks", "#clock-cells" },
        { "assigned-clock-parents", "#clock-cells" },
        { "resets", "#reset-cells" },
        { "power-domains", "#power-domain-cells" },
        { "dmas", "#dma-cells" },
        { "phys", "#phy-cells" },
        { "iommus", "#iommu-cells" },
        { "mboxes", "#mbox-cells" },
        { "interrupts-extended", "#interrupt-cells" },
        { "gpios", "#gpio-cells" },
        { "pwms", "#pwm-cells" },
        { "io-channels", "#io-channel-cells" },
        { "thermal-sensors", "#thermal-sensor-cells" },
        { "sound-dai", "#sound-dai-cells" },
        { "msi-parent", "#msi-cells" },
        { "interrupt-parent", "" },
        { "memory-region", "" },
        { "nvmem-cells", "" },
        { "phy-handle", "" },
        { "next-level-cache", "" },
        { "operating-points-v2", "" },
        { "cpu-idle-states", "" },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(name, table[i][0]))
            return table[i][1];
    size_t len = strlen(name);
    if ((len > 6 && !strcmp(name + len - 6, "-gpios")) || (len > 5 && !strcmp(name + len - 5, "-gpio")))
        return "#gpio-cells";
    if ((len > 7 && !strcmp(name + len - 7, "-supply")) ||
        (!strncmp(name, "pinctrl-", 8) && name[8] && strspn(name + 8, "0123456789") == len - 8))
        return "";
    return NULL;
}

/* The first deleted node that prop refers to, or -1. */
static int dead_ref(const struct plan *pl, const char *name, const fdt32_t *cells, int ncells)
{
    const char *args = phandle_prop(name);
    if (!args)
        return -1;
    for (int i = 0; i < ncells;) {
        uint32_t ph = fdt32_to_cpu(cells[i]);
        if (ph == 0 || ph == 0xffffffffu) { /* an empty slot */
            i++;
            continue;
        }
        int t = fdt_node_offset_by_phandle(pl->fdt, ph);
        if (t < 0)
            return -1; /* already dangling on the board: not ours to judge */
        int ti = index_of(pl, t);
        if (ti >= 0 && pl->dead[ti])
            return ti;
        uint32_t n = 0;
        if (args[0] && !dt_getu32(pl->fdt, t, args, &n)) {
            if (fdt_getprop(pl->fdt, t, args, NULL) || strcmp(args, "#msi-cells"))
                return -1; /* missing or malformed: cannot tell where the next entry starts */
        }
        if (n > MAX_ARG_CELLS)
            return -1; /* a forged count: 0xffffffff used to stop the walk, a large one to wrap i */
        i += 1 + (int)n;
    }
    return -1;
}

/* Node i refers to a deleted node: delete it with the highest ancestor that is not kept. */
static int drop_referrer(struct plan *pl, int i, const char *prop, int target)
{
    if (!strcmp(prop, "interrupt-parent") && dt_gic_parent(pl->fdt, pl->off[i]) >= 0)
        return 0; /* a controller stacked on the GIC: guest_dtb.c points straight at the GIC */
    if (pl->in_pt[i]) {
        if (!strncmp(prop, "pinctrl-", 8))
            return 0; /* guest_dtb.c drops the pin settings: the guest cannot program pins it was not given */
        if (!strcmp(prop, "dmas"))
            return 0; /* guest_dtb.c drops the DMA channels: the driver works without */
        if ((!strcmp(prop, "clocks") || !strncmp(prop, "assigned-clock", 14)) &&
            guest_clocks_fixable(pl->fdt, pl->off[i]))
            return 0; /* guest_clocks.c gives fixed clocks at the rates the tree says */
        char a[512], b[512], shown_prop[64];
        dt_path(pl->fdt, pl->off[i], a, sizeof a); /* unset on failure before: printed garbage */
        dt_path(pl->fdt, pl->off[target], b, sizeof b);
        name_printable(shown_prop, sizeof shown_prop, prop);
        return err_at(pl->p->sysfile, pl->p->line,
                      "guest '%s': passthrough node '%s' needs '%s' (its '%s'), which the guest is not "
                      "given: pass that through too",
                      pl->p->name, a, b, shown_prop);
    }
    if (pl->whole[i] || pl->protect[i])
        return 0; /* CPUs, /chosen, the GIC...: guest_dtb.c rewrites what matters */
    int j = i;
    while (pl->parent[j] > 0 && !pl->protect[pl->parent[j]])
        j = pl->parent[j];
    pl->doomed[j] = 1;
    return 1;
}

static int drop_referrers(struct plan *pl)
{
    for (int changed = 1; changed;) {
        changed = 0;
        spread_dead(pl);
        for (int i = 1; i < pl->n; i++) {
            if (pl->dead[i])
                continue;
            int prop;
            fdt_for_each_property_offset(prop, pl->fdt, pl->off[i])
            {
                const char *name;
                int len;
                const fdt32_t *v = fdt_getprop_by_offset(pl->fdt, prop, &name, &len);
                int t = v ? dead_ref(pl, name, v, len / (int)sizeof(fdt32_t)) : -1;
                int rc = t >= 0 ? drop_referrer(pl, i, name, t) : 0;
                if (rc < 0)
                    return -1;
                if (rc > 0) {
                    changed = 1;
                    break;
                }
            }
        }
    }
    return 0;
}

int dt_prune_plan(const struct board *b, const struct guest_dt *p, char ***paths, size_t *npaths)
{
    struct plan pl = { .fdt = b->fdt, .p = p };
    enumerate(&pl);
    classify(&pl);
    int rc = drop_referrers(&pl);
    *paths = xcalloc((size_t)pl.n, sizeof **paths);
    *npaths = 0;
    for (int i = 1; i < pl.n && !rc; i++) {
        if (!pl.dead[i] || pl.dead[pl.parent[i]])
            continue;
        char path[1024];
        if (fdt_get_path(pl.fdt, pl.off[i], path, sizeof path) == 0)
            (*paths)[(*npaths)++] = xstrdup(path);
        else /* skipping it would leave a device in the guest's tree */
            rc = err_file(b->file, "node '%s' has a path longer than %zu bytes",
                          dt_name(pl.fdt, pl.off[i], path, 64), sizeof path - 1);
    }
    free(pl.off);
    free(pl.parent);
    free(pl.whole);
    free(pl.in_pt);
    free(pl.protect);
    free(pl.doomed);
    free(pl.dead);
    return rc;
}

/* Clock rates from the board's device tree (dt_clock.h). */
#include <string.h>

#include "dt.h"
#include "dt_clock.h"

#define MIN_REF_RATE 1000000u

bool dt_clock_next(const void *fdt, const fdt32_t *cells, int ncells, int *pos, struct clk_ref *r)
{
    if (*pos >= ncells)
        return false;
    r->phandle = fdt32_to_cpu(cells[*pos]);
    r->nargs = 0;
    int t = fdt_node_offset_by_phandle(fdt, r->phandle);
    if (t < 0 ||
        (fdt_getprop(fdt, t, "#clock-cells", NULL) && !dt_getu32(fdt, t, "#clock-cells", &r->nargs)) ||
        r->nargs > DT_CLOCK_MAX_CELLS || r->nargs >= (uint32_t)(ncells - *pos))
        return false;
    r->args = cells + *pos + 1;
    *pos += 1 + (int)r->nargs;
    return true;
}

bool dt_clock_entry(const void *fdt, int node, int index, struct clk_ref *r)
{
    int len = 0, pos = 0;
    const fdt32_t *cl = fdt_getprop(fdt, node, "clocks", &len);
    if (!cl || len <= 0 || index < 0)
        return false;
    int n = len / (int)sizeof(fdt32_t);
    for (int i = 0; dt_clock_next(fdt, cl, n, &pos, r); i++)
        if (i == index)
            return true;
    return false;
}

static bool same_ref(const struct clk_ref *a, const struct clk_ref *b)
{
    return a->phandle == b->phandle && a->nargs == b->nargs &&
           !memcmp(a->args, b->args, a->nargs * sizeof(fdt32_t));
}

/* The rate node's assigned-clocks/assigned-clock-rates give clk, or 0. */
static uint32_t assigned_rate(const void *fdt, int node, const struct clk_ref *clk)
{
    int nlen = 0, rlen = 0;
    const fdt32_t *cl = fdt_getprop(fdt, node, "assigned-clocks", &nlen);
    const fdt32_t *rates = fdt_getprop(fdt, node, "assigned-clock-rates", &rlen);
    if (!cl || !rates || nlen < 0 || rlen < 0)
        return 0;
    int n = nlen / (int)sizeof(fdt32_t), nrates = rlen / (int)sizeof(fdt32_t), pos = 0;
    struct clk_ref r;
    for (int i = 0; i < nrates && dt_clock_next(fdt, cl, n, &pos, &r); i++)
        if (same_ref(&r, clk))
            return fdt32_to_cpu(rates[i]);
    return 0;
}

/* The first fixed-clock input of controller ctl of at least MIN_REF_RATE, or 0. */
static uint32_t reference_rate(const void *fdt, int ctl)
{
    int len = 0;
    const fdt32_t *cl = fdt_getprop(fdt, ctl, "clocks", &len);
    if (!cl || len < 0)
        return 0;
    int n = len / (int)sizeof(fdt32_t), pos = 0;
    struct clk_ref r;
    uint32_t rate;
    while (dt_clock_next(fdt, cl, n, &pos, &r)) {
        int t = fdt_node_offset_by_phandle(fdt, r.phandle);
        if (r.nargs == 0 && !fdt_node_check_compatible(fdt, t, "fixed-clock") &&
            dt_getu32(fdt, t, "clock-frequency", &rate) && rate >= MIN_REF_RATE)
            return rate;
    }
    return 0;
}

uint32_t dt_clock_rate(const void *fdt, int node, const struct clk_ref *r, enum dt_clock_source *from,
                       int *where)
{
    enum dt_clock_source dummy_from = DT_CLOCK_NONE;
    int dummy_where = -1;
    from = from ? from : &dummy_from;
    where = where ? where : &dummy_where;
    int ctl = fdt_node_offset_by_phandle(fdt, r->phandle);
    uint32_t rate = 0;
    *from = DT_CLOCK_FIXED;
    *where = ctl;
    if (r->nargs == 0 && !fdt_node_check_compatible(fdt, ctl, "fixed-clock") &&
        dt_getu32(fdt, ctl, "clock-frequency", &rate) && rate)
        return rate;
    *from = DT_CLOCK_ASSIGNED;
    *where = node;
    if ((rate = assigned_rate(fdt, node, r)))
        return rate;
    *where = ctl;
    if ((rate = assigned_rate(fdt, ctl, r)))
        return rate;
    *from = DT_CLOCK_CONTROLLER_IN;
    if ((rate = reference_rate(fdt, ctl)))
        return rate;
    *from = DT_CLOCK_NONE;
    return 0;
}

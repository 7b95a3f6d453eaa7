/* Clock rates from a board's device tree: the one reader the <serial> UART's reference clock
 * and a passthrough device's fixed clocks both use. The tree is untrusted: every list is walked
 * with bounds, and a provider's #clock-cells beyond DT_CLOCK_MAX_CELLS ends the walk. */
#ifndef MKSYS_DT_CLOCK_H
#define MKSYS_DT_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include <libfdt.h>

#define DT_CLOCK_MAX_CELLS 16 /* #clock-cells larger than any binding uses: a forged tree */

/* One entry of a `clocks`-style list: a provider's phandle and its nargs argument cells. */
struct clk_ref {
    uint32_t phandle;
    uint32_t nargs;
    const fdt32_t *args;
};

/* Entry *pos of the list cells[0..ncells); advances *pos. false at the end or when malformed. */
bool dt_clock_next(const void *fdt, const fdt32_t *cells, int ncells, int *pos, struct clk_ref *r);
/* Entry `index` of node's `clocks`. */
bool dt_clock_entry(const void *fdt, int node, int index, struct clk_ref *r);

/* Where a rate came from, in the order dt_clock_rate tries them. */
enum dt_clock_source {
    DT_CLOCK_NONE,
    DT_CLOCK_FIXED,        /* the entry names a fixed-clock: its clock-frequency */
    DT_CLOCK_ASSIGNED,     /* assigned-clock-rates of the device, else of the clock controller */
    DT_CLOCK_CONTROLLER_IN /* the controller's reference input: its first fixed-clock >= 1 MHz */
};

/* The rate clock r of node runs at when nothing has changed it since reset (the i.MX8M UART
 * roots run from the oscillator, 24 MHz on the 8M Plus and 25 MHz on the 8M Quad), or 0.
 * *from (may be NULL) says which rule gave it; *where the node whose property it was. */
uint32_t dt_clock_rate(const void *fdt, int node, const struct clk_ref *r, enum dt_clock_source *from,
                       int *where);

#endif

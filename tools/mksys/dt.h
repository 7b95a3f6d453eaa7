/* Device-tree helpers (libfdt) shared by the board reader, passthrough and the guest DTB. */
#ifndef MKSYS_DT_H
#define MKSYS_DT_H

#include <stdbool.h>
#include <stdint.h>

#include <libfdt.h>

struct dtb {
    const char *file; /* for messages */
    void *fdt;
};

uint64_t dt_read_cells(const fdt32_t *p, int n);
/* Writes v into n big-endian cells; false if it does not fit. */
bool dt_write_cells(fdt32_t *p, int n, uint64_t v);

/* #address-cells and #size-cells that apply to node's reg (its parent's); -1 if unsupported. */
int dt_reg_cells(const void *fdt, int node, int *ac, int *sc);
/* Number of entries in node's reg (0 without one), or -1 if its parent's cells are unsupported. */
int dt_reg_count(const void *fdt, int node);
/* reg entry `index` of node; errors as "FILE: error: ...". */
int dt_reg(const struct dtb *d, int node, int index, uint64_t *addr, uint64_t *size);

/* The interrupt parent of node: its own or nearest ancestor's interrupt-parent, or -1. */
int dt_interrupt_parent(const void *fdt, int node);
/* The GICv3 that handles node's interrupts, looking through controllers stacked on it that
 * keep its 3-cell specifiers (the i.MX8MQ GPC); -1 if there is none. */
int dt_gic_parent(const void *fdt, int node);
/* Whether node's string property `prop` equals s, or its stringlist contains s. */
bool dt_has_string(const void *fdt, int node, const char *prop, const char *s);

#endif

/* Device-tree helpers (libfdt) shared by the board reader, passthrough and the guest DTB. */
#ifndef MKSYS_DT_H
#define MKSYS_DT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libfdt.h>

struct dtb {
    const char *file; /* for messages */
    void *fdt;
};

/* dt_check.c: the whole blob (len bytes read) is sound; errors "FILE: error: ...". */
int dtb_check(const struct dtb *d, size_t len);

uint64_t dt_read_cells(const fdt32_t *p, int n);
/* Writes v into n big-endian cells; false if it does not fit. */
bool dt_write_cells(fdt32_t *p, int n, uint64_t v);

/* #address-cells and #size-cells that apply to node's reg (its parent's); -1 if unsupported. */
int dt_reg_cells(const void *fdt, int node, int *ac, int *sc);
/* Number of entries in node's reg (0 without one), or -1 if its parent's cells are unsupported;
 * at least 1 for a reg of any length, so that dt_reg reports a malformed one. */
int dt_reg_count(const void *fdt, int node);
/* reg entry `index` of node; errors as "FILE: error: ..." (also for a reg whose length is not
 * a whole number of entries). */
int dt_reg(const struct dtb *d, int node, int index, uint64_t *addr, uint64_t *size);

/* node's name for messages: bytes that are not printable ASCII become '?' (a board tree is
 * untrusted input). Returns buf. */
const char *dt_name(const void *fdt, int node, char *buf, size_t len);
/* node's path for messages, sanitized the same way ("?" if it cannot be built). */
const char *dt_path(const void *fdt, int node, char *buf, size_t len);
/* A string property: NULL unless its value is NUL-terminated within its length. */
const char *dt_getstr(const void *fdt, int node, const char *prop);
/* A one-cell property (such as #clock-cells): false unless it is exactly 4 bytes. */
bool dt_getu32(const void *fdt, int node, const char *prop, uint32_t *out);

/* The interrupt parent of node: its own or nearest ancestor's interrupt-parent, or -1. */
int dt_interrupt_parent(const void *fdt, int node);
/* The GICv3 that handles node's interrupts, looking through controllers stacked on it that
 * keep its 3-cell specifiers (the i.MX8MQ GPC); -1 if there is none. */
int dt_gic_parent(const void *fdt, int node);
/* The next child of /cpus (offset cpus) after prev (-1: the first) whose device_type is "cpu",
 * or -1: the board's cores in tree order, cpu-map and other nodes skipped. */
int dt_next_cpu(const void *fdt, int cpus, int prev);
/* Whether node's string property `prop` equals s, or its stringlist contains s. */
bool dt_has_string(const void *fdt, int node, const char *prop, const char *s);

#endif

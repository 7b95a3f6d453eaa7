/* The system description as parsed from the XML: names as written, plus the indices that
 * resolve.c fills in. Every element keeps its line for error messages. */
#ifndef MKSYS_SDESC_H
#define MKSYS_SDESC_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

struct sd_mr {
    char *name;
    uint64_t size;
    uint64_t page_size;
    uint64_t phys_addr;
    bool fixed;        /* phys_addr was given */
    long line;
    uint64_t pa;       /* fixed: phys_addr; otherwise assigned by the layout */
};

struct sd_map {
    char *mr_name;
    size_t mr;         /* index into sd_system.mrs */
    uint64_t vaddr;
    uint32_t perms;    /* SYSIMG_PERM_* */
    bool cached;
    char *setvar_vaddr; /* symbol to receive vaddr, or NULL */
    long line;
};

struct sd_irq {
    uint32_t irq;      /* GIC INTID */
    unsigned id;       /* channel id */
    bool edge;
    long line;
};

struct sd_setvar {
    char *symbol;
    char *region;
    size_t mr;
    long line;
};

struct sd_pd {
    char *name;
    long line;
    unsigned priority;
    uint64_t stack_size;
    int parent;        /* index into sd_system.pds, or -1 */
    unsigned child_id; /* `id`, only for a child */
    char *image;       /* program_image path as written */
    long image_line;
    VEC(struct sd_map) maps;
    VEC(struct sd_irq) irqs;
    VEC(struct sd_setvar) setvars;
};

struct sd_end {
    char *pd_name;
    size_t pd;
    unsigned id;
    bool pp;
    bool notify;
    long line;
};

struct sd_channel {
    struct sd_end end[2];
    long line;
};

struct sd_system {
    const char *file;  /* path as given, for messages */
    VEC(struct sd_mr) mrs;
    VEC(struct sd_pd) pds;     /* document order: a parent comes before its children */
    VEC(struct sd_channel) chans;
};

/* Parse FILE into sys (XML syntax, elements, attributes, value ranges). 0 or -1 after an error. */
int sd_parse(const char *file, struct sd_system *sys);
/* Resolve names to indices and reject duplicates and unknown names. */
int sd_resolve(struct sd_system *sys);
void sd_free(struct sd_system *sys);

#endif

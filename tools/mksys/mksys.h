/* The whole tool as a library call, so unit tests drive it without a process. */
#ifndef MKSYS_H
#define MKSYS_H

#include <stdbool.h>
#include <stddef.h>

struct mksys_opts {
    const char *board;         /* board DTB */
    const char *kernel;        /* kernel ELF */
    const char *system;        /* system description XML */
    const char *output;        /* image to write */
    const char *report;        /* layout report to write, or NULL */
    const char *emit_system;   /* expanded low-level description to write, or NULL */
    const char *emit_dtb;      /* directory for each guest's device tree (<vm>.dtb), or NULL */
    const char *const *search; /* directories holding PD programs and guest files */
    size_t nsearch;
    unsigned stage2_block; /* SYSIMG_S2_BLOCK_*; 0: SYSIMG_S2_BLOCK_2M */
    bool kernel_in_ram;    /* store one guest's kernel pre-placed in its RAM too (guest.c) */
};

/* "4k" or "2m" as a SYSIMG_S2_BLOCK_* value; 0 for anything else. */
unsigned mksys_stage2_block(const char *arg);

/* 0 on success; -1 after reporting the first error through diag.h. Writes nothing on error. */
int mksys_run(const struct mksys_opts *o);

#endif

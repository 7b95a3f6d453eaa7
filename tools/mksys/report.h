/* --report: a human-readable table of the physical layout. */
#ifndef MKSYS_REPORT_H
#define MKSYS_REPORT_H

#include <stdio.h>

#include "image.h"

struct report_src {
    const char *board_file, *kernel_file;
    const struct sd_system *sys;
    const struct board *board;
    const struct layout *lay;
};

void report_write(FILE *f, const struct report_src *r);

#endif

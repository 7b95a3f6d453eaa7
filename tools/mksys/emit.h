/* --emit-system: the description after expansion, as low-level Microkit XML. */
#ifndef MKSYS_EMIT_H
#define MKSYS_EMIT_H

#include <stdio.h>

#include "sdesc.h"

void emit_system(FILE *f, const struct sd_system *sys);

/* Pieces for emit_serial.c. */
void emit_attr(FILE *f, const char *name, const char *v);
void emit_comment_text(FILE *f, const char *s);
void emit_mr(FILE *f, const struct sd_mr *mr);
void emit_map(FILE *f, const char *ind, const struct sd_map *m);
void emit_pd(FILE *f, const struct sd_system *sys, size_t i, int depth);
void emit_channel(FILE *f, const struct sd_channel *ch);

#endif

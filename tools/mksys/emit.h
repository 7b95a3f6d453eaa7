/* --emit-system: the description after expansion, as low-level Microkit XML. */
#ifndef MKSYS_EMIT_H
#define MKSYS_EMIT_H

#include <stdio.h>

#include "sdesc.h"

void emit_system(FILE *f, const struct sd_system *sys);

#endif

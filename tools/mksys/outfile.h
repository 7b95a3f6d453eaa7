/* Output files appear whole or not at all: written to a temporary name, then renamed. */
#ifndef MKSYS_OUTFILE_H
#define MKSYS_OUTFILE_H

#include <stddef.h>

int write_atomic(const char *path, const void *data, size_t len);

#endif

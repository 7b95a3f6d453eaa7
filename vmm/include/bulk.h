/*
 * Bulk copy and clear for loading guest images (tens of MiB). The PD C library's memcpy and
 * memset work a byte at a time, which makes loading a 32 MiB kernel take seconds under
 * emulation; these move 64-byte blocks when source and destination allow.
 */
#ifndef VMM_BULK_H
#define VMM_BULK_H

#include <stdint.h>

void bulk_copy(void *dst, const void *src, uint64_t n);
void bulk_zero(void *dst, uint64_t n);

#endif

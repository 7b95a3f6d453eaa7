/* Numbers and booleans as the Microkit system description writes them. */
#ifndef MKSYS_NUM_H
#define MKSYS_NUM_H

#include <stdbool.h>
#include <stdint.h>

/* Decimal or 0x-prefixed hex; '_' may separate digits ("0x10_000"). 0 on success, -1 if not a number
 * or out of 64-bit range. */
int parse_u64(const char *s, uint64_t *out);

/* Exactly "true" or "false". */
int parse_bool(const char *s, bool *out);

#endif

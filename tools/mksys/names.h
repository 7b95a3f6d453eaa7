/* Names of memory regions, protection domains and virtual machines. They become file names
 * (--emit-dtb DIR/<vm>.dtb), XML attributes and comments (--emit-system), generated region
 * names and parts of messages, so they are limited to a safe set: ASCII letters, digits and
 * '_', '.', '-', '@', not starting with '.' or '-'. Lengths are in bytes (every allowed
 * character is one byte). */
#ifndef MKSYS_NAMES_H
#define MKSYS_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#define MR_NAME_MAX 255u /* generated names ("<vm>_<node>", "file_<basename>") must fit */

bool name_is_safe(const char *s);
/* Reports "FILE:LINE: error: WHAT name 'NAME' ..." if NAME is empty, longer than max bytes
 * or not from the safe set; 0 if it is fine. */
int name_check(const char *file, long line, const char *what, const char *name, size_t max);
/* Makes a generated name safe in place: every other byte (and a leading '.' or '-') becomes '_'. */
void name_sanitize(char *s);
/* A copy of s for messages: bytes that are not printable ASCII become '?' (truncated to len). */
void name_printable(char *buf, size_t len, const char *s);

#endif

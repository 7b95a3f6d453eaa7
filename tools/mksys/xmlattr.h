/* Attribute access for libxml2 elements with the tool's error messages (file:line: ...). */
#ifndef MKSYS_XMLATTR_H
#define MKSYS_XMLATTR_H

#include <stdbool.h>
#include <stdint.h>

#include <libxml/tree.h>

long xa_line(xmlNodePtr n);

/* Reject any attribute of n not in the NULL-terminated list. */
int xa_allowed(const char *file, xmlNodePtr n, const char *const allowed[]);

/* Each returns 0 or -1 after reporting. When the attribute is absent and not required the
 * output is left untouched, so callers preset defaults. xa_str's result is malloc'd. */
int xa_str(const char *file, xmlNodePtr n, const char *attr, bool required, char **out);
int xa_u64(const char *file, xmlNodePtr n, const char *attr, bool required, uint64_t *out);
int xa_bool(const char *file, xmlNodePtr n, const char *attr, bool *out);

/* Whether the attribute is present at all. */
bool xa_has(xmlNodePtr n, const char *attr);

#endif

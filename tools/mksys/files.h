/* Files the description names: found on the --search path and read whole. */
#ifndef MKSYS_FILES_H
#define MKSYS_FILES_H

#include <stddef.h>
#include <stdint.h>

/* An absolute name as is, else the first search directory holding it; malloc'd, or NULL. */
char *files_find(const char *name, const char *const *search, size_t nsearch);
/* "dir1, dir2" for messages ("no --search directories" when empty). */
void files_search_list(char *buf, size_t len, const char *const *search, size_t nsearch);
/* Reads the whole file into a malloc'd buffer; errors "PATH: error: cannot open WHAT: ...". */
int files_read(const char *path, const char *what, uint8_t **data, size_t *len);

#endif

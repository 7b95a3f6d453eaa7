/* Files the description names: found on the --search path and read whole. */
#ifndef MKSYS_FILES_H
#define MKSYS_FILES_H

#include <stddef.h>
#include <stdint.h>

/* An absolute name as is, else the first search directory holding something of that name
 * (opening it then says what is wrong with it); malloc'd, or NULL. */
char *files_find(const char *name, const char *const *search, size_t nsearch);
/* "dir1, dir2" for messages ("no --search directories" when empty). */
void files_search_list(char *buf, size_t len, const char *const *search, size_t nsearch);
/* Opens a regular file read-only and returns its descriptor (and its size, if size is not
 * NULL), or -1 after reporting "PATH: error: cannot open WHAT: REASON" (a directory, a device,
 * a FIFO or a socket is refused without reading from it). */
int files_open(const char *path, const char *what, size_t *size);
/* Reads the whole (regular) file into a malloc'd buffer; errors as files_open. */
int files_read(const char *path, const char *what, uint8_t **data, size_t *len);

#endif

#include "files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

char *files_find(const char *name, const char *const *search, size_t nsearch)
{
    if (name[0] == '/')
        return access(name, R_OK) ? NULL : xstrdup(name);
    for (size_t i = 0; i < nsearch; i++) {
        size_t len = strlen(search[i]) + strlen(name) + 2;
        char *p = xcalloc(1, len);
        snprintf(p, len, "%s/%s", search[i], name);
        if (!access(p, R_OK))
            return p;
        free(p);
    }
    return NULL;
}

void files_search_list(char *buf, size_t len, const char *const *search, size_t nsearch)
{
    size_t n = 0;
    buf[0] = 0;
    for (size_t i = 0; i < nsearch && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", search[i]);
    if (!nsearch)
        snprintf(buf, len, "no --search directories");
}

int files_read(const char *path, const char *what, uint8_t **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_file(path, "cannot open %s: %s", what, strerror(errno));
    size_t cap = 1 << 16, n = 0, got;
    uint8_t *p = xcalloc(1, cap);
    while ((got = fread(p + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            vec_reserve((void **)&p, &cap, cap * 2, 1);
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(p);
        return err_file(path, "cannot read %s", what);
    }
    *data = p;
    *len = n;
    return 0;
}

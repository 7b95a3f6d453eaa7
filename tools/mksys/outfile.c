#include "outfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

int write_atomic(const char *path, const void *data, size_t len)
{
    size_t n = strlen(path) + sizeof ".tmp.XXXXXX";
    char *tmp = xcalloc(1, n);
    snprintf(tmp, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int rc = err_file(path, "cannot create temporary file: %s", strerror(errno));
        free(tmp);
        return rc;
    }
    const char *p = data;
    int err = 0;
    while (len && !err) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno != EINTR)
            err = errno;
        else if (w > 0) {
            p += w;
            len -= (size_t)w;
        }
    }
    if (!err && fchmod(fd, 0644))
        err = errno;
    if (close(fd) && !err)
        err = errno;
    if (!err && rename(tmp, path))
        err = errno;
    if (err)
        unlink(tmp);
    free(tmp);
    return err ? err_file(path, "cannot write: %s", strerror(err)) : 0;
}

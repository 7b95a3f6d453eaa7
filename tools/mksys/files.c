#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

/* Present at all: an unreadable file or a directory is "found", so the error says why it
 * cannot be used instead of claiming it is missing. */
static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

char *files_find(const char *name, const char *const *search, size_t nsearch)
{
    if (name[0] == '/')
        return exists(name) ? xstrdup(name) : NULL;
    for (size_t i = 0; i < nsearch; i++) {
        size_t len = strlen(search[i]) + strlen(name) + 2;
        char *p = xcalloc(1, len);
        snprintf(p, len, "%s/%s", search[i], name);
        if (exists(p))
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

static const char *kind(mode_t m)
{
    if (S_ISDIR(m))
        return "is a directory";
    if (S_ISCHR(m) || S_ISBLK(m))
        return "is a device, not a regular file";
    if (S_ISFIFO(m))
        return "is a FIFO, not a regular file";
    return "is not a regular file";
}

int files_open(const char *path, const char *what, size_t *size)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer before fstat can refuse it. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return err_file(path, "cannot open %s: %s", what, strerror(errno));
    struct stat st;
    if (fstat(fd, &st)) {
        int e = errno;
        close(fd);
        return err_file(path, "cannot open %s: %s", what, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return err_file(path, "cannot open %s: %s", what, kind(st.st_mode));
    }
    if (size)
        *size = st.st_size > 0 ? (size_t)st.st_size : 0;
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return fd;
}

int files_read(const char *path, const char *what, uint8_t **data, size_t *len)
{
    size_t size;
    int fd = files_open(path, what, &size);
    if (fd < 0)
        return -1;
    /* Room for the size fstat gave and one byte more, so a file read whole takes one buffer;
     * the loop still reads to the end should the file have grown. */
    size_t cap = size < SIZE_MAX ? size + 1 : size, n = 0;
    uint8_t *p = xcalloc(1, cap);
    int err = 0;
    for (;;) {
        if (n == cap)
            vec_reserve((void **)&p, &cap, cap * 2, 1);
        ssize_t got = read(fd, p + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            err = errno;
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    if (err) {
        free(p);
        return err_file(path, "cannot read %s: %s", what, strerror(err));
    }
    *data = p;
    *len = n;
    return 0;
}

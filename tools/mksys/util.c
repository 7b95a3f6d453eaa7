#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
    fprintf(stderr, "mksys: out of memory\n");
    exit(1);
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p)
        oom();
    return p;
}

void vec_reserve(void **v, size_t *cap, size_t want, size_t elsize)
{
    if (want <= *cap)
        return;
    size_t ncap = *cap ? *cap * 2 : 8;
    while (ncap < want)
        ncap *= 2;
    char *p = realloc(*v, ncap * elsize);
    if (!p)
        oom();
    memset(p + *cap * elsize, 0, (ncap - *cap) * elsize);
    *v = p;
    *cap = ncap;
}

#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

static void stderr_sink(const char *msg, void *arg)
{
    (void)arg;
    fprintf(stderr, "%s\n", msg);
}

static diag_sink_fn sink = stderr_sink;
static void *sink_arg;

void diag_set_sink(diag_sink_fn fn, void *arg)
{
    sink = fn ? fn : stderr_sink;
    sink_arg = arg;
}

static int emit(const char *prefix, const char *fmt, va_list ap)
{
    char msg[1024];
    int n = snprintf(msg, sizeof msg, "%s", prefix);
    if (n < 0 || (size_t)n >= sizeof msg)
        n = 0;
    vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    sink(msg, sink_arg);
    return -1;
}

int err_at(const char *file, long line, const char *fmt, ...)
{
    char prefix[512];
    snprintf(prefix, sizeof prefix, "%s:%ld: error: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    emit(prefix, fmt, ap);
    va_end(ap);
    return -1;
}

int err_file(const char *file, const char *fmt, ...)
{
    char prefix[512];
    snprintf(prefix, sizeof prefix, "%s: error: ", file);
    va_list ap;
    va_start(ap, fmt);
    emit(prefix, fmt, ap);
    va_end(ap);
    return -1;
}

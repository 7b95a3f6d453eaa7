#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "mksys.h"

static void capture(const char *msg, void *arg)
{
    struct run_result *r = arg;
    if (!r->nerrors++)
        snprintf(r->error, sizeof r->error, "%s", msg);
}

void run_mksys_opts(const struct mksys_opts *opts, struct run_result *r)
{
    static const char *const search[] = { TEST_OUT "/no-such-dir", TEST_OUT };
    struct mksys_opts o = *opts;
    o.board = o.board ? o.board : TEST_BOARD;
    o.kernel = o.kernel ? o.kernel : TEST_KERNEL;
    if (!o.nsearch) {
        o.search = search;
        o.nsearch = 2;
    }
    memset(r, 0, sizeof *r);
    mkdir(TEST_OUT "/out", 0755);
    const char *outputs[] = { o.output, o.report, o.emit_system };
    for (size_t i = 0; i < 3; i++)
        if (outputs[i])
            unlink(outputs[i]);
    diag_set_sink(capture, r);
    r->rc = mksys_run(&o);
    diag_set_sink(NULL, NULL);
}

void run_mksys(const char *system, const char *board, const char *kernel, const char *out, const char *report,
               struct run_result *r)
{
    struct mksys_opts o = {
        .board = board, .kernel = kernel, .system = system, .output = out, .report = report
    };
    run_mksys_opts(&o, r);
}

char *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = calloc(1, (size_t)n + 1);
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    if (len)
        *len = (size_t)n;
    return p;
}

char *expand(const char *tmpl)
{
    static const char *const keys[][2] = { { "{FIX}", FIXTURES }, { "{OUT}", TEST_OUT } };
    size_t cap = strlen(tmpl) * 4 + 256;
    char *out = calloc(1, cap), *o = out;
    while (*tmpl) {
        int hit = 0;
        for (size_t k = 0; k < 2 && !hit; k++) {
            size_t kl = strlen(keys[k][0]);
            if (!strncmp(tmpl, keys[k][0], kl)) {
                o += sprintf(o, "%s", keys[k][1]);
                tmpl += kl;
                hit = 1;
            }
        }
        if (!hit)
            *o++ = *tmpl++;
    }
    return out;
}

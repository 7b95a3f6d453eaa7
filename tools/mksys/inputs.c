/* The files a system names, as a make fragment (inputs.h). The build reads it to know which PD
 * programs and guest files to make, instead of guessing from the XML's text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "inputs.h"
#include "outfile.h"
#include "sdesc.h"

/* Make splits on blanks and expands '$', '%' and friends: only these bytes pass into the fragment. */
static int make_word_ok(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-/@", *s))
            return 0;
    return 1;
}

static int check_word(const char *file, long line, const char *what, const char *path)
{
    if (make_word_ok(path))
        return 0;
    return err_at(file, line,
                  "%s path has a character the build cannot pass on (use letters, digits and _.+-/@)", what);
}

/* The fragment, built in memory: one "VAR := word word ..." line per list. */
struct words {
    char *buf;
    size_t len, cap;
};

static void add(struct words *w, const char *s)
{
    size_t n = strlen(s) + 1;
    if (w->len + n + 1 > w->cap) {
        w->cap = (w->len + n + 1) * 2;
        w->buf = realloc(w->buf, w->cap);
        if (!w->buf)
            abort();
    }
    w->buf[w->len++] = ' ';
    memcpy(w->buf + w->len, s, n); /* keeps the NUL after the last word */
    w->len += n - 1;
}

/* Whether `s` is already one of the words (each preceded by a blank). */
static int has(const struct words *w, const char *s)
{
    size_t n = strlen(s);
    for (const char *p = w->buf; p && (p = strstr(p, s)); p += n)
        if (p > w->buf && p[-1] == ' ' && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

static int collect(const char *file, const struct sd_system *sys, struct words *prog, struct words *guest)
{
    for (size_t i = 0; i < sys->pds.n; i++) {
        const struct sd_pd *pd = &sys->pds.v[i];
        if (!pd->image)
            continue;
        if (check_word(file, pd->image_line, "program_image", pd->image))
            return -1;
        if (!has(prog, pd->image))
            add(prog, pd->image);
    }
    for (size_t i = 0; i < sys->guests.n; i++) {
        const struct sd_guest *g = &sys->guests.v[i];
        const char *files[] = { g->kernel, g->initrd };
        for (unsigned k = 0; k < 2; k++) {
            if (!files[k])
                continue;
            if (check_word(file, g->line, k ? "initrd" : "kernel", files[k]))
                return -1;
            if (!has(guest, files[k]))
                add(guest, files[k]);
        }
    }
    return 0;
}

int mksys_list_inputs(const char *system, const char *out)
{
    struct sd_system sys;
    memset(&sys, 0, sizeof sys);
    struct words prog = { 0 }, guest = { 0 };
    int rc = sd_parse(system, &sys) || collect(system, &sys, &prog, &guest) ? -1 : 0;
    if (!rc) {
        size_t n = (prog.buf ? prog.len : 0) + (guest.buf ? guest.len : 0) + 128;
        char *text = malloc(n);
        if (!text)
            abort();
        int len =
            snprintf(text, n, "# made by mksys --list-inputs\nMKSYS_PROGRAMS :=%s\nMKSYS_GUEST_FILES :=%s\n",
                     prog.buf ? prog.buf : "", guest.buf ? guest.buf : "");
        rc = write_atomic(out, text, (size_t)len);
        free(text);
    }
    free(prog.buf);
    free(guest.buf);
    sd_free(&sys);
    return rc;
}

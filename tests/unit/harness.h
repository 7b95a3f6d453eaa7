/* Shared helpers for the mksys unit tests: run the library with captured errors. */
#ifndef TEST_HARNESS_H
#define TEST_HARNESS_H

#include <stddef.h>

/* Compiled in by tests/unit/build.mk. */
#ifndef FIXTURES
#define FIXTURES "tests/unit/fixtures"
#endif
#ifndef TEST_OUT
#define TEST_OUT "build/host/test"
#endif

#define TEST_BOARD  TEST_OUT "/board.dtb"
#define TEST_KERNEL TEST_OUT "/kernel.elf"

struct run_result {
    int rc;
    int nerrors;
    char error[2048]; /* the first error, as mksys would print it */
};

/* Runs mksys_run with errors captured. board/kernel NULL: the default fixtures. Search path:
 * TEST_OUT. Removes `out` first so the caller can check it was (not) written. */
void run_mksys(const char *system, const char *board, const char *kernel, const char *out, const char *report,
               struct run_result *r);

/* The same with every option of struct mksys_opts (mksys.h); NULL board, kernel or search
 * (nsearch 0) take the defaults above. */
struct mksys_opts;
void run_mksys_opts(const struct mksys_opts *opts, struct run_result *r);

/* Whole file into a malloc'd buffer (NUL-terminated), or NULL. */
char *read_whole(const char *path, size_t *len);

/* Copy of tmpl with every "{FIX}" and "{OUT}" replaced; malloc'd. */
char *expand(const char *tmpl);

#endif

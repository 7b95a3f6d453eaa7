/* Tables of broken descriptions: each case gives exactly one error, with the right file, line
 * and text, and no image is written. test_errors.c and test_limits_errors.c hold the tables. */
#ifndef TEST_ERR_CASES_H
#define TEST_ERR_CASES_H

#include <stddef.h>

struct CMUnitTest;

struct err_case {
    const char *name;   /* fixtures/err/<name>.system unless system is set */
    const char *board;  /* NULL: the default board */
    const char *kernel; /* NULL: the default kernel */
    const char *expect; /* {FIX} = fixtures dir, {OUT} = test build dir */
    const char *system; /* NULL: fixtures/err/<name>.system */
};

#define SYS(n) "{FIX}/err/" n ".system"

/* Runs every case as its own cmocka test, then the `nextra` tests of `extra`; cmocka's result. */
int run_err_cases(const char *group, const struct err_case *cases, size_t n, const struct CMUnitTest *extra,
                  size_t nextra);

#endif

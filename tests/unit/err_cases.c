/* The runner of the broken-description tables (err_cases.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "err_cases.h"
#include "harness.h"

static void run_case(void **state)
{
    const struct err_case *c = *state;
    char sys[256], out[256];
    if (c->system)
        snprintf(sys, sizeof sys, "%s", c->system);
    else
        snprintf(sys, sizeof sys, "%s/err/%s.system", FIXTURES, c->name);
    snprintf(out, sizeof out, "%s/out/err_%s.img", TEST_OUT, c->name);
    struct run_result r;
    run_mksys(sys, c->board, c->kernel, out, NULL, &r);
    char *expect = expand(c->expect);
    assert_int_equal(r.rc, -1);
    assert_int_equal(r.nerrors, 1);
    assert_string_equal(r.error, expect);
    assert_int_equal(access(out, F_OK), -1); /* nothing written */
    free(expect);
}

int run_err_cases(const char *group, const struct err_case *cases, size_t n, const struct CMUnitTest *extra,
                  size_t nextra)
{
    struct CMUnitTest *tests = calloc(n + nextra, sizeof *tests);
    if (!tests)
        return 1;
    for (size_t i = 0; i < n; i++) {
        tests[i].name = cases[i].name;
        tests[i].test_func = run_case;
        tests[i].initial_state = (void *)&cases[i];
    }
    if (nextra)
        memcpy(tests + n, extra, nextra * sizeof *tests);
    int rc = _cmocka_run_group_tests(group, tests, n + nextra, NULL, NULL);
    free(tests);
    return rc;
}

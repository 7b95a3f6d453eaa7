/* mksys --list-inputs: the make fragment naming a system's PD programs and guest files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "diag.h"
#include "harness.h"
#include "inputs.h"

#define OUT_MK TEST_OUT "/out/inputs.mk"

static char last_error[1024];
static int nerrors;

static void capture(const char *msg, void *arg)
{
    (void)arg;
    if (!nerrors++)
        snprintf(last_error, sizeof last_error, "%s", msg);
}

static char *list(const char *system, int expect_rc)
{
    unlink(OUT_MK);
    nerrors = 0;
    diag_set_sink(capture, NULL);
    int rc = mksys_list_inputs(system, OUT_MK);
    diag_set_sink(NULL, NULL);
    assert_int_equal(rc, expect_rc);
    return read_whole(OUT_MK, NULL);
}

/* Two guests share one kernel: each file is listed once, in document order. */
static void guests_and_programs(void **state)
{
    (void)state;
    char *mk = list(FIXTURES "/guest.system", 0);
    assert_non_null(mk);
    assert_string_equal(mk, "# made by mksys --list-inputs\n"
                            "MKSYS_PROGRAMS := vmm.elf\n"
                            "MKSYS_GUEST_FILES := Image rootfs.cpio.gz initrd2.img\n");
    free(mk);
}

static void native_pds_only(void **state)
{
    (void)state;
    char *mk = list(FIXTURES "/valid.system", 0);
    assert_non_null(mk);
    assert_non_null(strstr(mk, "\nMKSYS_PROGRAMS := pd.elf\n"));
    assert_non_null(strstr(mk, "\nMKSYS_GUEST_FILES :=\n"));
    free(mk);
}

/* A path make would expand or split is refused with its line; nothing is written. */
static void make_syntax_refused(void **state)
{
    (void)state;
    char *mk = list(FIXTURES "/err/list_inputs_dollar.system", -1);
    assert_null(mk);
    assert_int_equal(nerrors, 1);
    assert_string_equal(last_error,
                        FIXTURES "/err/list_inputs_dollar.system:5: error: program_image path has a "
                                 "character the build cannot pass on (use letters, digits and _.+-/@)");
}

static void broken_description_refused(void **state)
{
    (void)state;
    char *mk = list(FIXTURES "/err/unknown_element.system", -1);
    assert_null(mk);
    assert_int_equal(nerrors, 1);
    assert_non_null(strstr(last_error, "unknown element <virtual_machine> in <system>"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(guests_and_programs),
        cmocka_unit_test(native_pds_only),
        cmocka_unit_test(make_syntax_refused),
        cmocka_unit_test(broken_description_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

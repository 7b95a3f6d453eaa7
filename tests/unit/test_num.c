/* Number and boolean syntax of the system description. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "num.h"

static void accepts_decimal_hex_and_underscores(void **state)
{
    (void)state;
    uint64_t v;
    assert_int_equal(parse_u64("0", &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(parse_u64("4096", &v), 0);
    assert_int_equal(v, 4096);
    assert_int_equal(parse_u64("0x10_000", &v), 0);
    assert_int_equal(v, 0x10000);
    assert_int_equal(parse_u64("0XfF", &v), 0);
    assert_int_equal(v, 255);
    assert_int_equal(parse_u64("1_000_000", &v), 0);
    assert_int_equal(v, 1000000);
    assert_int_equal(parse_u64("0xffffffffffffffff", &v), 0);
    assert_true(v == UINT64_MAX);
}

static void rejects_malformed_numbers(void **state)
{
    (void)state;
    uint64_t v;
    const char *bad[] = { "",
                          "0x",
                          "-1",
                          "12a",
                          "0x1g",
                          "_1",
                          "1_",
                          "1__0",
                          "0x_1",
                          " 1",
                          "1 ",
                          "0x10000000000000000",
                          "18446744073709551616" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(parse_u64(bad[i], &v), -1);
}

static void booleans_are_exactly_true_or_false(void **state)
{
    (void)state;
    bool b = false;
    assert_int_equal(parse_bool("true", &b), 0);
    assert_true(b);
    assert_int_equal(parse_bool("false", &b), 0);
    assert_false(b);
    assert_int_equal(parse_bool("True", &b), -1);
    assert_int_equal(parse_bool("1", &b), -1);
    assert_int_equal(parse_bool("", &b), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_decimal_hex_and_underscores),
        cmocka_unit_test(rejects_malformed_numbers),
        cmocka_unit_test(booleans_are_exactly_true_or_false),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

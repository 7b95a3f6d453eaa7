/* bulk_copy / bulk_zero against memcpy / memset for every alignment and short lengths. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bulk.h"

#define LEN 600

static void copy_matches_memcpy(void **state)
{
    (void)state;
    static uint8_t src[LEN + 64], dst[LEN + 64], want[LEN + 64];
    for (size_t i = 0; i < sizeof(src); i++)
        src[i] = (uint8_t)(i * 13 + 7);
    for (unsigned so = 0; so < 17; so++)
        for (unsigned doff = 0; doff < 17; doff++)
            for (unsigned n = 0; n < LEN; n += (n < 140 ? 1 : 37)) {
                memset(dst, 0xcc, sizeof(dst));
                memset(want, 0xcc, sizeof(want));
                memcpy(want + doff, src + so, n);
                bulk_copy(dst + doff, src + so, n);
                assert_memory_equal(dst, want, sizeof(dst));
            }
}

static void zero_matches_memset(void **state)
{
    (void)state;
    static uint8_t dst[LEN + 64], want[LEN + 64];
    for (unsigned off = 0; off < 17; off++)
        for (unsigned n = 0; n < LEN; n += (n < 140 ? 1 : 37)) {
            memset(dst, 0xcc, sizeof(dst));
            memset(want, 0xcc, sizeof(want));
            memset(want + off, 0, n);
            bulk_zero(dst + off, n);
            assert_memory_equal(dst, want, sizeof(dst));
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(copy_matches_memcpy),
        cmocka_unit_test(zero_matches_memset),
    };
    return cmocka_run_group_tests_name("bulk", tests, NULL, NULL);
}

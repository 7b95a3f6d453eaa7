/* insn_class: the instruction classes named in ISV=0 diagnostics, from real encodings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "insn.h"

static void names_each_class(void **state)
{
    (void)state;
    assert_string_equal(insn_class(0xa9000440), "load/store pair (LDP/STP)"); /* stp x0, x1, [x2] */
    assert_string_equal(insn_class(0xa9400440), "load/store pair (LDP/STP)"); /* ldp x0, x1, [x2] */
    assert_string_equal(insn_class(0xf8008420),
                        "load/store with writeback (pre/post-indexed)"); /* str x0, [x1], #8 */
    assert_string_equal(insn_class(0xf8408c20),
                        "load/store with writeback (pre/post-indexed)"); /* ldr x0, [x1, #8]! */
    assert_string_equal(insn_class(0xc85f7c20),
                        "load/store exclusive or ordered (LDXR/STXR family)");        /* ldxr x0, [x1] */
    assert_string_equal(insn_class(0x3dc00000), "SIMD/FP register load/store");       /* ldr q0, [x0] */
    assert_string_equal(insn_class(0xf8200020), "atomic memory operation (LSE)");     /* ldadd x0, x0, [x1] */
    assert_string_equal(insn_class(0xd50b7420), "cache maintenance or DC ZVA (SYS)"); /* dc zva, x0 */
    assert_string_equal(insn_class(0xf9400020), "load/store");                        /* ldr x0, [x1] */
    assert_string_equal(insn_class(0xd503201f), "not a load or store");               /* nop */
    assert_string_equal(insn_class(0), "instruction not readable");
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(names_each_class) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

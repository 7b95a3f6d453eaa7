/* Every vGIC line names its guest ("vmm: guest 'NAME': vgic: ..."), across a reset too. */
#include <stdio.h>
#include <unistd.h>

#include "test_vgic_fake.h"

static char out[4096];

/* What the vGIC printed (to stdout) while running fn. */
static const char *captured(void (*fn)(void))
{
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    FILE *tmp = tmpfile();
    if (tmp == NULL || saved < 0) {
        fail_msg("cannot capture stdout");
        return "";
    }
    assert_true(dup2(fileno(tmp), STDOUT_FILENO) >= 0);
    fn();
    fflush(stdout);
    assert_true(dup2(saved, STDOUT_FILENO) >= 0);
    close(saved);
    rewind(tmp);
    size_t n = fread(out, 1, sizeof(out) - 1, tmp);
    out[n] = '\0';
    fclose(tmp);
    return out;
}

static void odd_read(void)
{
    assert_int_equal(rd32(GICD + 0x5000), 0); /* not implemented: one line */
}

static void bad_raise(void)
{
    vgic_raise(&g, 0, 5000);
}

static void init9(void)
{
    vgic_init(&g, GICD, GICR, 9);
}

static void lines_carry_the_name(void **state)
{
    (void)state;
    vgic_set_name(&g, "alpha");
    assert_string_equal(captured(odd_read), "vmm: guest 'alpha': vgic: GICD 4-byte read at +0x5000: not "
                                            "implemented, reads as zero\n");
    assert_string_equal(captured(bad_raise),
                        "vmm: guest 'alpha': vgic: raise of INTID 5000 on vCPU 0: no such "
                        "interrupt or vCPU, dropped\n");
    /* a reboot's vgic_init keeps the name (and forgets what was logged) */
    vgic_init(&g, GICD, GICR, 2);
    assert_string_equal(captured(odd_read), "vmm: guest 'alpha': vgic: GICD 4-byte read at +0x5000: not "
                                            "implemented, reads as zero\n");
}

static void long_and_missing_names(void **state)
{
    (void)state;
    char longname[100];
    memset(longname, 'x', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    vgic_set_name(&g, longname);
    assert_int_equal(strlen(g.name), VGIC_NAME_LEN - 1);
    vgic_set_name(&g, NULL);
    vgic_init(&g, GICD, GICR, 2);
    assert_string_equal(captured(odd_read), "vmm: guest '?': vgic: GICD 4-byte read at +0x5000: not "
                                            "implemented, reads as zero\n");
}

static void init_message_has_the_name(void **state)
{
    (void)state;
    vgic_set_name(&g, "beta");
    static const char *expected = "vmm: guest 'beta': vgic: 9 vCPUs requested, supporting 1..8; using 8\n";
    assert_string_equal(captured(init9), expected);
    assert_int_equal(g.num_vcpus, VGIC_MAX_VCPUS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(lines_carry_the_name, reset),
        cmocka_unit_test_setup(long_and_missing_names, reset),
        cmocka_unit_test_setup(init_message_has_the_name, reset),
    };
    return cmocka_run_group_tests_name("vgic_names", tests, NULL, NULL);
}

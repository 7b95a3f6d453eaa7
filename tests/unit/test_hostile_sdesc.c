/* Hostile system descriptions and file arguments (issue 6, classes 5 and 7): names that would
 * become paths or break the emitted XML, namespaced attributes, special files and directories
 * given as inputs, and a guest RAM base near 2^64. Each gives one clear error and no output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness.h"
#include "mksys.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<system>\n"
#define VMM_PD(vm)                                                                                           \
    "    <protection_domain name=\"vmm\" priority=\"200\">\n"                                                \
    "        <program_image path=\"vmm.elf\" />\n" vm "    </protection_domain>\n</system>\n"
#define OUT_IMG TEST_OUT "/out/hostile.img"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Writes TEST_OUT/h_<name>.system and returns its path (static buffer). */
static const char *sysfile(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/h_%s.system", TEST_OUT, name);
    write_file(path, text);
    return path;
}

static void expect_opts(struct mksys_opts *o, const char *expect)
{
    struct run_result r;
    o->output = OUT_IMG;
    run_mksys_opts(o, &r);
    assert_int_equal(r.rc, -1);
    assert_int_equal(r.nerrors, 1);
    assert_string_equal(r.error, expect);
    assert_int_equal(access(OUT_IMG, F_OK), -1);
}

/* The system `text` (as h_<name>.system) fails with "<its path><rest>". */
static void expect(const char *name, const char *text, const char *rest)
{
    struct mksys_opts o = { .system = sysfile(name, text) };
    char want[1024];
    snprintf(want, sizeof want, "%s%s", o.system, rest);
    expect_opts(&o, want);
}

static void pd_name_with_slash(void **state)
{
    (void)state;
    expect("pd_slash",
           HEAD "    <protection_domain name=\"../x\">\n        <program_image path=\"pd.elf\" />\n"
                "    </protection_domain>\n</system>\n",
           ":3: error: protection domain name '../x' may only use letters, digits, '_', '.', '-' and '@', "
           "and may not start with '.' or '-'");
}

static void region_name_empty(void **state)
{
    (void)state;
    expect("mr_empty", HEAD "    <memory_region name=\"\" size=\"0x1000\" />\n</system>\n",
           ":3: error: memory region name '' must be 1..255 characters");
}

static void region_name_starting_with_dash(void **state)
{
    (void)state;
    expect("mr_dash", HEAD "    <memory_region name=\"-x\" size=\"0x1000\" />\n</system>\n",
           ":3: error: memory region name '-x' may only use letters, digits, '_', '.', '-' and '@', "
           "and may not start with '.' or '-'");
}

/* A VM name is the --emit-dtb file name: ../../x would be written two directories up. */
static void vm_name_escapes_emit_dtb_dir(void **state)
{
    (void)state;
    mkdir(TEST_OUT "/out/h_dtbs", 0755);
    unlink(TEST_OUT "/h_escape.dtb");
    struct mksys_opts o = {
        .system = sysfile(
            "vm_path", HEAD VMM_PD("        <linux_vm name=\"../../h_escape\" priority=\"100\" "
                                   "ram_base=\"0x40000000\" ram_size=\"0x1000000\" kernel=\"Image\" />\n")),
        .emit_dtb = TEST_OUT "/out/h_dtbs",
    };
    char want[512];
    snprintf(
        want, sizeof want,
        "%s:5: error: virtual machine name '../../h_escape' may only use letters, digits, '_', '.', '-' and "
        "'@', and may not start with '.' or '-'",
        o.system);
    expect_opts(&o, want);
    assert_int_equal(access(TEST_OUT "/h_escape.dtb", F_OK), -1);
}

static void vm_name_with_quote(void **state)
{
    (void)state;
    expect("vm_quote",
           HEAD VMM_PD("        <virtual_machine name=\"a&quot;b\" priority=\"100\"><vcpu id=\"0\" />"
                       "</virtual_machine>\n"),
           ":5: error: virtual machine name 'a\"b' may only use letters, digits, '_', '.', '-' and '@', "
           "and may not start with '.' or '-'");
}

/* "--" is allowed in a name; the emitted system (with the name in comments) must read back. */
static void double_dash_name_round_trips(void **state)
{
    (void)state;
    const char *emitted = TEST_OUT "/out/h_dashes_emitted.system";
    struct mksys_opts o = {
        .system = sysfile(
            "dashes", HEAD VMM_PD("        <linux_vm name=\"a--b-\" priority=\"100\" "
                                  "ram_base=\"0x40000000\" ram_size=\"0x1000000\" kernel=\"Image\" />\n")),
        .emit_system = emitted,
        .output = OUT_IMG,
    };
    struct run_result r;
    run_mksys_opts(&o, &r);
    assert_string_equal(r.error, "");
    assert_int_equal(r.rc, 0);
    struct mksys_opts again = { .system = emitted, .output = OUT_IMG };
    run_mksys_opts(&again, &r);
    assert_string_equal(r.error, "");
    assert_int_equal(r.rc, 0);
}

/* foo:name would otherwise be read as name (libxml2's xmlGetProp ignores namespaces). */
static void namespaced_attribute(void **state)
{
    (void)state;
    expect(
        "ns_attr",
        HEAD
        "    <memory_region xmlns:foo=\"urn:x\" name=\"a\" foo:name=\"b\" size=\"0x1000\" />\n</system>\n",
        ":3: error: attribute 'foo:name' on <memory_region> has a namespace; system descriptions use none");
}

static void namespaced_element(void **state)
{
    (void)state;
    expect("ns_elem",
           HEAD "    <foo:memory_region xmlns:foo=\"urn:x\" name=\"a\" size=\"0x1000\" />\n</system>\n",
           ":3: error: element <memory_region> in <system> has a namespace; system descriptions use none");
}

static const char *guest_with(const char *name, const char *kernel, const char *initrd)
{
    static char text[1024];
    snprintf(text, sizeof text,
             HEAD VMM_PD("        <linux_vm name=\"linux\" priority=\"100\" ram_base=\"0x40000000\" "
                         "ram_size=\"0x1000000\" kernel=\"%s\"%s%s%s />\n"),
             kernel, initrd ? " initrd=\"" : "", initrd ? initrd : "", initrd ? "\"" : "");
    return sysfile(name, text);
}

static void device_as_guest_kernel(void **state)
{
    (void)state;
    struct mksys_opts o = { .system = guest_with("kernel_dev", "/dev/zero", NULL) };
    expect_opts(&o, "/dev/zero: error: cannot open kernel: is a device, not a regular file");
}

static void directory_as_guest_initrd(void **state)
{
    (void)state;
    mkdir(TEST_OUT "/h_dir.img", 0755);
    struct mksys_opts o = { .system = guest_with("initrd_dir", "Image", "h_dir.img") };
    expect_opts(&o, TEST_OUT "/h_dir.img: error: cannot open initrd: is a directory");
}

static void fifo_as_program(void **state)
{
    (void)state;
    unlink(TEST_OUT "/h_fifo.elf");
    assert_int_equal(mkfifo(TEST_OUT "/h_fifo.elf", 0644), 0);
    struct mksys_opts o = { .system =
                                sysfile("pd_fifo", HEAD "    <protection_domain name=\"a\">\n"
                                                        "        <program_image path=\"h_fifo.elf\" />\n"
                                                        "    </protection_domain>\n</system>\n") };
    expect_opts(&o, TEST_OUT "/h_fifo.elf: error: cannot open ELF file: is a FIFO, not a regular file");
}

static void directory_as_kernel(void **state)
{
    (void)state;
    struct mksys_opts o = { .system = FIXTURES "/valid.system", .kernel = TEST_OUT };
    expect_opts(&o, TEST_OUT ": error: cannot open ELF file: is a directory");
}

static void directory_as_board(void **state)
{
    (void)state;
    struct mksys_opts o = { .system = FIXTURES "/valid.system", .board = TEST_OUT };
    expect_opts(&o, TEST_OUT ": error: cannot open device tree: is a directory");
}

static void directory_as_system(void **state)
{
    (void)state;
    struct mksys_opts o = { .system = TEST_OUT };
    expect_opts(&o, TEST_OUT ": error: cannot open system description: is a directory");
}

/* Any other reason a file cannot be opened is given as strerror says it. */
static void board_under_a_file(void **state)
{
    (void)state;
    struct mksys_opts o = { .system = FIXTURES "/valid.system", .board = TEST_BOARD "/x" };
    expect_opts(&o, TEST_BOARD "/x: error: cannot open device tree: Not a directory");
}

/* A regular file that cannot be read (at offset 0 /proc/self/mem gives EIO, even to root). */
static void board_unreadable(void **state)
{
    (void)state;
    struct mksys_opts o = { .system = FIXTURES "/valid.system", .board = "/proc/self/mem" };
    expect_opts(&o, "/proc/self/mem: error: cannot read device tree: Input/output error");
}

static void ram_base_near_top_blames_ram_base(void **state)
{
    (void)state;
    expect("ram_top",
           HEAD VMM_PD("        <linux_vm name=\"linux\" priority=\"100\" ram_base=\"0xffffffffffe00000\" "
                       "ram_size=\"0x1000000\" kernel=\"Image\" />\n"),
           ":5: error: guest 'linux': ram_base 0xffffffffffe00000 with ram_size 0x1000000 extends past the "
           "48-bit address space");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pd_name_with_slash),
        cmocka_unit_test(region_name_empty),
        cmocka_unit_test(region_name_starting_with_dash),
        cmocka_unit_test(vm_name_escapes_emit_dtb_dir),
        cmocka_unit_test(vm_name_with_quote),
        cmocka_unit_test(double_dash_name_round_trips),
        cmocka_unit_test(namespaced_attribute),
        cmocka_unit_test(namespaced_element),
        cmocka_unit_test(device_as_guest_kernel),
        cmocka_unit_test(directory_as_guest_initrd),
        cmocka_unit_test(fifo_as_program),
        cmocka_unit_test(directory_as_kernel),
        cmocka_unit_test(directory_as_board),
        cmocka_unit_test(directory_as_system),
        cmocka_unit_test(board_under_a_file),
        cmocka_unit_test(board_unreadable),
        cmocka_unit_test(ram_base_near_top_blames_ram_base),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

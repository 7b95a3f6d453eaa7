/* CPU placement: the board's cores and PSCI conduit from its device tree into the sysimg
 * header, each PD's and vCPU's `cpu` (given or by default) into its PD-table entry, the report,
 * and --emit-system reading back to the same placement. Broken cpu nodes and PSCI: one error
 * naming the DTB. The out-of-range `cpu` errors are in test_errors.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <libfdt.h>

#include "board.h"
#include "diag.h"
#include "harness.h"
#include "imgread.h"
#include "mksys.h"

#define SMP2       TEST_OUT "/board_smp2.dtb"
#define SMP4       TEST_OUT "/board_smp4.dtb"
#define OUT_IMG    TEST_OUT "/out/cpus.img"
#define OUT_REPORT TEST_OUT "/out/cpus.txt"
#define OUT_EMIT   TEST_OUT "/out/cpus_expanded.system"

static struct img img; /* fixtures/cpus.system on the four-core board */

static int setup(void **state)
{
    (void)state;
    struct mksys_opts o = { .system = FIXTURES "/cpus.system",
                            .board = SMP4,
                            .output = OUT_IMG,
                            .report = OUT_REPORT,
                            .emit_system = OUT_EMIT };
    return img_build(&img, &o);
}

static int teardown(void **state)
{
    (void)state;
    img_free(&img);
    return 0;
}

static uint32_t cpu_of(const struct img *i, const char *name)
{
    const struct sysimg_pd *pd = img_pd(i, name);
    if (!pd)
        fail_msg("no PD-table entry '%s'", name);
    return pd->cpu;
}

static void header_of_four_cores(void **state)
{
    (void)state;
    assert_int_equal(img.h->version, 8);
    assert_int_equal(img.h->num_cpus, 4);
    assert_int_equal(img.h->psci_conduit, SYSIMG_PSCI_SMC);
    /* tree order; the l2-cache node and cpu-map are no cores; two-cell reg keeps Aff3 */
    const uint64_t mpidr[SYS_MAX_CPUS] = { 0x0, 0x1, 0x100, 0x100000000ull };
    for (unsigned k = 0; k < SYS_MAX_CPUS; k++)
        if (img.h->cpu_mpidr[k] != mpidr[k])
            fail_msg("cpu_mpidr[%u] is 0x%llx, not 0x%llx", k, (unsigned long long)img.h->cpu_mpidr[k],
                     (unsigned long long)mpidr[k]);
}

static void placement_of_pds_and_vcpus(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        uint32_t cpu;
    } want[] = {
        { "vmm", 2 },
        { "child", 3 },
        { "vmm2", 1 },
        { "vmm3", 3 },
        { "plain", 0 },
        /* <linux_vm vcpus="3">, its VMM on core 2: one per core from there, wrapping */
        { "spread:0", 2 },
        { "spread:1", 3 },
        { "spread:2", 0 },
        /* cpus="3, 0 ,1  1": commas and spaces, two vCPUs on one core */
        { "pinned:0", 3 },
        { "pinned:1", 0 },
        { "pinned:2", 1 },
        { "pinned:3", 1 },
        /* <vcpu> without cpu: its VMM's core */
        { "low:0", 3 },
        { "low:1", 0 },
        { "low:2", 3 },
    };
    assert_int_equal(img.h->num_pds, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (cpu_of(&img, want[i].name) != want[i].cpu)
            fail_msg("'%s' is on core %u, not %u", want[i].name, cpu_of(&img, want[i].name), want[i].cpu);
}

static void report_shows_cores_and_placement(void **state)
{
    (void)state;
    char *text = read_whole(OUT_REPORT, NULL);
    assert_non_null(text);
    const char *needles[] = {
        "  cores        4, PSCI conduit smc (the kernel starts cores 1.. with CPU_ON)\n",
        "  core 0       MPIDR 0x0 (the boot core)\n",
        "  core 2       MPIDR 0x100\n",
        "  core 3       MPIDR 0x100000000\n",
        "PD 1 'child': priority 150, core 3, child id 5 of 'vmm', ",
        "PD 4 'plain': priority 1, core 0, ",
        "  cores        vCPU 0 on core 2, vCPU 1 on core 3, vCPU 2 on core 0\n",
        "  cores        vCPU 0 on core 3, vCPU 1 on core 0, vCPU 2 on core 1, vCPU 3 on core 1\n",
    };
    for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++)
        if (!strstr(text, needles[i]))
            fail_msg("report lacks \"%s\":\n%s", needles[i], text);
    free(text);
}

/* The emitted low-level file names each non-default core and reads back to the same placement. */
static void emitted_system_keeps_placement(void **state)
{
    (void)state;
    char *text = read_whole(OUT_EMIT, NULL);
    assert_non_null(text);
    const char *needles[] = {
        "<protection_domain name=\"vmm\" priority=\"200\" stack_size=\"0x4000\" cpu=\"2\">",
        "<protection_domain name=\"child\" priority=\"150\" stack_size=\"0x4000\" id=\"5\" cpu=\"3\">",
        "<protection_domain name=\"plain\" priority=\"1\" stack_size=\"0x4000\">",
        "<vcpu id=\"0\" />\n            <vcpu id=\"1\" cpu=\"3\" />\n            <vcpu id=\"2\" cpu=\"0\" />",
        "<vcpu id=\"0\" cpu=\"3\" />\n            <vcpu id=\"1\" cpu=\"0\" />",
    };
    for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++)
        if (!strstr(text, needles[i]))
            fail_msg("emitted system lacks \"%s\":\n%s", needles[i], text);
    free(text);
    struct img again;
    struct mksys_opts o = { .system = OUT_EMIT, .board = SMP4, .output = TEST_OUT "/out/cpus_reemit.img" };
    assert_int_equal(img_build(&again, &o), 0);
    assert_int_equal(again.h->num_pds, img.h->num_pds);
    for (uint32_t i = 0; i < img.h->num_pds; i++) /* VMs come in document order now */
        assert_int_equal(cpu_of(&again, img.pds[i].name), img.pds[i].cpu);
    assert_memory_equal(again.h->cpu_mpidr, img.h->cpu_mpidr, sizeof img.h->cpu_mpidr);
    assert_int_equal(again.h->num_cpus, 4);
    img_free(&again);
}

/* TEST_OUT/c_<name>.system with `text`; its path (static buffer). */
static const char *sysfile(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/c_%s.system", TEST_OUT, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* Without <linux_vm> nothing is stored outside the description: the emitted file must give
 * the very same image. */
static void low_level_round_trip_is_byte_identical(void **state)
{
    (void)state;
    const char *sys =
        sysfile("low", "<system>\n"
                       "  <memory_region name=\"ram\" size=\"0x200000\" page_size=\"0x200000\" />\n"
                       "  <protection_domain name=\"vmm\" priority=\"200\" cpu=\"1\">\n"
                       "    <program_image path=\"pd.elf\" />\n"
                       "    <protection_domain name=\"kid\" priority=\"150\" id=\"4\" cpu=\"0\">\n"
                       "      <program_image path=\"pd.elf\" />\n"
                       "    </protection_domain>\n"
                       "    <virtual_machine name=\"vm\" priority=\"100\">\n"
                       "      <vcpu id=\"0\" /> <vcpu id=\"1\" cpu=\"0\" /> <vcpu id=\"2\" cpu=\"1\" />\n"
                       "      <map mr=\"ram\" vaddr=\"0x40000000\" perms=\"rwx\" />\n"
                       "    </virtual_machine>\n"
                       "  </protection_domain>\n"
                       "</system>\n");
    const char *emitted = TEST_OUT "/out/cpus_low_emitted.system";
    struct run_result r;
    struct mksys_opts o = {
        .system = sys, .board = SMP2, .output = TEST_OUT "/out/cpus_low.img", .emit_system = emitted
    };
    run_mksys_opts(&o, &r);
    assert_string_equal(r.error, "");
    struct mksys_opts again = { .system = emitted, .board = SMP2, .output = TEST_OUT "/out/cpus_low2.img" };
    run_mksys_opts(&again, &r);
    assert_string_equal(r.error, "");
    size_t n1, n2;
    char *a = read_whole(TEST_OUT "/out/cpus_low.img", &n1),
         *b = read_whole(TEST_OUT "/out/cpus_low2.img", &n2);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    free(a);
    free(b);
    struct img i;
    assert_int_equal(img_load(&i, TEST_OUT "/out/cpus_low2.img"), 0);
    assert_int_equal(cpu_of(&i, "vmm"), 1);
    assert_int_equal(cpu_of(&i, "kid"), 0);
    assert_int_equal(cpu_of(&i, "vm:0"), 1);
    assert_int_equal(cpu_of(&i, "vm:1"), 0);
    assert_int_equal(cpu_of(&i, "vm:2"), 1);
    img_free(&i);
}

/* A <linux_vm vcpus="n"> whose VMM is on core vmm_cpu, built on board; the cores of its vCPUs. */
static void guest_cores(const char *board, unsigned vmm_cpu, unsigned n, uint32_t *cpu, struct img *out)
{
    char text[1024];
    snprintf(text, sizeof text,
             "<system>\n"
             "  <protection_domain name=\"vmm\" priority=\"200\" cpu=\"%u\">\n"
             "    <program_image path=\"vmm.elf\" />\n"
             "    <linux_vm name=\"g\" priority=\"100\" ram_base=\"0x40000000\" ram_size=\"0x1000000\"\n"
             "              kernel=\"Image\" vcpus=\"%u\" />\n"
             "  </protection_domain>\n"
             "</system>\n",
             vmm_cpu, n);
    struct mksys_opts o = { .system = sysfile("guest", text),
                            .board = board,
                            .output = TEST_OUT "/out/cpus_guest.img" };
    assert_int_equal(img_build(out, &o), 0);
    for (unsigned k = 0; k < n; k++) {
        char name[16];
        snprintf(name, sizeof name, "g:%u", k);
        cpu[k] = cpu_of(out, name);
    }
}

static void linux_vm_defaults(void **state)
{
    (void)state;
    struct img i;
    uint32_t c[3];
    /* two cores, two vCPUs: one on each, from the VMM's core on */
    guest_cores(SMP2, 0, 2, c, &i);
    assert_true(c[0] == 0 && c[1] == 1);
    assert_int_equal(i.h->num_cpus, 2);
    assert_int_equal(i.h->psci_conduit, SYSIMG_PSCI_SMC);
    assert_true(i.h->cpu_mpidr[0] == 0 && i.h->cpu_mpidr[1] == 1 && i.h->cpu_mpidr[2] == 0);
    img_free(&i);
    guest_cores(SMP2, 1, 2, c, &i);
    assert_true(c[0] == 1 && c[1] == 0);
    img_free(&i);
    /* more vCPUs than cores: all on the VMM's */
    guest_cores(SMP2, 1, 3, c, &i);
    assert_true(c[0] == 1 && c[1] == 1 && c[2] == 1);
    img_free(&i);
    /* one core: all on it; no PSCI needed, but the tree's method is passed on */
    guest_cores(TEST_BOARD, 0, 2, c, &i);
    assert_true(c[0] == 0 && c[1] == 0);
    assert_int_equal(i.h->num_cpus, 1);
    assert_int_equal(i.h->psci_conduit, SYSIMG_PSCI_SMC);
    assert_int_equal(img_pd(&i, "vmm")->cpu, 0);
    img_free(&i);
}

/* --- the board's cores from its tree --- */

static char last_error[1024];

static void capture(const char *msg, void *arg)
{
    (void)arg;
    snprintf(last_error, sizeof last_error, "%s", msg);
}

struct blob {
    char path[256];
    void *fdt;
};

/* A copy of the tree src (the two-core board by default), opened with room to edit. */
static void blob_open_from(struct blob *b, const char *name, const char *src)
{
    snprintf(b->path, sizeof b->path, "%s/c_%s.dtb", TEST_OUT, name);
    size_t len;
    char *orig = read_whole(src, &len);
    assert_non_null(orig);
    b->fdt = calloc(1, len + 0x4000);
    assert_int_equal(fdt_open_into(orig, b->fdt, (int)len + 0x4000), 0);
    free(orig);
}

static void blob_open(struct blob *b, const char *name)
{
    blob_open_from(b, name, SMP2);
}

static int blob_node(struct blob *b, const char *path)
{
    int n = fdt_path_offset(b->fdt, path);
    assert_true(n >= 0);
    return n;
}

static void blob_save(struct blob *b)
{
    assert_int_equal(fdt_pack(b->fdt), 0);
    FILE *f = fopen(b->path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b->fdt, 1, fdt_totalsize(b->fdt), f), fdt_totalsize(b->fdt));
    fclose(f);
    free(b->fdt);
}

/* board_load of the edited blob fails with "<its path>: error: <msg>". */
static void expect_board_error(struct blob *b, const char *msg)
{
    blob_save(b);
    struct board brd;
    last_error[0] = 0;
    diag_set_sink(capture, NULL);
    int rc = board_load(b->path, &brd);
    diag_set_sink(NULL, NULL);
    board_free(&brd);
    char want[1024];
    snprintf(want, sizeof want, "%s: error: %s", b->path, msg);
    assert_int_equal(rc, -1);
    assert_string_equal(last_error, want);
}

static void two_and_four_core_boards(void **state)
{
    (void)state;
    struct board b;
    assert_int_equal(board_load(SMP2, &b), 0);
    assert_int_equal(b.num_cpus, 2);
    assert_int_equal(b.psci_conduit, SYSIMG_PSCI_SMC);
    assert_true(b.mpidr[0] == 0 && b.mpidr[1] == 1);
    board_free(&b);
    assert_int_equal(board_load(SMP4, &b), 0);
    assert_int_equal(b.num_cpus, 4);
    assert_int_equal(b.psci_conduit, SYSIMG_PSCI_SMC);
    assert_true(b.mpidr[2] == 0x100 && b.mpidr[3] == 0x100000000ull);
    board_free(&b);
    /* QEMU's own tree (-smp 4): reg = core number, PSCI over SMC (EL3 absent, EL2 present) */
    assert_int_equal(board_load(TEST_OUT "/qemu_virt_smp4.dtb", &b), 0);
    assert_int_equal(b.num_cpus, 4);
    assert_int_equal(b.psci_conduit, SYSIMG_PSCI_SMC);
    for (unsigned k = 0; k < 4; k++)
        assert_true(b.mpidr[k] == k);
    board_free(&b);
    /* the i.MX-like fixture has neither /cpus nor /psci: one core, no conduit */
    assert_int_equal(board_load(TEST_OUT "/board_imx.dtb", &b), 0);
    assert_int_equal(b.num_cpus, 1);
    assert_int_equal(b.psci_conduit, SYSIMG_PSCI_NONE);
    assert_true(b.mpidr[0] == 0);
    board_free(&b);
}

static void eight_cores_but_not_nine(void **state)
{
    (void)state;
    struct blob b = { .fdt = NULL };
    blob_open(&b, "cpus8");
    int cpus = blob_node(&b, "/cpus");
    for (unsigned k = 7; k >= 2; k--) { /* libfdt adds a node first: add the last one first */
        char name[16];
        snprintf(name, sizeof name, "cpu@%u", k);
        int n = fdt_add_subnode(b.fdt, cpus, name);
        assert_true(n >= 0);
        assert_int_equal(fdt_setprop_string(b.fdt, n, "device_type", "cpu"), 0);
        assert_int_equal(fdt_setprop_u32(b.fdt, n, "reg", k), 0);
        cpus = blob_node(&b, "/cpus");
    }
    blob_save(&b);
    struct board brd;
    assert_int_equal(board_load(b.path, &brd), 0);
    assert_int_equal(brd.num_cpus, 8);
    for (unsigned k = 0; k < 8; k++) /* tree order: the added nodes come before cpu-map, cpu@0, cpu@1 */
        assert_true(brd.mpidr[k] == (k + 2) % 8);
    board_free(&brd);
    char eight[256];
    snprintf(eight, sizeof eight, "%s", b.path);
    blob_open_from(&b, "cpus9", eight);
    int n = fdt_add_subnode(b.fdt, blob_node(&b, "/cpus"), "cpu@8");
    assert_true(n >= 0);
    assert_int_equal(fdt_setprop_string(b.fdt, n, "device_type", "cpu"), 0);
    assert_int_equal(fdt_setprop_u32(b.fdt, n, "reg", 8), 0);
    expect_board_error(&b, "/cpus has more than 8 cpu nodes, the most the kernel supports");
}

static void psci_missing_or_unknown(void **state)
{
    (void)state;
    struct board brd;
    const char *nopsci = TEST_OUT "/board_smp2_nopsci.dtb";
    diag_set_sink(capture, NULL);
    int rc = board_load(nopsci, &brd);
    diag_set_sink(NULL, NULL);
    board_free(&brd);
    assert_int_equal(rc, -1);
    assert_string_equal(last_error, TEST_OUT "/board_smp2_nopsci.dtb: error: 2 cores but /psci has no method "
                                             "(\"smc\" or \"hvc\")");
    struct blob b = { .fdt = NULL };
    blob_open(&b, "psci_foo");
    assert_int_equal(fdt_setprop_string(b.fdt, blob_node(&b, "/psci"), "method", "foo"), 0);
    expect_board_error(&b, "2 cores but /psci method \"foo\" is neither \"smc\" nor \"hvc\"");
    blob_open(&b, "psci_hvc"); /* an HVC from EL2 would trap to the kernel itself */
    assert_int_equal(fdt_setprop_string(b.fdt, blob_node(&b, "/psci"), "method", "hvc"), 0);
    expect_board_error(&b, "2 cores but /psci method \"hvc\": the kernel runs at EL2, where only an SMC "
                           "reaches the firmware");
    blob_open(&b, "psci_none");
    assert_int_equal(fdt_del_node(b.fdt, blob_node(&b, "/psci")), 0);
    expect_board_error(&b, "2 cores but no /psci node: the kernel starts cores through PSCI");
    blob_open(&b, "psci_raw");
    assert_int_equal(fdt_setprop(b.fdt, blob_node(&b, "/psci"), "method", "smc", 3), 0); /* no NUL */
    expect_board_error(&b, "2 cores but /psci has no method (\"smc\" or \"hvc\")");
}

static void broken_cpu_nodes(void **state)
{
    (void)state;
    struct blob b = { .fdt = NULL };
    blob_open(&b, "spin_table");
    assert_int_equal(fdt_setprop_string(b.fdt, blob_node(&b, "/cpus/cpu@1"), "enable-method", "spin-table"),
                     0);
    expect_board_error(&b,
                       "cpu node 'cpu@1': enable-method \"spin-table\" is not \"psci\" (the kernel starts "
                       "the board's other cores through PSCI)");
    blob_open(&b, "same_mpidr");
    assert_int_equal(fdt_setprop_u32(b.fdt, blob_node(&b, "/cpus/cpu@1"), "reg", 0), 0);
    expect_board_error(&b, "cpu node 'cpu@1': MPIDR 0x0 is also core 0's");
    blob_open(&b, "mpidr_bits");
    assert_int_equal(fdt_setprop_u32(b.fdt, blob_node(&b, "/cpus/cpu@1"), "reg", 0x81000000u), 0);
    expect_board_error(
        &b, "cpu node 'cpu@1': reg 0x81000000 has bits outside the MPIDR affinity fields (0xff00ffffff)");
    blob_open(&b, "reg_long");
    assert_int_equal(fdt_setprop_u64(b.fdt, blob_node(&b, "/cpus/cpu@1"), "reg", 1), 0);
    expect_board_error(&b, "cpu node 'cpu@1': reg must be one 1-cell MPIDR affinity value");
    blob_open(&b, "reg_none");
    assert_int_equal(fdt_delprop(b.fdt, blob_node(&b, "/cpus/cpu@1"), "reg"), 0);
    expect_board_error(&b, "cpu node 'cpu@1': reg must be one 1-cell MPIDR affinity value");
    /* one core is never started: its enable-method and a missing PSCI do not matter */
    blob_open(&b, "one_core");
    assert_int_equal(fdt_del_node(b.fdt, blob_node(&b, "/cpus/cpu@1")), 0);
    assert_int_equal(fdt_setprop_string(b.fdt, blob_node(&b, "/cpus/cpu@0"), "enable-method", "spin-table"),
                     0);
    assert_int_equal(fdt_del_node(b.fdt, blob_node(&b, "/psci")), 0);
    blob_save(&b);
    struct board brd;
    assert_int_equal(board_load(b.path, &brd), 0);
    assert_int_equal(brd.num_cpus, 1);
    assert_int_equal(brd.psci_conduit, SYSIMG_PSCI_NONE);
    board_free(&brd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_of_four_cores),
        cmocka_unit_test(placement_of_pds_and_vcpus),
        cmocka_unit_test(report_shows_cores_and_placement),
        cmocka_unit_test(emitted_system_keeps_placement),
        cmocka_unit_test(low_level_round_trip_is_byte_identical),
        cmocka_unit_test(linux_vm_defaults),
        cmocka_unit_test(two_and_four_core_boards),
        cmocka_unit_test(eight_cores_but_not_nine),
        cmocka_unit_test(psci_missing_or_unknown),
        cmocka_unit_test(broken_cpu_nodes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* The guest device tree made from the board's (guest_dtb.c), read back with libfdt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libfdt.h>

#include "board.h"
#include "diag.h"
#include "guest.h"
#include "harness.h"

static struct board board;
static char last_error[1024];

static void capture(const char *msg, void *arg)
{
    (void)arg;
    snprintf(last_error, sizeof last_error, "%s", msg);
}

static int setup(void **state)
{
    (void)state;
    return board_load(TEST_BOARD, &board);
}

static int teardown(void **state)
{
    (void)state;
    board_free(&board);
    return 0;
}

/* A guest of the fixture board with the given passthrough nodes. */
static uint8_t *build(const struct board *b, unsigned vcpus, const char *const *pt, size_t npt, bool initrd)
{
    int nodes[8];
    for (size_t i = 0; i < npt; i++) {
        nodes[i] = fdt_path_offset(b->fdt, pt[i]);
        assert_true(nodes[i] >= 0);
    }
    struct guest_dt p = {
        .sysfile = "x.system",
        .line = 7,
        .name = "linux",
        .ram_base = 0x40000000,
        .ram_size = 0x10000000,
        .vcpus = vcpus,
        .gicd = 0x8000000,
        .gicr = 0x80a0000,
        .gicr_size = 0x20000ull * vcpus,
        .bootargs = "console=ttyAMA0 rdinit=/init",
        .initrd_start = initrd ? 0x4fd00000 : 0,
        .initrd_end = initrd ? 0x4fd12345 : 0,
        .pt_nodes = nodes,
        .npt = npt,
    };
    uint8_t *dtb = NULL;
    size_t len = 0;
    last_error[0] = 0;
    diag_set_sink(capture, NULL);
    int rc = guest_dtb_build(b, &p, &dtb, &len);
    diag_set_sink(NULL, NULL);
    if (rc)
        return NULL;
    assert_int_equal(fdt_check_header(dtb), 0);
    assert_int_equal(fdt_totalsize(dtb), len);
    return dtb;
}

static uint64_t cells(const fdt32_t *p, int i)
{
    return ((uint64_t)fdt32_to_cpu(p[2 * i]) << 32) | fdt32_to_cpu(p[2 * i + 1]);
}

/* Number of nodes whose name starts with prefix, anywhere. */
static int count(const void *dtb, const char *prefix)
{
    int n = 0, depth = 0;
    for (int off = 0; off >= 0 && depth >= 0; off = fdt_next_node(dtb, off, &depth))
        n += !strncmp(fdt_get_name(dtb, off, NULL), prefix, strlen(prefix));
    return n;
}

static void memory_cpus_psci_gic(void **state)
{
    (void)state;
    const char *pt[] = { "/pl011@9000000" };
    uint8_t *dtb = build(&board, 1, pt, 1, true);
    assert_non_null(dtb);
    assert_int_equal(count(dtb, "memory"), 1);
    int len;
    const fdt32_t *reg = fdt_getprop(dtb, fdt_path_offset(dtb, "/memory@40000000"), "reg", &len);
    assert_true(reg && len == 16 && cells(reg, 0) == 0x40000000 && cells(reg, 1) == 0x10000000);
    assert_int_equal(fdt_num_mem_rsv(dtb), 0);
    /* one CPU, started by PSCI, without the host's clock */
    assert_int_equal(count(dtb, "cpu@"), 1);
    assert_int_equal(count(dtb, "cpu-map"), 0);
    int cpu = fdt_path_offset(dtb, "/cpus/cpu@0");
    assert_string_equal(fdt_getprop(dtb, cpu, "enable-method", NULL), "psci");
    assert_null(fdt_getprop(dtb, cpu, "clocks", NULL));
    int psci = fdt_path_offset(dtb, "/psci");
    assert_string_equal(fdt_getprop(dtb, psci, "method", NULL), "hvc");
    assert_int_equal(fdt_node_check_compatible(dtb, psci, "arm,psci-1.0"), 0);
    assert_int_equal(fdt_node_check_compatible(dtb, psci, "arm,psci-0.2"), 0);
    assert_null(fdt_getprop(dtb, psci, "cpu_on", NULL));
    /* the GIC the VMM emulates: no ITS */
    int gic = fdt_node_offset_by_compatible(dtb, -1, "arm,gic-v3");
    reg = fdt_getprop(dtb, gic, "reg", &len);
    assert_int_equal(len, 32);
    assert_true(cells(reg, 0) == 0x8000000 && cells(reg, 1) == 0x10000);
    assert_true(cells(reg, 2) == 0x80a0000 && cells(reg, 3) == 0x20000);
    assert_int_equal(fdt_first_subnode(dtb, gic), -FDT_ERR_NOTFOUND);
    assert_int_equal(count(dtb, "its@"), 0);
    assert_true(fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(dtb, gic, "#redistributor-regions", NULL)) == 1);
    assert_true(fdt_node_offset_by_compatible(dtb, -1, "arm,armv8-timer") >= 0);
    free(dtb);
}

static void chosen_devices_aliases(void **state)
{
    (void)state;
    const char *pt[] = { "/pl011@9000000" };
    uint8_t *dtb = build(&board, 1, pt, 1, true);
    int chosen = fdt_path_offset(dtb, "/chosen");
    assert_string_equal(fdt_getprop(dtb, chosen, "bootargs", NULL), "console=ttyAMA0 rdinit=/init");
    const fdt64_t *s = fdt_getprop(dtb, chosen, "linux,initrd-start", NULL);
    const fdt64_t *e = fdt_getprop(dtb, chosen, "linux,initrd-end", NULL);
    /* property values are only 4-byte aligned in a blob: read them with fdt64_ld */
    assert_true(s && e && fdt64_ld(s) == 0x4fd00000 && fdt64_ld(e) == 0x4fd12345);
    assert_string_equal(fdt_getprop(dtb, chosen, "stdout-path", NULL),
                        "/pl011@9000000"); /* the guest owns it */
    /* kept: the UART and the clock it uses; gone: everything else with registers or IRQs */
    assert_true(fdt_path_offset(dtb, "/pl011@9000000") >= 0);
    assert_true(fdt_path_offset(dtb, "/apb-pclk") >= 0);
    const char *gone[] = {
        "virtio_mmio", "flash", "fw-cfg",  "platform-bus",     "pcie",    "pl031",     "pl061",
        "gpio-keys",   "pmu",   "serial@", "clock-controller", "pinctrl", "ppi-device"
    };
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        if (count(dtb, gone[i]))
            fail_msg("guest device tree still has %s", gone[i]);
    int aliases = fdt_path_offset(dtb, "/aliases");
    assert_string_equal(fdt_getprop(dtb, aliases, "serial0", NULL), "/pl011@9000000");
    assert_null(fdt_getprop(dtb, aliases, "gpio0", NULL));
    free(dtb);
}

static void no_passthrough_three_cpus(void **state)
{
    (void)state;
    uint8_t *dtb = build(&board, 3, NULL, 0, false);
    assert_non_null(dtb);
    int chosen = fdt_path_offset(dtb, "/chosen");
    assert_null(fdt_getprop(dtb, chosen, "stdout-path", NULL));
    assert_null(fdt_getprop(dtb, chosen, "linux,initrd-start", NULL));
    assert_int_equal(count(dtb, "pl011"), 0);
    assert_null(fdt_getprop(dtb, fdt_path_offset(dtb, "/aliases"), "serial0", NULL));
    /* cpu@0..2 in order, reg = index, only the original keeps its phandle */
    int cpus = fdt_path_offset(dtb, "/cpus"), k = 0, child;
    fdt_for_each_subnode(child, dtb, cpus)
    {
        char name[16];
        snprintf(name, sizeof name, "cpu@%x", k);
        assert_string_equal(fdt_get_name(dtb, child, NULL), name);
        assert_int_equal(fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(dtb, child, "reg", NULL)), k);
        assert_string_equal(fdt_getprop(dtb, child, "enable-method", NULL), "psci");
        assert_int_equal(fdt_get_phandle(dtb, child) != 0, k == 0);
        k++;
    }
    assert_int_equal(k, 3);
    const fdt32_t *reg = fdt_getprop(dtb, fdt_node_offset_by_compatible(dtb, -1, "arm,gic-v3"), "reg", NULL);
    assert_true(cells(reg, 3) == 0x60000);
    free(dtb);
}

static void passthrough_keeps_what_it_needs(void **state)
{
    (void)state;
    const char *pt[] = { "/serial@9050000", "/clock-controller@9040000" };
    uint8_t *dtb = build(&board, 1, pt, 2, false);
    assert_non_null(dtb);
    int serial = fdt_path_offset(dtb, "/serial@9050000");
    assert_true(serial >= 0 && fdt_path_offset(dtb, "/clock-controller@9040000") >= 0);
    /* the pin controller went, so the pin settings that pointed into it go too */
    assert_null(fdt_getprop(dtb, serial, "pinctrl-0", NULL));
    assert_null(fdt_getprop(dtb, serial, "pinctrl-names", NULL));
    assert_non_null(fdt_getprop(dtb, serial, "clocks", NULL));
    free(dtb);
    const char *alone[] = { "/serial@9050000" };
    assert_null(build(&board, 1, alone, 1, false));
    assert_string_equal(last_error,
                        "x.system:7: error: guest 'linux': passthrough node '/serial@9050000' needs "
                        "'/clock-controller@9040000' (its 'clocks'), which the guest is not given: "
                        "pass that through too");
}

/* The i.MX8MQ GPC: interrupts pass through it to the GIC, so the guest talks to the GIC. */
static void stacked_interrupt_controller(void **state)
{
    (void)state;
    struct board b;
    assert_int_equal(board_load(TEST_OUT "/board_gpc.dtb", &b), 0);
    const char *pt[] = { "/soc@0/serial@30860000" };
    uint8_t *dtb = build(&b, 1, pt, 1, false);
    assert_non_null(dtb);
    assert_int_equal(count(dtb, "gpc"), 0);
    assert_int_equal(count(dtb, "serial@30890000"), 0);
    assert_true(fdt_path_offset(dtb, "/soc@0/serial@30860000") >= 0);
    uint32_t gic = fdt_get_phandle(dtb, fdt_node_offset_by_compatible(dtb, -1, "arm,gic-v3"));
    assert_int_equal(fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(dtb, 0, "interrupt-parent", NULL)), gic);
    free(dtb);
    board_free(&b);
}

/* The machine QEMU really emulates, when QEMU_VIRT_DTB names its dumped DTB. */
static void qemu_virt_dtb(void **state)
{
    (void)state;
    const char *path = getenv("QEMU_VIRT_DTB");
    if (!path)
        skip();
    struct board b;
    assert_int_equal(board_load(path, &b), 0);
    const char *pt[] = { "/pl011@9000000" };
    uint8_t *dtb = build(&b, 1, pt, 1, true);
    assert_non_null(dtb);
    const char *gone[] = { "virtio_mmio", "flash", "fw-cfg",    "platform-bus", "pcie",
                           "pl031",       "pl061", "gpio-keys", "pmu",          "its@" };
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        if (count(dtb, gone[i]))
            fail_msg("guest device tree still has %s", gone[i]);
    assert_true(fdt_path_offset(dtb, "/pl011@9000000") >= 0 && fdt_path_offset(dtb, "/apb-pclk") >= 0);
    assert_int_equal(count(dtb, "cpu@"), 1);
    free(dtb);
    board_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(memory_cpus_psci_gic),         cmocka_unit_test(chosen_devices_aliases),
        cmocka_unit_test(no_passthrough_three_cpus),    cmocka_unit_test(passthrough_keeps_what_it_needs),
        cmocka_unit_test(stacked_interrupt_controller), cmocka_unit_test(qemu_virt_dtb),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* Broken board device trees (issue 6, class 1): copies of the fixture board.dtb changed with
 * libfdt or byte by byte. Each gives one error naming the DTB (not a line of the system
 * description), with no raw bytes from the tree in it, and never a crash or a hang. */
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

#include "harness.h"
#include "mksys.h"

#define OUT_IMG TEST_OUT "/out/hostile_dtb.img"
#define ROOM    0x4000

struct blob {
    char path[256];
    uint8_t *fdt;
    size_t len; /* bytes written to path */
};

/* The fixture board, opened into a buffer with room to grow. */
static void load(struct blob *b, const char *name)
{
    snprintf(b->path, sizeof b->path, "%s/h_%s.dtb", TEST_OUT, name);
    size_t len;
    char *orig = read_whole(TEST_BOARD, &len);
    assert_non_null(orig);
    b->fdt = calloc(1, len + ROOM);
    assert_int_equal(fdt_open_into(orig, b->fdt, (int)(len + ROOM)), 0);
    free(orig);
    b->len = fdt_totalsize(b->fdt);
}

static void save(struct blob *b)
{
    FILE *f = fopen(b->path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b->fdt, 1, b->len, f), b->len);
    fclose(f);
    free(b->fdt);
}

static int node(struct blob *b, const char *path)
{
    int off = fdt_path_offset(b->fdt, path);
    assert_true(off >= 0);
    return off;
}

static void set_u32(struct blob *b, const char *path, const char *prop, uint32_t v)
{
    assert_int_equal(fdt_setprop_u32(b->fdt, node(b, path), prop, v), 0);
    b->len = fdt_totalsize(b->fdt);
}

static void set_raw(struct blob *b, const char *path, const char *prop, const void *v, int len)
{
    assert_int_equal(fdt_setprop(b->fdt, node(b, path), prop, v, len), 0);
    b->len = fdt_totalsize(b->fdt);
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* A guest without passthrough devices: builds a guest tree from the whole board. */
static const char *guest_system(void)
{
    static const char path[] = TEST_OUT "/h_dtb_guest.system";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<system>\n"
          "    <protection_domain name=\"vmm\" priority=\"200\">\n"
          "        <program_image path=\"vmm.elf\" />\n"
          "        <linux_vm name=\"linux\" priority=\"100\" ram_base=\"0x40000000\" ram_size=\"0x1000000\" "
          "kernel=\"Image\" />\n"
          "    </protection_domain>\n</system>\n",
          f);
    fclose(f);
    return path;
}

static void run(const struct blob *b, struct run_result *r)
{
    run_mksys(guest_system(), b->path, NULL, OUT_IMG, NULL, r);
}

/* Fails with "<dtb>: error: <rest>". */
static void expect(const struct blob *b, const char *rest)
{
    struct run_result r;
    run(b, &r);
    char want[1024];
    snprintf(want, sizeof want, "%s: error: %s", b->path, rest);
    assert_int_equal(r.rc, -1);
    assert_int_equal(r.nerrors, 1);
    assert_string_equal(r.error, want);
    assert_int_equal(access(OUT_IMG, F_OK), -1);
}

static void truncated(void **state)
{
    (void)state;
    struct blob b = { 0 };
    load(&b, "truncated");
    b.len /= 2;
    save(&b);
    expect(&b, "not a valid device tree blob");
}

static void struct_offset_out_of_range(void **state)
{
    (void)state;
    struct blob b = { 0 };
    load(&b, "struct_off");
    fdt_set_off_dt_struct(b.fdt, (uint32_t)b.len - 8);
    save(&b);
    expect(&b, "not a valid device tree blob");
}

/* The first property of the root claims to run far past the structure block. */
static void property_length_past_the_end(void **state)
{
    (void)state;
    struct blob b = { 0 };
    load(&b, "prop_len");
    uint8_t *s = b.fdt + fdt_off_dt_struct(b.fdt);
    assert_int_equal(fdt32_to_cpu(*(fdt32_t *)(s + 8)), FDT_PROP); /* BEGIN_NODE, "" padded, PROP */
    put_be32(s + 12, 0x7ffffff0);
    save(&b);
    expect(&b, "not a valid device tree blob: a property's length runs past the structure block");
}

/* A length of 2^32 - 12 brings libfdt's 32-bit step back to the same tag: fdt_check_full alone
 * never returned (found by fuzz_board). */
static void property_length_wraps_to_itself(void **state)
{
    (void)state;
    struct blob b = { 0 };
    load(&b, "prop_wrap");
    uint8_t *s = b.fdt + fdt_off_dt_struct(b.fdt);
    assert_int_equal(fdt32_to_cpu(*(fdt32_t *)(s + 8)), FDT_PROP);
    put_be32(s + 12, 0xfffffff4);
    save(&b);
    expect(&b, "not a valid device tree blob: a property's length runs past the structure block");
}

/* A structure block whose size is not a multiple of 4 and whose node name ends on its last
 * byte: rounding the offset up to the next tag passes the end, which must end the walk rather
 * than wrap its bound and read the forged property that follows (found in review). */
static void struct_size_not_a_multiple_of_4(void **state)
{
    (void)state;
    struct blob b = { 0 };
    snprintf(b.path, sizeof b.path, "%s/h_struct_size.dtb", TEST_OUT);
    b.len = 96;
    b.fdt = calloc(1, b.len);
    assert_non_null(b.fdt);
    static const uint32_t header[] = { FDT_MAGIC, 96, 56, 72, 40, 17, 16, 0, 24, 14 };
    for (unsigned i = 0; i < sizeof header / sizeof header[0]; i++)
        put_be32(b.fdt + 4 * i, header[i]);
    uint8_t *s = b.fdt + 56;
    put_be32(s, FDT_BEGIN_NODE);
    memcpy(s + 4, "abcdefghi", 10); /* with its NUL, up to the block's 14th byte */
    put_be32(s + 16, FDT_PROP);
    put_be32(s + 20, 0x7ffffff0);
    assert_int_equal(fdt_check_header(b.fdt), 0);
    save(&b);
    expect(&b, "not a valid device tree blob: the structure block has no FDT_END tag");
}

/* A reservation block without its terminating entry runs into the structure block. */
static void reservations_not_terminated(void **state)
{
    (void)state;
    struct blob b = { 0 };
    load(&b, "rsv");
    int n = fdt_num_mem_rsv(b.fdt);
    assert_true(n >= 0);
    uint8_t *end = b.fdt + fdt_off_mem_rsvmap(b.fdt) + 16 * (size_t)n; /* the terminating entry */
    memset(end, 0xff, 16);
    save(&b);
    expect(&b, "not a valid device tree blob: its blocks overlap or are not in the usual order "
               "(reservations, structure, strings)");
}

static void reg_with_odd_length(void **state)
{
    (void)state;
    struct blob b = { 0 };
    load(&b, "odd_reg");
    static const uint8_t reg[12] = { 0, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0x40 };
    set_raw(&b, "/memory@40000000", "reg", reg, sizeof reg);
    save(&b);
    expect(&b,
           "node 'memory@40000000': reg is 12 bytes, not a whole number of 16-byte (address, size) entries");
}

/* RAM and GIC addresses are summed with their sizes later: a base near 2^64 must not wrap. */
static void memory_base_wraps(void **state)
{
    (void)state;
    struct blob b = { 0 };
    load(&b, "mem_top");
    static const uint8_t reg[16] = { 0xff, 0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0 };
    set_raw(&b, "/memory@40000000", "reg", reg, sizeof reg);
    save(&b);
    expect(&b, "memory node 'memory@40000000' (base 0xfffffffff0000000, size 0x20000000) extends past the "
               "48-bit address space");
}

static void gic_base_wraps(void **state)
{
    (void)state;
    struct blob b = { 0 };
    load(&b, "gic_top");
    static const uint8_t reg[32] = { 0,    0,    0,    0,    0x08, 0,    0, 0, 0, 0, 0, 0, 0, 1,    0, 0,
                                     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0 };
    set_raw(&b, "/intc@8000000", "reg", reg, sizeof reg);
    save(&b);
    expect(&b, "GIC registers (GICD 0x8000000, GICR 0xffffffffffff0000 size 0x100000) extend past the 48-bit "
               "address space");
}

static void address_cells_5(void **state)
{
    (void)state;
    struct blob b = { 0 };
    load(&b, "cells5");
    set_u32(&b, "/", "#address-cells", 5);
    save(&b);
    expect(&b,
           "node 'memory@40000000': its parent's #address-cells and #size-cells must be one cell each, 1..2 "
           "and 0..2");
}

/* Guest CPUs get a reg in /cpus' #address-cells, which libfdt allows up to 4. */
static void cpus_address_cells_3(void **state)
{
    (void)state;
    struct blob b = { 0 };
    load(&b, "cpus_cells");
    set_u32(&b, "/cpus", "#address-cells", 3);
    save(&b);
    expect(&b, "/cpus must have #address-cells 1 or 2 and #size-cells 0 (one cell each)");
}

static void dangling_timer_interrupt_parent(void **state)
{
    (void)state;
    struct blob b = { 0 };
    load(&b, "dangling");
    set_u32(&b, "/timer", "interrupt-parent", 0x4321);
    save(&b);
    expect(&b, "timer: interrupt parent must be a GIC with #interrupt-cells = <3>");
}

/* Two controllers naming each other as interrupt parent, the timer's chain running into them. */
static void interrupt_parent_loop(void **state)
{
    (void)state;
    struct blob b = { 0 };
    load(&b, "ip_loop");
    set_u32(&b, "/psci", "phandle", 0x501);
    set_u32(&b, "/pmu", "phandle", 0x502);
    set_u32(&b, "/psci", "interrupt-parent", 0x502);
    set_u32(&b, "/pmu", "interrupt-parent", 0x501);
    set_u32(&b, "/psci", "#interrupt-cells", 3);
    set_u32(&b, "/pmu", "#interrupt-cells", 3);
    set_u32(&b, "/pl011@9000000", "interrupt-parent", 0x501);
    save(&b);
    struct run_result r;
    run(&b, &r); /* no passthrough: the loop is only walked, and must end */
    assert_string_equal(r.error, "");
    assert_int_equal(r.rc, 0);
}

/* A clock provider's #clock-cells of 0xffffffff used to stop the phandle walk (i += 0). */
static void clock_cells_forged(void **state)
{
    (void)state;
    static const uint32_t counts[] = { 0xffffffffu, 0x7fffffffu };
    for (size_t k = 0; k < 2; k++) {
        struct blob b = { 0 };
        load(&b, k ? "clock_cells_big" : "clock_cells_ff");
        set_u32(&b, "/apb-pclk", "#clock-cells", counts[k]);
        save(&b);
        struct run_result r;
        run(&b, &r);
        assert_string_equal(r.error, "");
        assert_int_equal(r.rc, 0);
    }
}

static void clock_cells_empty(void **state)
{
    (void)state;
    struct blob b = { 0 };
    load(&b, "clock_cells_empty");
    set_raw(&b, "/apb-pclk", "#clock-cells", NULL, 0);
    save(&b);
    struct run_result r;
    run(&b, &r);
    assert_string_equal(r.error, "");
    assert_int_equal(r.rc, 0);
}

static void unprintable_node_name(void **state)
{
    (void)state;
    struct blob b = { 0 };
    load(&b, "name");
    static const uint8_t reg[16] = { 0, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    set_raw(&b, "/memory@40000000", "reg", reg, sizeof reg);
    assert_int_equal(fdt_set_name(b.fdt, node(&b, "/memory@40000000"), "mem\x01\x1b[2J@40000000"), 0);
    b.len = fdt_totalsize(b.fdt);
    save(&b);
    expect(&b, "memory node 'mem??[2J@40000000' has size 0");
}

static void stdout_path_not_a_string(void **state)
{
    (void)state;
    struct blob b = { 0 };
    load(&b, "stdout");
    set_raw(&b, "/chosen", "stdout-path", "/pl011@9000000", 14); /* no NUL */
    save(&b);
    expect(&b, "/chosen stdout-path is not a NUL-terminated string");
}

static void nested_too_deep(void **state)
{
    (void)state;
    struct blob b = { 0 };
    load(&b, "deep");
    int parent = 0;
    for (int i = 0; i < 70; i++) {
        parent = fdt_add_subnode(b.fdt, parent, "n");
        assert_true(parent >= 0);
    }
    b.len = fdt_totalsize(b.fdt);
    save(&b);
    expect(&b, "not a valid device tree blob: nodes are nested more than 64 levels deep");
}

/* A passthrough node whose path is longer than the buffer its error message used: the
 * message used to print an unset buffer. */
static void long_path_in_error(void **state)
{
    (void)state;
    struct blob b = { 0 };
    load(&b, "long_path");
    char name[201];
    memset(name, 'x', 200);
    name[200] = 0;
    int parent = 0;
    for (int i = 0; i < 3; i++) {
        parent = fdt_add_subnode(b.fdt, parent, name);
        assert_true(parent >= 0);
    }
    static const uint32_t reg[3] = { 0, 0x9100000, 0x1000 }; /* defaults: 2 address cells, 1 size cell */
    fdt32_t cells[3], clk[2];
    for (int i = 0; i < 3; i++)
        cells[i] = cpu_to_fdt32(reg[i]);
    clk[0] = cpu_to_fdt32(fdt_get_phandle(b.fdt, node(&b, "/clock-controller@9040000")));
    clk[1] = cpu_to_fdt32(3);
    assert_int_equal(fdt_setprop(b.fdt, parent, "reg", cells, sizeof cells), 0);
    assert_int_equal(fdt_setprop(b.fdt, parent, "clocks", clk, sizeof clk), 0);
    b.len = fdt_totalsize(b.fdt);
    char path[1024];
    assert_int_equal(fdt_get_path(b.fdt, parent, path, sizeof path), 0);
    save(&b);
    static char sys[256];
    snprintf(sys, sizeof sys, "%s/h_dtb_long.system", TEST_OUT);
    FILE *f = fopen(sys, "w");
    assert_non_null(f);
    fprintf(
        f,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<system>\n"
        "    <protection_domain name=\"vmm\" priority=\"200\">\n"
        "        <program_image path=\"vmm.elf\" />\n"
        "        <linux_vm name=\"linux\" priority=\"100\" ram_base=\"0x40000000\" ram_size=\"0x1000000\" "
        "kernel=\"Image\">\n"
        "            <passthrough node=\"%s\" />\n"
        "        </linux_vm>\n"
        "    </protection_domain>\n</system>\n",
        path);
    fclose(f);
    struct run_result r;
    run_mksys(sys, b.path, NULL, OUT_IMG, NULL, &r);
    assert_int_equal(r.rc, -1);
    char want[1024];
    snprintf(want, sizeof want, "%s:5: error: guest 'linux': passthrough node '%.511s' needs", sys, path);
    assert_memory_equal(r.error, want, strlen(want));
    assert_non_null(strstr(r.error, "' needs '/clock-controller@9040000' (its 'clocks')"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(truncated),
        cmocka_unit_test(struct_offset_out_of_range),
        cmocka_unit_test(property_length_past_the_end),
        cmocka_unit_test(property_length_wraps_to_itself),
        cmocka_unit_test(struct_size_not_a_multiple_of_4),
        cmocka_unit_test(reservations_not_terminated),
        cmocka_unit_test(reg_with_odd_length),
        cmocka_unit_test(memory_base_wraps),
        cmocka_unit_test(gic_base_wraps),
        cmocka_unit_test(address_cells_5),
        cmocka_unit_test(cpus_address_cells_3),
        cmocka_unit_test(dangling_timer_interrupt_parent),
        cmocka_unit_test(interrupt_parent_loop),
        cmocka_unit_test(clock_cells_forged),
        cmocka_unit_test(clock_cells_empty),
        cmocka_unit_test(unprintable_node_name),
        cmocka_unit_test(stdout_path_not_a_string),
        cmocka_unit_test(nested_too_deep),
        cmocka_unit_test(long_path_in_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* <virtio_console>: the vmm_config.virtio[] entries patched into each VMM (defaults placed
 * around passthrough devices, given values kept), the VMM's serial_client_config, the
 * virtio_mmio node of each guest's device tree, the window left unmapped, one kernel and one
 * initrd stored once for two guests, --report, --emit-system (accepted back), the
 * four-guest system of docs/system-description.md and the node in an i.MX-like tree. */
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
#include "guest.h"
#include "harness.h"
#include "imgread.h"
#include "mksys.h"
#include "serial_config.h"
#include "vmm_config.h"

#define BOARD      TEST_OUT "/board_virtio.dtb"
#define VMM_ELF    TEST_OUT "/vmm_serial.elf"
#define OUT_IMG    TEST_OUT "/out/virtio.img"
#define OUT_REPORT TEST_OUT "/out/virtio.txt"
#define OUT_EMIT   TEST_OUT "/out/virtio_expanded.system"

static struct img img;

static int setup(void **state)
{
    (void)state;
    struct mksys_opts o = { .board = BOARD,
                            .system = FIXTURES "/virtio.system",
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

static const uint8_t *pd_bytes(const struct img *im, const char *pd, uint64_t ipa)
{
    const uint8_t *b = img_pd_bytes(im, pd, ipa);
    assert_non_null(b);
    return b;
}

static struct vmm_config config_of(const struct img *im, const char *vmm)
{
    struct vmm_config c;
    memcpy(&c, pd_bytes(im, vmm, elf_sym(VMM_ELF, "vmm_config")), sizeof c);
    return c;
}

static struct serial_client_config client_of(const struct img *im, const char *vmm)
{
    struct serial_client_config c;
    memcpy(&c, pd_bytes(im, vmm, elf_sym(VMM_ELF, "serial_client_config")), sizeof c);
    return c;
}

static void check_dev(const struct vmm_virtio_dev *v, uint32_t intid, uint64_t ipa, unsigned cols,
                      unsigned rows)
{
    assert_int_equal(v->device_id, VMM_VIRTIO_CONSOLE);
    assert_int_equal(v->intid, intid);
    assert_true(v->mmio_ipa == ipa && v->mmio_size == 0x1000);
    assert_true(v->num_ports == 1 && v->ports[0].serial_client == 0 && v->ports[0].name[0] == '\0');
    assert_int_equal(v->ports[0].flags, VMM_PORT_F_CONSOLE);
    assert_int_equal(v->flags, 0); /* no MULTIPORT (one unnamed port), RESIZE in the specification's order */
    assert_true(v->cols == cols && v->rows == rows);
}

/* alpha: after /virtio_mmio@a000000's page and /spi0-device's SPI 0; beta: as written. */
static void vmm_configs(void **state)
{
    (void)state;
    struct vmm_config a = config_of(&img, "vmm_a"), b = config_of(&img, "vmm_b");
    assert_true(a.magic == VMM_CONFIG_MAGIC && a.version == VMM_CONFIG_VERSION && VMM_CONFIG_VERSION == 4);
    assert_int_equal(a.num_irqs, 2); /* SPI 0 and SPI 16 of the passthrough devices */
    assert_true(a.irqs[0].intid == 32 && a.irqs[1].intid == 48);
    assert_int_equal(a.num_virtio, 1);
    check_dev(&a.virtio[0], 33, 0xa001000, 80, 24);
    for (unsigned i = 1; i < VMM_MAX_VIRTIO; i++)
        assert_int_equal(a.virtio[i].device_id, 0);
    assert_int_equal(b.num_virtio, 1);
    check_dev(&b.virtio[0], 37, 0x20000000, 132, 50);
}

/* The VMM is an ordinary serial client: its rings on the two lowest ids it leaves free. */
static void vmm_serial_clients(void **state)
{
    (void)state;
    struct serial_client_config a = client_of(&img, "vmm_a"), b = client_of(&img, "vmm_b");
    assert_true(a.magic == SERIAL_CLIENT_MAGIC && a.index == 0);
    assert_string_equal(a.name, "alpha"); /* <client name> */
    assert_true(a.tx.channel == 0 && a.rx.channel == 3 && a.tx.vaddr == 0x50000000);
    assert_true(b.magic == SERIAL_CLIENT_MAGIC && b.index == 1);
    assert_string_equal(b.name, "vmm_b"); /* the default: its PD's name */
    assert_true(b.tx.channel == 0 && b.rx.channel == 1);
    struct serial_tx_config t;
    memcpy(&t, pd_bytes(&img, "serial_tx", elf_sym(TEST_OUT "/serial_tx.elf", "serial_tx_config")), sizeof t);
    assert_string_equal(t.names[0], "alpha");
    assert_string_equal(t.names[1], "vmm_b");
}

/* The window is emulated, not mapped: a guest access traps to its VMM. */
static void window_unmapped(void **state)
{
    (void)state;
    assert_null(img_map(&img, img_pd(&img, "alpha:0"), 0xa001000));
    assert_non_null(img_map(&img, img_pd(&img, "alpha:0"), 0xa000000)); /* the passthrough device */
    assert_null(img_map(&img, img_pd(&img, "beta:0"), 0x20000000));
}

static void check_node(const void *dtb, const char *path, uint64_t addr, uint32_t spi)
{
    int node = fdt_path_offset(dtb, path);
    assert_true(node >= 0);
    assert_int_equal(fdt_node_check_compatible(dtb, node, "virtio,mmio"), 0);
    int len;
    const fdt32_t *reg = fdt_getprop(dtb, node, "reg", &len);
    assert_true(reg && len == 16); /* the root's two-cell addresses and sizes */
    assert_true(((uint64_t)fdt32_to_cpu(reg[0]) << 32 | fdt32_to_cpu(reg[1])) == addr);
    assert_true(fdt32_to_cpu(reg[2]) == 0 && fdt32_to_cpu(reg[3]) == 0x1000);
    const fdt32_t *irq = fdt_getprop(dtb, node, "interrupts", &len);
    assert_true(irq && len == 12);
    assert_true(fdt32_to_cpu(irq[0]) == 0 && fdt32_to_cpu(irq[1]) == spi && fdt32_to_cpu(irq[2]) == 4);
    const fdt32_t *parent = fdt_getprop(dtb, node, "interrupt-parent", &len);
    int gic = fdt_node_offset_by_compatible(dtb, -1, "arm,gic-v3");
    assert_true(parent && len == 4 && fdt32_to_cpu(*parent) == fdt_get_phandle(dtb, gic));
    assert_non_null(fdt_getprop(dtb, node, "dma-coherent", &len));
    assert_int_equal(len, 0);
}

static void device_tree_nodes(void **state)
{
    (void)state;
    struct vmm_config a = config_of(&img, "vmm_a"), b = config_of(&img, "vmm_b");
    const uint8_t *da = pd_bytes(&img, "vmm_a", a.dtb_vaddr), *db = pd_bytes(&img, "vmm_b", b.dtb_vaddr);
    check_node(da, "/virtio_mmio@a001000", 0xa001000, 1);
    check_node(db, "/virtio_mmio@20000000", 0x20000000, 5);
    /* the board's own virtio-mmio nodes go, unless passed through (alpha's first) */
    assert_true(fdt_path_offset(da, "/virtio_mmio@a000000") >= 0);
    assert_true(fdt_path_offset(db, "/virtio_mmio@a000000") < 0);
    assert_true(fdt_path_offset(db, "/virtio_mmio@a000200") < 0);
}

/* Two guests, one kernel file and one initrd file: each stored once, mapped into both VMMs. */
static void files_stored_once(void **state)
{
    (void)state;
    struct vmm_config a = config_of(&img, "vmm_a"), b = config_of(&img, "vmm_b");
    size_t klen, ilen;
    char *kernel = read_whole(TEST_OUT "/Image", &klen),
         *initrd = read_whole(TEST_OUT "/rootfs.cpio.gz", &ilen);
    assert_true(a.kernel_size == klen && b.kernel_size == klen && a.initrd_size == ilen &&
                b.initrd_size == ilen);
    assert_memory_equal(pd_bytes(&img, "vmm_b", b.kernel_vaddr), kernel, klen);
    assert_memory_equal(pd_bytes(&img, "vmm_b", b.initrd_vaddr), initrd, ilen);
    assert_ptr_equal(pd_bytes(&img, "vmm_a", a.kernel_vaddr), pd_bytes(&img, "vmm_b", b.kernel_vaddr));
    assert_ptr_equal(pd_bytes(&img, "vmm_a", a.initrd_vaddr), pd_bytes(&img, "vmm_b", b.initrd_vaddr));
    char *report = read_whole(OUT_REPORT, NULL);
    assert_non_null(strstr(report, "file_rootfs.cpio.gz "));
    assert_null(strstr(report, "file_Image_2"));
    assert_null(strstr(report, "file_rootfs.cpio.gz_2"));
    free(report);
    free(kernel);
    free(initrd);
}

static void report(void **state)
{
    (void)state;
    char *text = read_whole(OUT_REPORT, NULL);
    assert_non_null(text);
    const char *needles[] = {
        "  virtio       console 0xa001000-0xa002000, SPI 1 (INTID 33), 80x24, 1 port\n"
        "               port 0: <serial> client 'alpha' (number 0), name '', console\n",
        "  virtio       console 0x20000000-0x20001000, SPI 5 (INTID 37), 132x50, 1 port\n"
        "               port 0: <serial> client 'vmm_b' (number 1), name '', console\n",
        "  client 0     PD 'vmm_a' named 'alpha': channel 0 to TX (its 1), channel 3 to RX (its 1)\n",
        "  client 1     PD 'vmm_b': channel 0 to TX (its 2), channel 1 to RX (its 2)\n",
    };
    for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++)
        if (!strstr(text, needles[i]))
            fail_msg("report lacks \"%s\":\n%s", needles[i], text);
    free(text);
}

/* The expansion as comments; the file reads back (the client keeps its name). */
static void emit_round_trip(void **state)
{
    (void)state;
    char *text = read_whole(OUT_EMIT, NULL);
    assert_non_null(text);
    const char *needles[] = {
        "virtio[0] device_id 3 (console) mmio_ipa 0xa001000 mmio_size 0x1000 intid 33 flags 0x0 cols 80 rows "
        "24 num_ports 1\n",
        "port 0: serial_client 0 (<serial> client alpha, number 0) flags 0x1 name (none)\n",
        "from <virtio_console> line 13; guest device tree node virtio_mmio@a001000, compatible "
        "\"virtio,mmio\", interrupts <0 1 4>, dma-coherent\n",
        "virtio[0] device_id 3 (console) mmio_ipa 0x20000000 mmio_size 0x1000 intid 37 flags 0x0 cols 132 "
        "rows 50 num_ports 1\n",
        "<client pd=\"vmm_a\" name=\"alpha\" />\n        <client pd=\"vmm_b\" />\n",
    };
    for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++)
        if (!strstr(text, needles[i]))
            fail_msg("emitted system lacks \"%s\":\n%s", needles[i], text);
    assert_null(strstr(text, "<virtio_console client"));
    free(text);
    struct run_result r;
    struct mksys_opts o = { .board = BOARD, .system = OUT_EMIT, .output = TEST_OUT "/out/virtio_reemit.img" };
    run_mksys_opts(&o, &r);
    assert_string_equal(r.error, "");
    struct img again;
    assert_int_equal(img_load(&again, TEST_OUT "/out/virtio_reemit.img"), 0);
    assert_int_equal(again.h->num_pds, img.h->num_pds);
    struct serial_client_config a = client_of(&again, "vmm_a"), a0 = client_of(&img, "vmm_a");
    assert_memory_equal(&a, &a0, sizeof a);
    img_free(&again);
}

/* Adding a guest is its protection domain and one <client>: four guests on four cores, each
 * console at the default window and SPI, each client numbered in order. */
static void four_guests(void **state)
{
    (void)state;
    struct img four;
    struct mksys_opts o = { .board = TEST_OUT "/board_smp4.dtb",
                            .system = FIXTURES "/virtio4.system",
                            .output = TEST_OUT "/out/virtio4.img" };
    assert_int_equal(img_build(&four, &o), 0);
    for (unsigned i = 0; i < 4; i++) {
        char vmm[8], vcpu[16];
        snprintf(vmm, sizeof vmm, "vmm%u", i);
        snprintf(vcpu, sizeof vcpu, "guest%u:0", i);
        struct vmm_config c = config_of(&four, vmm);
        assert_int_equal(c.num_virtio, 1);
        check_dev(&c.virtio[0], 32, 0xa000000, 80, 24);
        struct serial_client_config s = client_of(&four, vmm);
        assert_int_equal(s.index, i);
        assert_string_equal(s.name, vmm);
        assert_int_equal(img_pd(&four, vcpu)->cpu, i);
        assert_true(fdt_path_offset(pd_bytes(&four, vmm, c.dtb_vaddr), "/virtio_mmio@a000000") >= 0);
    }
    img_free(&four);
}

/* The i.MX-like tree (devices and the GIC under a one-cell /soc bus): the node still goes at
 * the root, in the root's two cells, at the same default window. */
static void imx_like_tree(void **state)
{
    (void)state;
    struct board b;
    assert_int_equal(board_load(TEST_OUT "/board_imx.dtb", &b), 0);
    const struct vmm_virtio_dev v = { .device_id = VMM_VIRTIO_CONSOLE,
                                      .intid = 32,
                                      .mmio_ipa = 0xa000000,
                                      .mmio_size = 0x1000,
                                      .num_ports = 1 };
    const struct guest_dt p = { .sysfile = "x.system",
                                .line = 5,
                                .name = "linux",
                                .ram_base = 0x40000000,
                                .ram_size = 0x10000000,
                                .vcpus = 1,
                                .gicd = b.gicd_base,
                                .gicr = b.gicr_base,
                                .gicr_size = 0x20000,
                                .bootargs = "",
                                .virtio = &v,
                                .nvirtio = 1 };
    uint8_t *dtb = NULL;
    size_t len = 0;
    assert_int_equal(guest_dtb_build(&b, &p, &dtb, &len), 0);
    check_node(dtb, "/virtio_mmio@a000000", 0xa000000, 0);
    free(dtb);
    board_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vmm_configs),       cmocka_unit_test(vmm_serial_clients),
        cmocka_unit_test(window_unmapped),   cmocka_unit_test(device_tree_nodes),
        cmocka_unit_test(files_stored_once), cmocka_unit_test(report),
        cmocka_unit_test(emit_round_trip),   cmocka_unit_test(four_guests),
        cmocka_unit_test(imx_like_tree),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

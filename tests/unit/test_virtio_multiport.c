/* <virtio_console> with <port>s: the VMM PD is several <serial> clients, its k-th patched into
 * serial_client_config[k] with rings and channels of its own; vmm_config's ports name those
 * entries, in order, with the names and flags written; the other VMM keeps one plain port;
 * --emit-system shows the ports and reads back to the same client configurations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"
#include "imgread.h"
#include "mksys.h"
#include "serial_config.h"
#include "vmm_config.h"

#define BOARD    TEST_OUT "/board_virtio.dtb"
#define VMM_ELF  TEST_OUT "/vmm_serial.elf"
#define OUT_IMG  TEST_OUT "/out/virtio_mp.img"
#define OUT_EMIT TEST_OUT "/out/virtio_mp_expanded.system"

static struct img img;

static int setup(void **state)
{
    (void)state;
    struct mksys_opts o = { .board = BOARD,
                            .system = FIXTURES "/virtio_multiport.system",
                            .output = OUT_IMG,
                            .emit_system = OUT_EMIT };
    return img_build(&img, &o);
}

static int teardown(void **state)
{
    (void)state;
    img_free(&img);
    return 0;
}

static struct vmm_config config_of(const struct img *im, const char *vmm)
{
    struct vmm_config c;
    const uint8_t *b = img_pd_bytes(im, vmm, elf_sym(VMM_ELF, "vmm_config"));
    assert_non_null(b);
    memcpy(&c, b, sizeof c);
    return c;
}

static struct serial_client_config client_of(const struct img *im, const char *vmm, unsigned k)
{
    struct serial_client_config c;
    const uint8_t *b = img_pd_bytes(im, vmm, elf_sym(VMM_ELF, "serial_client_config") + k * sizeof c);
    assert_non_null(b);
    memcpy(&c, b, sizeof c);
    return c;
}

static void ports_in_config(void **state)
{
    (void)state;
    struct vmm_config a = config_of(&img, "vmm_a"), b = config_of(&img, "vmm_b");
    const struct vmm_virtio_dev *d = &a.virtio[0];
    assert_int_equal(a.num_virtio, 1);
    assert_int_equal(d->flags, VMM_VIRTIO_F_MULTIPORT | VMM_VIRTIO_F_RESIZE_ROWS_FIRST);
    assert_int_equal(d->num_ports, 3);
    for (unsigned p = 0; p < 3; p++)
        assert_int_equal(d->ports[p].serial_client, p); /* the PD's clients 0, 1, 2 */
    assert_string_equal(d->ports[0].name, "org.x.main");
    assert_string_equal(d->ports[1].name, "org.x.aux");
    assert_string_equal(d->ports[2].name, "");
    assert_int_equal(d->ports[0].flags, VMM_PORT_F_CONSOLE);
    assert_int_equal(d->ports[1].flags, VMM_PORT_F_CONSOLE);
    assert_int_equal(d->ports[2].flags, 0);
    assert_true(b.virtio[0].num_ports == 1 && b.virtio[0].flags == 0 &&
                b.virtio[0].ports[0].serial_client == 0);
}

/* Each of vmm_a's clients: its <serial> index and name, rings apart, channels of its own. */
static void one_pd_three_clients(void **state)
{
    (void)state;
    const unsigned index[3] = { 0, 2, 3 };
    const char *name[3] = { "a-main", "a-aux", "a-log" };
    struct serial_client_config c[3];
    for (unsigned k = 0; k < 3; k++) {
        c[k] = client_of(&img, "vmm_a", k);
        assert_true(c[k].magic == SERIAL_CLIENT_MAGIC && c[k].version == SERIAL_CONFIG_VERSION);
        assert_int_equal(c[k].index, index[k]);
        assert_string_equal(c[k].name, name[k]);
    }
    bool used[64] = { false };
    for (unsigned k = 0; k < 3; k++) {
        const struct serial_queue_ref *r[2] = { &c[k].tx, &c[k].rx };
        for (unsigned e = 0; e < 2; e++) {
            assert_true(r[e]->channel < 64 && !used[r[e]->channel]);
            used[r[e]->channel] = true;
            for (unsigned j = 0; j < k; j++) /* no two rings share an address */
                assert_true(r[e]->vaddr >= c[j].rx.vaddr + c[j].rx.region_size ||
                            r[e]->vaddr + r[e]->region_size <= c[j].tx.vaddr);
        }
    }
    assert_int_equal(client_of(&img, "vmm_b", 0).index, 1);
    assert_int_equal(client_of(&img, "vmm_b", 1).magic, 0); /* its entry 1 untouched */
}

static void emit_round_trip(void **state)
{
    (void)state;
    char *text = read_whole(OUT_EMIT, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "intid 32 flags 0x3 cols 80 rows 24 num_ports 3\n"));
    assert_non_null(strstr(text, "port 1: serial_client 1 (<serial> client a-aux, number 2) flags 0x1 name "
                                 "org.x.aux\n"));
    assert_non_null(strstr(text, "port 2: serial_client 2 (<serial> client a-log, number 3) flags 0x0 name "
                                 "(none)\n"));
    free(text);
    struct run_result r;
    struct mksys_opts o = { .board = BOARD,
                            .system = OUT_EMIT,
                            .output = TEST_OUT "/out/virtio_mp_reemit.img" };
    run_mksys_opts(&o, &r);
    assert_string_equal(r.error, "");
    struct img again;
    assert_int_equal(img_load(&again, TEST_OUT "/out/virtio_mp_reemit.img"), 0);
    for (unsigned k = 0; k < 3; k++) {
        struct serial_client_config c = client_of(&again, "vmm_a", k), c0 = client_of(&img, "vmm_a", k);
        assert_memory_equal(&c, &c0, sizeof c);
    }
    img_free(&again);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ports_in_config),
        cmocka_unit_test(one_pd_three_clients),
        cmocka_unit_test(emit_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

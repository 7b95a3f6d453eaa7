/*
 * The VMM's console device (vmm/src/virtio_console_dev.c) with two ports on two of the PD's
 * serial clients (entries 1 and 3 of serial_client_config[]): each port's channels reach that
 * port only (a terminal size in one client's RX ring changes that port's size, not the other's),
 * a single-port console stays without MULTIPORT, and a bad client configuration behind a port
 * stops the set-up with a line naming the device, the port and the client.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "vmm_virtio.h"

#define RING     0x100u
#define REGION   (SERIAL_QUEUE_DATA_OFFSET + RING)
#define WIN      0x0a000000ull
#define CH(k, e) (10u + 2u * (k) + (e)) /* client k's TX (e 0) and RX (e 1) channel */

static _Alignas(64) uint8_t rings[VMM_SERIAL_CLIENTS][2][REGION];
static struct serial_client_config scfg[VMM_SERIAL_CLIENTS];
static struct vmm_virtio v;

static void client(unsigned k)
{
    scfg[k] = (struct serial_client_config){ .magic = SERIAL_CLIENT_MAGIC,
                                             .version = SERIAL_CONFIG_VERSION,
                                             .index = k };
    for (unsigned e = 0; e < 2; e++) {
        struct serial_queue_ref *r = e ? &scfg[k].rx : &scfg[k].tx;
        *r = (struct serial_queue_ref){ (uint64_t)(uintptr_t)rings[k][e], REGION, RING, CH(k, e) };
    }
}

/* Device 0: ports 0 and 1 on the PD's clients 1 and 3, named, both consoles. */
static void setup_two_ports(uint32_t flags, uint32_t nports)
{
    fx_setup();
    memset(rings, 0, sizeof rings);
    memset(scfg, 0, sizeof scfg);
    client(1);
    client(3);
    struct vmm_virtio_dev *d = &fx.cfg.virtio[0];
    fx.cfg.num_virtio = 1;
    *d = (struct vmm_virtio_dev){ .device_id = VMM_VIRTIO_CONSOLE,
                                  .intid = 48,
                                  .mmio_ipa = WIN,
                                  .mmio_size = 0x1000,
                                  .flags = flags,
                                  .cols = 80,
                                  .rows = 24,
                                  .num_ports = nports };
    d->ports[0] = (struct vmm_console_port){ .serial_client = 1, .flags = VMM_PORT_F_CONSOLE };
    d->ports[1] = (struct vmm_console_port){ .serial_client = 3, .flags = VMM_PORT_F_CONSOLE };
    if (flags & VMM_VIRTIO_F_MULTIPORT) {
        strcpy(d->ports[0].name, "main");
        strcpy(d->ports[1].name, "aux");
    }
    assert_int_equal(vmm_init(&fx.vm, &fx.cfg, &fx.g), 0);
}

/* The RX virtualiser's side: a new size in client k's RX ring, then its notification. */
static void host_resizes(unsigned k, uint16_t cols, uint16_t rows)
{
    struct serial_queue_handle h;
    assert_int_equal(serial_queue_init(&h, rings[k][1], REGION, RING), 0);
    serial_queue_set_winsize(&h, cols, rows);
    vmm_notified(&fx.vm, CH(k, 1));
}

static void each_port_on_its_own_channels(void **state)
{
    (void)state;
    setup_two_ports(VMM_VIRTIO_F_MULTIPORT, 2);
    assert_int_equal(vmm_virtio_init(&fx.vm, &v, scfg), 0);
    struct virtio_console *con = &v.console[0].con;
    assert_true(con->multiport_offered && con->nr_ports == 2);
    assert_string_equal(con->port[0].name, "main");
    assert_string_equal(con->port[1].name, "aux");
    assert_ptr_equal(con->port[0].serial, &v.serial[1]);
    assert_ptr_equal(con->port[1].serial, &v.serial[3]);
    host_resizes(3, 132, 50); /* client 3: port 1 */
    assert_true(con->port[1].cols == 132 && con->port[1].rows == 50);
    assert_true(con->port[0].cols == 80 && con->port[0].rows == 24);
    host_resizes(1, 100, 40); /* client 1: port 0 */
    assert_true(con->port[0].cols == 100 && con->port[0].rows == 40);
    assert_true(con->port[1].cols == 132 && con->port[1].rows == 50);
    /* the same counter again is no change; a 0 half is no size */
    vmm_notified(&fx.vm, CH(3, 1));
    host_resizes(3, 0, 30);
    assert_true(con->port[1].cols == 132 && con->port[1].rows == 50);
    /* TX notifications of either client are taken (they only resume that port's sending) */
    vmm_notified(&fx.vm, CH(1, 0));
    vmm_notified(&fx.vm, CH(3, 0));
    assert_int_equal(fake_log_count("no handler"), 0);
}

/* A size the host set before the VMM started is the port's from the start. */
static void size_before_start(void **state)
{
    (void)state;
    setup_two_ports(VMM_VIRTIO_F_MULTIPORT, 2);
    struct serial_queue_handle h;
    assert_int_equal(serial_queue_init(&h, rings[3][1], REGION, RING), 0);
    serial_queue_set_winsize(&h, 120, 33);
    assert_int_equal(vmm_virtio_init(&fx.vm, &v, scfg), 0);
    assert_true(v.console[0].con.port[1].cols == 120 && v.console[0].con.port[1].rows == 33);
}

static void single_port_without_multiport(void **state)
{
    (void)state;
    setup_two_ports(0, 1);
    assert_int_equal(vmm_virtio_init(&fx.vm, &v, scfg), 0);
    assert_false(v.console[0].con.multiport_offered);
    assert_int_equal(v.console[0].con.nr_ports, 1);
    host_resizes(1, 90, 30);
    assert_true(v.console[0].con.port[0].cols == 90 && v.console[0].con.port[0].rows == 30);
}

static void bad_client_behind_a_port(void **state)
{
    (void)state;
    setup_two_ports(VMM_VIRTIO_F_MULTIPORT, 2);
    scfg[3].magic = 0; /* no <serial> patched the PD's client 3 */
    assert_int_not_equal(vmm_virtio_init(&fx.vm, &v, scfg), 0);
    assert_int_equal(
        fake_log_count("vmm: guest 'linux': virtIO device 0 port 1: serial client 3 configuration: "
                       "bad magic"),
        1);
    setup_two_ports(VMM_VIRTIO_F_MULTIPORT, 2);
    scfg[3].rx.channel = CH(1, 1); /* client 1's channel: the channel table refuses it */
    assert_int_not_equal(vmm_virtio_init(&fx.vm, &v, scfg), 0);
    assert_int_equal(fake_log_count("has it already: not registered"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_port_on_its_own_channels),
        cmocka_unit_test(size_before_start),
        cmocka_unit_test(single_port_without_multiport),
        cmocka_unit_test(bad_client_behind_a_port),
    };
    return cmocka_run_group_tests_name("console_dev", tests, NULL, NULL);
}

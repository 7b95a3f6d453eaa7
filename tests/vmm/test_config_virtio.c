/*
 * vmm_config version 4's virtIO devices: a good configuration passes, and each bad one (count,
 * device id, INTID, register window, a console's ports) is refused with a line naming the guest
 * and the problem.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

#define WIN0 0x0a000000ull
#define WIN1 0x0a001000ull

static struct vmm_virtio_dev console(uint64_t ipa, uint32_t intid)
{
    return (struct vmm_virtio_dev){ .device_id = VMM_VIRTIO_CONSOLE,
                                    .intid = intid,
                                    .mmio_ipa = ipa,
                                    .mmio_size = 0x1000,
                                    .cols = 80,
                                    .rows = 24,
                                    .num_ports = 1,
                                    /* a serial client of its own (INTIDs from 48 here) */
                                    .ports = { { .serial_client = (intid - 48) % VMM_SERIAL_CLIENTS,
                                                 .flags = VMM_PORT_F_CONSOLE } } };
}

/* The fixture with two consoles, which is a valid configuration. */
static void setup_two(void)
{
    fx_setup();
    fx.cfg.num_virtio = 2;
    fx.cfg.virtio[0] = console(WIN0, 48);
    fx.cfg.virtio[1] = console(WIN1, 49);
}

static void check(enum vmm_config_err want, const char *line)
{
    assert_int_equal(vmm_config_check(&fx.cfg), want);
    if (line != NULL)
        assert_int_equal(fake_log_count(line), 1);
}

static void good_devices_pass(void **state)
{
    (void)state;
    setup_two();
    check(VMM_CONFIG_OK, NULL);
    assert_int_equal(fp.log[0], '\0');
    fx.cfg.num_virtio = VMM_MAX_VIRTIO;
    for (unsigned i = 0; i < VMM_MAX_VIRTIO; i++)
        fx.cfg.virtio[i] = console(WIN0 + i * 0x1000, 48 + i);
    check(VMM_CONFIG_OK, NULL);
    /* a window may touch RAM and the GIC frames without overlapping them */
    fx.cfg.num_virtio = 3;
    fx.cfg.virtio[0] = console(FX_RAM_IPA - 0x1000, 48);
    fx.cfg.virtio[1] = console(FX_RAM_IPA + FX_RAM_SIZE, 49);
    fx.cfg.virtio[2] = console(FX_GICD + VGIC_GICD_SIZE, 50);
    check(VMM_CONFIG_OK, NULL);
    /* and the version-4 guest boots */
    assert_int_equal(vmm_init(&fx.vm, &fx.cfg, &fx.g), 0);
}

static void too_many_devices(void **state)
{
    (void)state;
    setup_two();
    fx.cfg.num_virtio = VMM_MAX_VIRTIO + 1;
    check(VMM_CONFIG_ERR_VIRTIO_COUNT, "vmm: guest 'linux': 9 virtIO devices configured, at most 8 fit");
    assert_int_not_equal(vmm_init(&fx.vm, &fx.cfg, &fx.g), 0);
}

static void unknown_device_id(void **state)
{
    (void)state;
    setup_two();
    fx.cfg.virtio[1].device_id = 2; /* a block device: not (yet) emulated */
    check(VMM_CONFIG_ERR_VIRTIO_ID,
          "vmm: guest 'linux': virtIO device 1 has device id 2: this VMM emulates only "
          "3 (console)");
}

static void intid_not_an_spi_of_the_vgic(void **state)
{
    (void)state;
    setup_two();
    fx.cfg.virtio[0].intid = 31; /* a PPI */
    check(VMM_CONFIG_ERR_VIRTIO_IRQ,
          "vmm: guest 'linux': virtIO device 0 has INTID 31: an SPI the virtual GIC "
          "implements (INTID 32..127) is needed");
    fx.cfg.virtio[0].intid = 128; /* past the vGIC's last */
    check(VMM_CONFIG_ERR_VIRTIO_IRQ, "virtIO device 0 has INTID 128: an SPI");
    fx.cfg.virtio[0].intid = 0xffffffffu;
    check(VMM_CONFIG_ERR_VIRTIO_IRQ, NULL);
    fx.cfg.virtio[0].intid = 127; /* the last one is fine */
    check(VMM_CONFIG_OK, NULL);
}

static void intid_used_twice(void **state)
{
    (void)state;
    setup_two();
    fx.cfg.virtio[1].intid = FX_UART_INTID;
    check(VMM_CONFIG_ERR_VIRTIO_IRQ,
          "vmm: guest 'linux': virtIO device 1 has INTID 33, which passthrough IRQ 0 "
          "has");
    fx.cfg.virtio[1].intid = 48;
    check(VMM_CONFIG_ERR_VIRTIO_IRQ,
          "vmm: guest 'linux': virtIO device 1 has INTID 48, which virtIO device 0 has");
}

static void window_not_whole_pages(void **state)
{
    (void)state;
    setup_two();
    fx.cfg.virtio[1].mmio_ipa = WIN1 + 0x200;
    check(VMM_CONFIG_ERR_VIRTIO_WINDOW,
          "vmm: guest 'linux': virtIO device 1: window at 0xa001200 of 0x1000 bytes: "
          "whole 4 KiB pages are needed");
    setup_two();
    fx.cfg.virtio[1].mmio_size = 0x200;
    check(VMM_CONFIG_ERR_VIRTIO_WINDOW, "window at 0xa001000 of 0x200 bytes: whole 4 KiB pages");
    setup_two();
    fx.cfg.virtio[1].mmio_size = 0;
    check(VMM_CONFIG_ERR_VIRTIO_WINDOW, "window at 0xa001000 of 0x0 bytes: whole 4 KiB pages");
}

static void window_wrapping_or_out_of_reach(void **state)
{
    (void)state;
    setup_two();
    fx.cfg.virtio[0].mmio_ipa = 0xfffffffffffff000ull;
    fx.cfg.virtio[0].mmio_size = 0x2000;
    check(VMM_CONFIG_ERR_VIRTIO_WINDOW,
          "vmm: guest 'linux': virtIO device 0: window at 0xfffffffffffff000 of "
          "0x2000 bytes ends beyond the guest's 34-bit address space");
    setup_two();
    fx.cfg.virtio[0].mmio_ipa = (1ull << 34) - 0x1000;
    fx.cfg.virtio[0].mmio_size = 0x2000;
    check(VMM_CONFIG_ERR_VIRTIO_WINDOW, "window at 0x3fffff000 of 0x2000 bytes ends beyond");
    fx.cfg.virtio[0].mmio_size = 0x1000; /* the last page is fine */
    check(VMM_CONFIG_OK, NULL);
}

static void window_on_something_else(void **state)
{
    (void)state;
    setup_two();
    fx.cfg.virtio[1].mmio_ipa = FX_RAM_IPA + FX_RAM_SIZE - 0x1000;
    check(VMM_CONFIG_ERR_VIRTIO_WINDOW, "vmm: guest 'linux': virtIO device 1: window 0x40fff000-0x41000000 "
                                        "overlaps RAM 0x40000000-0x41000000");
    setup_two();
    fx.cfg.virtio[0].mmio_ipa = FX_GICD + 0xf000;
    check(VMM_CONFIG_ERR_VIRTIO_WINDOW,
          "virtIO device 0: window 0x800f000-0x8010000 overlaps the GIC distributor "
          "0x8000000-0x8010000");
    setup_two();
    fx.cfg.virtio[0].mmio_ipa = FX_GICR - 0x1000;
    fx.cfg.virtio[0].mmio_size = 0x2000;
    check(VMM_CONFIG_ERR_VIRTIO_WINDOW, "virtIO device 0: window 0x809f000-0x80a1000 overlaps the GIC "
                                        "redistributors 0x80a0000-0x80c0000");
    setup_two();
    fx.cfg.virtio[1].mmio_ipa = WIN0;
    check(VMM_CONFIG_ERR_VIRTIO_WINDOW,
          "virtIO device 1: window 0xa000000-0xa001000 overlaps virtIO device 0's "
          "0xa000000-0xa001000");
    setup_two();
    fx.cfg.virtio[0].mmio_size = 0x2000; /* now device 1's window lies inside device 0's */
    check(VMM_CONFIG_ERR_VIRTIO_WINDOW,
          "virtIO device 1: window 0xa001000-0xa002000 overlaps virtIO device 0's");
}

/* Devices beyond num_virtio are not looked at (the image tool leaves them zero). */
static void unused_entries_are_ignored(void **state)
{
    (void)state;
    setup_two();
    fx.cfg.num_virtio = 1;
    fx.cfg.virtio[1].device_id = 99;
    fx.cfg.virtio[1].mmio_ipa = 1;
    check(VMM_CONFIG_OK, NULL);
}

/* The fixture's device 0 as a three-port multiport console on clients 2, 3 and 4. */
static void setup_multiport(void)
{
    setup_two();
    struct vmm_virtio_dev *d = &fx.cfg.virtio[0];
    d->flags = VMM_VIRTIO_F_MULTIPORT | VMM_VIRTIO_F_RESIZE_ROWS_FIRST;
    d->num_ports = VMM_CONSOLE_PORTS;
    for (unsigned p = 0; p < VMM_CONSOLE_PORTS; p++)
        d->ports[p] = (struct vmm_console_port){ .serial_client = 2 + p, .flags = VMM_PORT_F_CONSOLE };
    strcpy(d->ports[0].name, "org.example.main");
    strcpy(d->ports[1].name, "aux-1@x");
    d->ports[2].flags = 0; /* a plain port: /dev/vport*, no hvc */
}

static void good_ports_pass(void **state)
{
    (void)state;
    setup_multiport();
    check(VMM_CONFIG_OK, NULL);
    /* a name of 31 bytes fills the field with its NUL */
    memset(fx.cfg.virtio[0].ports[1].name, 'n', VMM_PORT_NAME_LEN - 1);
    check(VMM_CONFIG_OK, NULL);
    assert_int_equal(vmm_init(&fx.vm, &fx.cfg, &fx.g), 0);
}

static void port_count_out_of_range(void **state)
{
    (void)state;
    setup_multiport();
    fx.cfg.virtio[0].num_ports = 0;
    check(VMM_CONFIG_ERR_VIRTIO_PORT,
          "vmm: guest 'linux': virtIO device 0: 0 console ports, 1..3 are possible");
    fx.cfg.virtio[0].num_ports = VMM_CONSOLE_PORTS + 1;
    check(VMM_CONFIG_ERR_VIRTIO_PORT, "virtIO device 0: 4 console ports, 1..3 are possible");
    fx.cfg.virtio[0].num_ports = 0xffffffffu;
    check(VMM_CONFIG_ERR_VIRTIO_PORT, "virtIO device 0: 4294967295 console ports");
    setup_multiport();
    fx.cfg.virtio[0].flags = 0;
    memset(fx.cfg.virtio[0].ports, 0, sizeof fx.cfg.virtio[0].ports);
    fx.cfg.virtio[0].ports[1].serial_client = 5;
    fx.cfg.virtio[0].num_ports = 2;
    check(VMM_CONFIG_ERR_VIRTIO_PORT, "virtIO device 0: 2 console ports without multiport");
}

static void port_client_bad(void **state)
{
    (void)state;
    setup_multiport();
    fx.cfg.virtio[0].ports[2].serial_client = VMM_SERIAL_CLIENTS;
    check(VMM_CONFIG_ERR_VIRTIO_PORT,
          "vmm: guest 'linux': virtIO device 0 port 2: serial client 8 out of range 0..7");
    fx.cfg.virtio[0].ports[2].serial_client = 0xffffffffu;
    check(VMM_CONFIG_ERR_VIRTIO_PORT, "virtIO device 0 port 2: serial client 4294967295 out of range");
    fx.cfg.virtio[0].ports[2].serial_client = 2; /* port 0's */
    check(VMM_CONFIG_ERR_VIRTIO_PORT,
          "virtIO device 0 port 2: serial client 2 already backs device 0 port 0");
    setup_multiport();
    fx.cfg.virtio[1].ports[0].serial_client = 4; /* another device's port 2 */
    check(VMM_CONFIG_ERR_VIRTIO_PORT,
          "virtIO device 1 port 0: serial client 4 already backs device 0 port 2");
}

static void port_flags_bad(void **state)
{
    (void)state;
    setup_multiport();
    fx.cfg.virtio[0].flags |= 1u << 7;
    check(VMM_CONFIG_ERR_VIRTIO_PORT, "vmm: guest 'linux': virtIO device 0: unknown flags 0x80");
    setup_multiport();
    fx.cfg.virtio[0].ports[1].flags = 0x10;
    check(VMM_CONFIG_ERR_VIRTIO_PORT, "virtIO device 0 port 1: unknown flags 0x10");
}

static void port_name_bad(void **state)
{
    (void)state;
    const char *bad[] = { "a/b", "-x", ".x", "a b", "\x1b[2J", "\xff" };
    for (unsigned k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        setup_multiport();
        strcpy(fx.cfg.virtio[0].ports[1].name, bad[k]);
        check(VMM_CONFIG_ERR_VIRTIO_PORT, "vmm: guest 'linux': virtIO device 0 port 1: name not terminated "
                                          "within 32 bytes or not of letters");
    }
    setup_multiport();
    memset(fx.cfg.virtio[0].ports[1].name, 'n', VMM_PORT_NAME_LEN); /* no NUL */
    check(VMM_CONFIG_ERR_VIRTIO_PORT, "virtIO device 0 port 1: name not terminated");
    setup_two();
    strcpy(fx.cfg.virtio[0].ports[0].name, "x");
    check(VMM_CONFIG_ERR_VIRTIO_PORT, "virtIO device 0 port 0: a name needs multiport");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_devices_pass),
        cmocka_unit_test(too_many_devices),
        cmocka_unit_test(unknown_device_id),
        cmocka_unit_test(intid_not_an_spi_of_the_vgic),
        cmocka_unit_test(intid_used_twice),
        cmocka_unit_test(window_not_whole_pages),
        cmocka_unit_test(window_wrapping_or_out_of_reach),
        cmocka_unit_test(window_on_something_else),
        cmocka_unit_test(unused_entries_are_ignored),
        cmocka_unit_test(good_ports_pass),
        cmocka_unit_test(port_count_out_of_range),
        cmocka_unit_test(port_client_bad),
        cmocka_unit_test(port_flags_bad),
        cmocka_unit_test(port_name_bad),
    };
    return cmocka_run_group_tests_name("config_virtio", tests, NULL, NULL);
}

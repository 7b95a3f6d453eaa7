/*
 * serial_drv_config_check (drivers/serial/common/serial_drv_config.c): a config from the image
 * tool is accepted, and every way a hostile one can be wrong is refused with a reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "serial_drv_config.h"
#include "serial_queue.h"

#define FRAME 0x48u

static _Alignas(64) uint8_t tx_region[0x1040], rx_region[0x1040];

static struct serial_driver_config good(void)
{
    return (struct serial_driver_config){
        .magic = SERIAL_DRIVER_MAGIC,
        .version = SERIAL_CONFIG_VERSION,
        .regs_vaddr = 0x9000000,
        .regs_size = 0x1000,
        .ref_clock_hz = 24000000,
        .baud = 115200,
        .irq_channel = 0,
        .tx = { (uintptr_t)tx_region, sizeof(tx_region), 0x1000, 1 },
        .rx = { (uintptr_t)rx_region, sizeof(rx_region), 0x1000, 2 },
    };
}

static void refused(const struct serial_driver_config *cfg, const char *reason_part)
{
    char why[160] = "";
    assert_int_equal(serial_drv_config_check(cfg, FRAME, why, sizeof(why)), -1);
    if (strstr(why, reason_part) == NULL)
        fail_msg("reason \"%s\" does not say \"%s\"", why, reason_part);
}

static void test_good_config_accepted(void **state)
{
    (void)state;
    char why[160];
    struct serial_driver_config c = good();
    assert_int_equal(serial_drv_config_check(&c, FRAME, why, sizeof(why)), 0);
    c.rx = (struct serial_queue_ref){ 0 }; /* without RX, the rx ring is not looked at */
    c.flags = SERIAL_DRV_F_NO_RX;
    assert_int_equal(serial_drv_config_check(&c, FRAME, why, sizeof(why)), 0);
    c = good();
    c.regs_size = FRAME; /* exactly the frame */
    c.tx.size = SERIAL_QUEUE_MIN_SIZE;
    assert_int_equal(serial_drv_config_check(&c, FRAME, why, sizeof(why)), 0);
}

static void test_bad_magic_and_version(void **state)
{
    (void)state;
    struct serial_driver_config c = good();
    c.magic = 0;
    refused(&c, "magic 0x0");
    c = good();
    c.magic = SERIAL_TX_MAGIC; /* another PD's config */
    refused(&c, "magic");
    c = good();
    c.version = SERIAL_CONFIG_VERSION + 1;
    refused(&c, "version 2");
}

static void test_bad_flags(void **state)
{
    (void)state;
    struct serial_driver_config c = good();
    c.flags = 1u << 5;
    refused(&c, "flags");
    c = good();
    c.reserved = 1;
    refused(&c, "reserved");
}

static void test_bad_register_region(void **state)
{
    (void)state;
    struct serial_driver_config c = good();
    c.regs_size = FRAME - 4;
    refused(&c, "register region");
    c = good();
    c.regs_vaddr = 0;
    refused(&c, "register region");
    c = good();
    c.regs_vaddr = UINT64_MAX - 0x800; /* wraps */
    refused(&c, "register region");
}

static void test_bad_baud_and_clock(void **state)
{
    (void)state;
    struct serial_driver_config c = good();
    c.baud = 0;
    refused(&c, "baud 0");
    c = good();
    c.ref_clock_hz = 0;
    refused(&c, "clock 0");
    c = good();
    c.ref_clock_hz = 1ull << 40;
    refused(&c, "out of range");
}

static void test_bad_rings(void **state)
{
    (void)state;
    static const uint32_t bad_sizes[] = { 0, 1, 3, 0x600, 0x80000000u };
    for (unsigned i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++) {
        struct serial_driver_config c = good();
        c.tx.size = bad_sizes[i];
        refused(&c, bad_sizes[i] == 0x80000000u ? "does not fit" : "not a power of two");
        c = good();
        c.rx.size = bad_sizes[i];
        refused(&c, "rx ring");
    }
    struct serial_driver_config c = good();
    c.tx.region_size = 0x1000; /* the data area and the control block need 0x1040 */
    refused(&c, "does not fit");
    c = good();
    c.rx.region_size = SERIAL_QUEUE_DATA_OFFSET - 1;
    refused(&c, "does not fit");
    c = good();
    c.tx.vaddr = 0;
    refused(&c, "tx ring region");
    c = good();
    c.rx.vaddr = UINT64_MAX - 0x100;
    refused(&c, "rx ring region");
    c = good();
    c.tx.vaddr += 4; /* the control block's atomics need alignment */
    refused(&c, "tx ring region");
    c = good();
    c.tx.region_size = UINT64_MAX;
    refused(&c, "tx ring region");
}

static void test_bad_channels(void **state)
{
    (void)state;
    struct serial_driver_config c = good();
    c.irq_channel = 62;
    refused(&c, "irq channel 62");
    c = good();
    c.tx.channel = 1000;
    refused(&c, "tx channel 1000");
    c = good();
    c.rx.channel = 62;
    refused(&c, "rx channel 62");
    c = good();
    c.rx.channel = c.tx.channel;
    refused(&c, "shares a channel");
    c = good();
    c.tx.channel = c.irq_channel;
    refused(&c, "shares a channel");
}

static void test_overlapping_regions(void **state)
{
    (void)state;
    struct serial_driver_config c = good();
    c.rx = c.tx;
    c.rx.channel = 2;
    refused(&c, "memory");
    c = good();
    c.rx.vaddr = c.tx.vaddr + 0x1000; /* its start inside the tx region */
    refused(&c, "memory");
    c = good();
    c.regs_vaddr = c.tx.vaddr + 64;
    refused(&c, "memory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_config_accepted),
        cmocka_unit_test(test_bad_magic_and_version),
        cmocka_unit_test(test_bad_flags),
        cmocka_unit_test(test_bad_register_region),
        cmocka_unit_test(test_bad_baud_and_clock),
        cmocka_unit_test(test_bad_rings),
        cmocka_unit_test(test_bad_channels),
        cmocka_unit_test(test_overlapping_regions),
    };
    return cmocka_run_group_tests_name("serial driver config", tests, NULL, NULL);
}

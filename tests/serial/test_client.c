/* The serial client library (include/serial_client.h) against two rings in memory: the checks of
 * the patched configuration, writes that fill the ring, reads that empty it, and the notify
 * decisions (only when the virtualiser's flag asks, once). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "serial_client.h"

#define SIZE   16u
#define REGION (SERIAL_QUEUE_DATA_OFFSET + SIZE)
static _Alignas(64) uint8_t tx_region[REGION];
static _Alignas(64) uint8_t rx_region[REGION];

static struct serial_client_config cfg;
static struct serial_client c;
/* The virtualisers' ends of the two rings. */
static struct serial_queue_handle virt_tx, virt_rx;

static int setup(void **state)
{
    (void)state;
    memset(tx_region, 0, sizeof(tx_region));
    memset(rx_region, 0, sizeof(rx_region));
    memset(&cfg, 0, sizeof(cfg));
    cfg.magic = SERIAL_CLIENT_MAGIC;
    cfg.version = SERIAL_CONFIG_VERSION;
    cfg.index = 1;
    strcpy(cfg.name, "beta");
    cfg.tx = (struct serial_queue_ref){ (uint64_t)(uintptr_t)tx_region, REGION, SIZE, 3 };
    cfg.rx = (struct serial_queue_ref){ (uint64_t)(uintptr_t)rx_region, REGION, SIZE, 4 };
    assert_int_equal(serial_queue_init(&virt_tx, tx_region, REGION, SIZE), 0);
    assert_int_equal(serial_queue_init(&virt_rx, rx_region, REGION, SIZE), 0);
    return 0;
}

static void init_accepts_good_config(void **state)
{
    (void)state;
    assert_null(serial_client_init(&c, &cfg));
    assert_string_equal(c.name, "beta");
    assert_int_equal(c.index, 1);
    assert_int_equal(c.tx_channel, 3);
    assert_int_equal(c.rx_channel, 4);
}

/* init refuses cfg, for the reason that names `why`. */
static void refused(const char *why)
{
    const char *err = serial_client_init(&c, &cfg);
    assert_non_null(err);
    if (strstr(err, why) == NULL)
        fail_msg("refused with \"%s\", expected \"%s\"", err, why);
}

static void init_refuses_bad_configs(void **state)
{
    (void)state;
    struct serial_client_config good = cfg;
    cfg.magic ^= 1;
    refused("magic");
    cfg = good, cfg.version++;
    refused("version");
    cfg = good, cfg.index = SERIAL_MAX_CLIENTS;
    refused("index");
    cfg = good, memset(cfg.name, 'x', sizeof(cfg.name));
    refused("name");
    cfg = good, cfg.tx.vaddr = 0;
    refused("address");
    cfg = good, cfg.rx.vaddr = UINT64_MAX - 8, cfg.rx.region_size = 0x100; /* would wrap */
    refused("address");
    cfg = good, cfg.tx.size = 12; /* not a power of two */
    refused("size");
    cfg = good, cfg.tx.size = 32; /* larger than the region after the control block */
    refused("size");
    cfg = good, cfg.rx.channel = SYS_MAX_CHANNELS;
    refused("channel out of range");
    cfg = good, cfg.rx.channel = cfg.tx.channel;
    refused("same channel");
    cfg = good, cfg.rx.vaddr = cfg.tx.vaddr + 8; /* overlaps tx */
    refused("overlap");
    cfg = good, cfg.tx.vaddr = cfg.rx.vaddr + REGION - 4, cfg.tx.size = 2, cfg.tx.region_size = 0x100;
    refused("overlap");
    cfg = good;
    assert_null(serial_client_init(&c, &cfg));
}

static void write_notifies_only_when_asked(void **state)
{
    (void)state;
    assert_null(serial_client_init(&c, &cfg));
    assert_int_equal(serial_client_write(&c, "ab", 2), 2);
    assert_false(serial_client_tx_blocked(&c));
    assert_false(serial_client_tx_notify_due(&c)); /* the virtualiser is not asleep */

    uint8_t buf[SIZE];
    assert_int_equal(serial_queue_read(&virt_tx, buf, sizeof(buf)), 2);
    assert_memory_equal(buf, "ab", 2);
    assert_true(serial_queue_consumer_block(&virt_tx)); /* it sleeps on the empty ring */

    assert_int_equal(serial_client_write(&c, "cd", 2), 2);
    assert_int_equal(serial_client_write(&c, "ef", 2), 2);
    assert_true(serial_client_tx_notify_due(&c)); /* once, for both writes */
    assert_false(serial_client_tx_notify_due(&c));
}

static void write_stops_at_full_ring(void **state)
{
    (void)state;
    uint8_t msg[SIZE + 5], buf[SIZE + 5];
    for (unsigned i = 0; i < sizeof(msg); i++)
        msg[i] = (uint8_t)(i + 1);
    assert_null(serial_client_init(&c, &cfg));
    assert_int_equal(serial_client_write(&c, msg, sizeof(msg)), SIZE);
    assert_true(serial_client_tx_blocked(&c));
    assert_int_equal(((struct serial_queue_ctrl *)tx_region)->producer_signal, 1);
    assert_int_equal(serial_client_write(&c, msg + SIZE, 5), 0);
    assert_true(serial_client_tx_blocked(&c));

    /* The virtualiser drains and, seeing the flag, notifies once. */
    assert_int_equal(serial_queue_read(&virt_tx, buf, SIZE), SIZE);
    assert_true(serial_queue_consumer_must_notify(&virt_tx));
    assert_int_equal(serial_client_write(&c, msg + SIZE, 5), 5);
    assert_false(serial_client_tx_blocked(&c));
    assert_int_equal(serial_queue_read(&virt_tx, buf + SIZE, 5), 5);
    assert_memory_equal(buf, msg, sizeof(msg));
    assert_int_equal(serial_client_write(&c, msg, 0), 0);
    assert_false(serial_client_tx_blocked(&c));
}

static void write_all_is_all_or_nothing(void **state)
{
    (void)state;
    uint8_t buf[SIZE];
    assert_null(serial_client_init(&c, &cfg));
    assert_int_equal(serial_client_tx_capacity(&c), SIZE);
    assert_true(serial_client_write_all(&c, "0123456789", 10));
    assert_false(serial_client_tx_blocked(&c));
    assert_false(serial_client_write_all(&c, "abcdefgh", 8)); /* 6 free: nothing written */
    assert_true(serial_client_tx_blocked(&c));
    assert_int_equal(((struct serial_queue_ctrl *)tx_region)->producer_signal, 1);
    assert_int_equal(serial_queue_filled(&virt_tx), 10);

    /* The virtualiser takes a little; its notification wakes the client, still short of room. */
    assert_int_equal(serial_queue_read(&virt_tx, buf, 1), 1);
    assert_true(serial_queue_consumer_must_notify(&virt_tx));
    assert_false(serial_client_write_all(&c, "abcdefgh", 8));
    assert_true(serial_client_tx_blocked(&c));
    assert_int_equal(((struct serial_queue_ctrl *)tx_region)->producer_signal, 1); /* asked again */
    assert_int_equal(serial_queue_read(&virt_tx, buf, SIZE), 9);
    assert_true(serial_queue_consumer_must_notify(&virt_tx));
    assert_true(serial_client_write_all(&c, "abcdefgh", 8));
    assert_false(serial_client_tx_blocked(&c));
    assert_int_equal(serial_queue_read(&virt_tx, buf, SIZE), 8);
    assert_memory_equal(buf, "abcdefgh", 8);

    /* Longer than the ring: never, and not reported as blocked (write it as a stream). */
    uint8_t big[SIZE + 1] = { 0 };
    assert_false(serial_client_write_all(&c, big, sizeof(big)));
    assert_false(serial_client_tx_blocked(&c));
    assert_int_equal(serial_queue_filled(&virt_tx), 0);
}

static void read_asks_for_notification_when_empty(void **state)
{
    (void)state;
    uint8_t buf[8];
    assert_null(serial_client_init(&c, &cfg));
    assert_int_equal(serial_client_read(&c, buf, sizeof(buf)), 0);
    assert_true(serial_queue_producer_must_notify(&virt_rx)); /* the flag the read set */
    assert_false(serial_queue_producer_must_notify(&virt_rx));

    assert_int_equal(serial_queue_write(&virt_rx, "hello", 5), 5);
    assert_int_equal(serial_client_read(&c, buf, 3), 3);
    assert_memory_equal(buf, "hel", 3);
    assert_int_equal(serial_client_read(&c, buf, sizeof(buf)), 2);
    assert_memory_equal(buf, "lo", 2);
    assert_false(serial_client_rx_notify_due(&c)); /* the RX virtualiser never blocked */
    assert_int_equal(serial_client_read(&c, buf, sizeof(buf)), 0);
    assert_true(serial_queue_producer_must_notify(&virt_rx));
    assert_int_equal(serial_client_read(&c, buf, 0), 0);
}

static void read_frees_space_for_blocked_producer(void **state)
{
    (void)state;
    uint8_t buf[SIZE];
    memset(buf, 'x', sizeof(buf));
    assert_null(serial_client_init(&c, &cfg));
    assert_int_equal(serial_queue_write(&virt_rx, buf, SIZE), SIZE);
    assert_true(serial_queue_producer_block(&virt_rx)); /* the RX virtualiser waits for space */
    assert_int_equal(serial_client_read(&c, buf, 4), 4);
    assert_true(serial_client_rx_notify_due(&c));
    assert_false(serial_client_rx_notify_due(&c));
    assert_int_equal(serial_client_read(&c, buf, 4), 4);
    assert_false(serial_client_rx_notify_due(&c)); /* asked once, notified once */
}

static void corrupt_rings_move_nothing(void **state)
{
    (void)state;
    uint8_t buf[4];
    assert_null(serial_client_init(&c, &cfg));
    ((struct serial_queue_ctrl *)tx_region)->tail = 1000; /* claims more than SIZE filled */
    ((struct serial_queue_ctrl *)rx_region)->tail = 1000;
    assert_int_equal(serial_client_write(&c, "ab", 2), 0);
    assert_true(serial_client_tx_blocked(&c));
    assert_int_equal(serial_client_read(&c, buf, sizeof(buf)), 0);
    assert_false(serial_client_tx_notify_due(&c));
    assert_false(serial_client_rx_notify_due(&c));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(init_accepts_good_config, setup),
        cmocka_unit_test_setup(init_refuses_bad_configs, setup),
        cmocka_unit_test_setup(write_notifies_only_when_asked, setup),
        cmocka_unit_test_setup(write_stops_at_full_ring, setup),
        cmocka_unit_test_setup(write_all_is_all_or_nothing, setup),
        cmocka_unit_test_setup(read_asks_for_notification_when_empty, setup),
        cmocka_unit_test_setup(read_frees_space_for_blocked_producer, setup),
        cmocka_unit_test_setup(corrupt_rings_move_nothing, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

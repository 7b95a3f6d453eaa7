/*
 * The virtualisers' configuration checks (serial_virt/config_check.c through tx_setup and
 * rx_setup): a good configuration is taken; every hostile field is refused with a reason that
 * names it, and no ring is set up from it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rings.h"
#include "rx_setup.h"
#include "tx_setup.h"

static struct ring drv, logr, cl[2];
static struct serial_tx_config tx;
static struct serial_rx_config rx;

static int setup(void **state)
{
    (void)state;
    ring_new(&drv, 256);
    ring_new(&logr, 256);
    ring_new(&cl[0], 64);
    ring_new(&cl[1], 64);
    memset(&tx, 0, sizeof(tx));
    tx.magic = SERIAL_TX_MAGIC;
    tx.version = SERIAL_CONFIG_VERSION;
    tx.flags = SERIAL_TX_F_COLOUR | SERIAL_TX_F_BANNER;
    tx.num_clients = 2;
    tx.driver = ring_ref(&drv, 0);
    tx.log = ring_ref(&logr, 1);
    tx.clients[0] = ring_ref(&cl[0], 2);
    tx.clients[1] = ring_ref(&cl[1], 3);
    strcpy(tx.names[0], "alpha");
    strcpy(tx.names[1], "beta");
    memset(&rx, 0, sizeof(rx));
    rx.magic = SERIAL_RX_MAGIC;
    rx.version = SERIAL_CONFIG_VERSION;
    rx.num_clients = 2;
    rx.initial_client = 1;
    rx.driver = ring_ref(&drv, 0);
    rx.clients[0] = ring_ref(&cl[0], 2);
    rx.clients[1] = ring_ref(&cl[1], 3);
    strcpy(rx.names[0], "alpha");
    strcpy(rx.names[1], "beta");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ring_free(&drv);
    ring_free(&logr);
    ring_free(&cl[0]);
    ring_free(&cl[1]);
    return 0;
}

static struct tx_mux m;
static struct rx_route r;
static char banner[TX_BANNER_MAX];

/* tx (or rx) is refused, for a reason containing `why`. */
static void tx_refused(const char *why)
{
    char buf[160];
    struct sv_text t;
    sv_text_init(&t, buf, sizeof(buf));
    if (tx_setup(&m, &tx, banner, &t))
        fail_msg("TX accepted a configuration it should refuse (%s)", why);
    if (strstr(buf, why) == NULL)
        fail_msg("TX refused with \"%s\", expected \"%s\"", buf, why);
}

static void rx_refused(const char *why)
{
    char buf[160];
    struct sv_text t;
    sv_text_init(&t, buf, sizeof(buf));
    if (rx_setup(&r, &rx, &t))
        fail_msg("RX accepted a configuration it should refuse (%s)", why);
    if (strstr(buf, why) == NULL)
        fail_msg("RX refused with \"%s\", expected \"%s\"", buf, why);
}

static void good_configs_are_taken(void **state)
{
    (void)state;
    char buf[160];
    struct sv_text t;
    sv_text_init(&t, buf, sizeof(buf));
    assert_true(tx_setup(&m, &tx, banner, &t));
    assert_int_equal(m.nsrc, 3); /* two clients and the log */
    assert_true(rx_setup(&r, &rx, &t));
    assert_int_equal(r.n, 2);
    assert_int_equal(r.cur, 1);
    tx.log.size = 0; /* no log ring: its other fields do not matter */
    tx.log.vaddr = 0;
    assert_true(tx_setup(&m, &tx, banner, &t));
    assert_int_equal(m.nsrc, 2);
    tx.num_clients = 0; /* only the log: TX still runs */
    assert_true(tx_setup(&m, &tx, banner, &t));
}

#define CASE(what, expr, why)                                                                                \
    do {                                                                                                     \
        setup(NULL);                                                                                         \
        expr;                                                                                                \
        what(why);                                                                                           \
        teardown(NULL);                                                                                      \
    } while (0)

static void hostile_tx_configs_are_refused(void **state)
{
    (void)state;
    teardown(NULL);
    CASE(tx_refused, tx.magic = 0, "bad magic");
    CASE(tx_refused, tx.version = 99, "configuration version 99"); /* was 2, which is now the version */
    CASE(tx_refused, tx.num_clients = SERIAL_MAX_CLIENTS + 1, "number of clients 17 out of range");
    CASE(tx_refused, tx.num_clients = UINT32_MAX, "number of clients");
    CASE(tx_refused, tx.flags |= 1u << 7, "unknown flags");
    CASE(tx_refused, tx.driver.size = 64, "driver ring: data area too small");
    CASE(tx_refused, tx.driver.size = 200, "driver ring: size not a power of two");
    CASE(tx_refused, tx.driver.size = 384, "driver ring: size not a power of two");
    CASE(tx_refused, tx.driver.size = 512, "driver ring: size not a power of two that fits its region");
    CASE(tx_refused, tx.clients[1].size = 0, "client 1 ring: data area too small");
    CASE(tx_refused, tx.clients[1].size = 1u << 31, "client 1 ring: size not a power of two that fits");
    CASE(tx_refused, tx.clients[0].region_size = 63, "client 0 ring: size not a power of two that fits");
    CASE(tx_refused, tx.clients[0].vaddr = 0, "client 0 ring: region address out of range");
    CASE(tx_refused, (tx.clients[0].vaddr = UINT64_MAX - 100, tx.clients[0].region_size = 200),
         "client 0 ring: region address out of range");
    CASE(tx_refused, tx.clients[0].channel = 62, "client 0 ring: channel id out of range");
    CASE(tx_refused, tx.clients[0].channel = UINT32_MAX, "channel id out of range");
    CASE(tx_refused, tx.log.channel = 0, "log ring: channel id used twice");
    CASE(tx_refused, tx.clients[1].channel = 2, "client 1 ring: channel id used twice");
    CASE(tx_refused, tx.log.size = 3, "log ring: size not a power of two");
    CASE(tx_refused, tx.clients[1] = ring_ref(&cl[0], 3), "client 1 ring: region overlaps another ring's");
    CASE(tx_refused, tx.clients[0].vaddr = tx.driver.vaddr + 8, "client 0 ring: region overlaps");
    CASE(tx_refused, memset(tx.names[1], 'x', SERIAL_NAME_LEN), "client 1 name not terminated");
    setup(NULL);
}

static void hostile_rx_configs_are_refused(void **state)
{
    (void)state;
    teardown(NULL);
    CASE(rx_refused, rx.magic = SERIAL_TX_MAGIC, "bad magic");
    CASE(rx_refused, rx.version = 0, "configuration version 0");
    CASE(rx_refused, rx.num_clients = 0, "number of clients 0 out of range");
    CASE(rx_refused, rx.num_clients = 17, "number of clients 17 out of range");
    CASE(rx_refused, rx.initial_client = 2, "initial client 2 out of range");
    CASE(rx_refused, rx.initial_client = UINT32_MAX, "initial client");
    CASE(rx_refused, rx.driver.size = 100, "driver ring: size not a power of two");
    CASE(rx_refused, rx.clients[1].channel = 0, "client 1 ring: channel id used twice");
    CASE(rx_refused, rx.clients[1].channel = 99, "client 1 ring: channel id out of range");
    CASE(rx_refused, rx.clients[0].region_size = UINT64_MAX, "client 0 ring: region address out of range");
    CASE(rx_refused, rx.clients[0] = ring_ref(&cl[1], 2), "client 1 ring: region overlaps");
    CASE(rx_refused, memset(rx.names[0], 'x', SERIAL_NAME_LEN), "client 0 name not terminated");
    setup(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(good_configs_are_taken, setup, teardown),
        cmocka_unit_test_setup_teardown(hostile_tx_configs_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(hostile_rx_configs_are_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

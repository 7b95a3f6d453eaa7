/*
 * The driver PD's glue (drivers/serial/common/serial_drv_pd.c) with the PL011's register logic,
 * against the simulated PL011 and fakes of the microkit calls: a config it refuses gets one
 * line and the UART is never touched, not even by a later interrupt; a good one gets the init
 * line, and each channel's notification is turned into the right calls and notifications.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "pl011.h"
#include "pl011_regs.h"
#include "rig.h"
#include "serial_drv_pd.h"
#include "sim.h"

/* What the PD's runtime would provide; the fakes record the calls. */
char microkit_name[MICROKIT_PD_NAME_LENGTH] = "serial_driver";
seL4_Word microkit_irqs, microkit_notifications, microkit_pps;
seL4_Bool microkit_have_signal;
static char out[4096];
static size_t out_len;
static unsigned notified_ch[MICROKIT_MAX_CHANNELS], acked_ch[MICROKIT_MAX_CHANNELS];

void microkit_dbg_puts(const char *s)
{
    size_t n = strlen(s);
    assert_true(out_len + n < sizeof(out));
    memcpy(out + out_len, s, n + 1);
    out_len += n;
}

void microkit_deferred_notify(microkit_channel ch)
{
    assert_true(ch < MICROKIT_MAX_CHANNELS);
    notified_ch[ch]++;
}

void microkit_deferred_irq_ack(microkit_channel ch)
{
    assert_true(ch < MICROKIT_MAX_CHANNELS);
    acked_ch[ch]++;
}

const struct dev_desc dev = { .ops = &pl011_ops, .ref_hz = 24000000 };

extern struct serial_driver_config serial_driver_config;

static void reset(void)
{
    sim_reset();
    out_len = 0;
    out[0] = 0;
    memset(notified_ch, 0, sizeof(notified_ch));
    memset(acked_ch, 0, sizeof(acked_ch));
}

static unsigned lines(void)
{
    unsigned n = 0;
    for (size_t i = 0; i < out_len; i++)
        n += out[i] == '\n';
    return n;
}

/* init refuses: exactly one line naming the reason, no register touched, and every
 * notification afterwards ignored. */
static void expect_refused(const char *reason_part)
{
    reset();
    serial_drv_pd_init(&pl011_ops);
    assert_int_equal(lines(), 1);
    assert_non_null(strstr(out, "pl011: config refused, not starting: "));
    if (strstr(out, reason_part) == NULL)
        fail_msg("\"%s\" does not say \"%s\"", out, reason_part);
    sim_rx_push('a');
    serial_drv_pd_notified(RIG_IRQ_CH);
    serial_drv_pd_notified(RIG_TX_CH);
    serial_drv_pd_notified(RIG_RX_CH);
    assert_int_equal(sim_accesses, 0);
    assert_int_equal(lines(), 1);
    assert_int_equal(acked_ch[RIG_IRQ_CH] + notified_ch[RIG_TX_CH] + notified_ch[RIG_RX_CH], 0);
}

/* Runs first: the PD's state is static, and once it runs it stays running. */
static void test_refused_configs(void **state)
{
    (void)state;
    memset(&serial_driver_config, 0, sizeof(serial_driver_config)); /* not patched at all */
    expect_refused("magic 0x0");
    rig_config(&serial_driver_config, 64, 64);
    serial_driver_config.version = 7;
    expect_refused("version 7");
    rig_config(&serial_driver_config, 64, 64);
    serial_driver_config.rx.size = 48;
    expect_refused("rx ring size 0x30 is not a power of two");
    rig_config(&serial_driver_config, 64, 64);
    serial_driver_config.tx.region_size = 64;
    expect_refused("tx ring of 0x40 bytes does not fit its region of 0x40");
    rig_config(&serial_driver_config, 64, 64);
    serial_driver_config.baud = 0;
    expect_refused("baud 0");
    rig_config(&serial_driver_config, 64, 64);
    serial_driver_config.baud = 3000000;
    expect_refused("baud 3000000 cannot be reached from 24000000 Hz");
}

static void test_runs_with_a_good_config(void **state)
{
    (void)state;
    struct serial_queue_handle tx, rx;
    const struct serial_driver_config *c = &serial_driver_config;
    uint8_t byte = 0;
    reset();
    rig_config(&serial_driver_config, 64, 64);
    assert_int_equal(serial_queue_init(&tx, (void *)(uintptr_t)c->tx.vaddr, c->tx.region_size, c->tx.size),
                     0);
    assert_int_equal(serial_queue_init(&rx, (void *)(uintptr_t)c->rx.vaddr, c->rx.region_size, c->rx.size),
                     0);
    assert_int_equal(serial_queue_write(&tx, "hi", 2), 2); /* waiting before the driver starts */
    serial_drv_pd_init(&pl011_ops);
    assert_int_equal(lines(), 1);
    assert_string_equal(out, "pl011: 0x9000000 115200 8N1 ref 24000000 Hz IBRD 13 FBRD 1 -> 115246 baud; "
                             "read back: IBRD=13 FBRD=1 LCRH=0x70 CR=0x301 IFLS=0x11 IMSC=0x50\n");
    assert_int_equal(sim_tx_level(), 2); /* sent at start */

    assert_int_equal(serial_queue_write(&tx, "yo", 2), 2);
    serial_drv_pd_notified(RIG_TX_CH);
    assert_int_equal(sim_tx_level(), 4);
    sim_tx_drain(4);
    assert_memory_equal(sim_wire, "hiyo", 4);

    assert_true(serial_queue_consumer_block(&rx)); /* RX virt sleeps on the empty ring */
    sim_rx_push('z');
    sim_rx_idle();
    serial_drv_pd_notified(RIG_IRQ_CH);
    assert_int_equal(acked_ch[RIG_IRQ_CH], 1);
    assert_int_equal(notified_ch[RIG_RX_CH], 1);
    assert_int_equal(notified_ch[RIG_TX_CH], 0);
    assert_int_equal(serial_queue_read(&rx, &byte, 1), 1);
    assert_int_equal(byte, 'z');

    sim_rx_push('x' | PL011_DR_FE); /* an error: one line */
    sim_rx_idle();
    serial_drv_pd_notified(RIG_IRQ_CH);
    assert_int_equal(lines(), 2);
    assert_non_null(strstr(out, "\npl011: rx errors: framing 1 parity 0 break 0 overrun 0\n"));
    serial_drv_pd_notified(40); /* a channel it does not have: ignored */
    assert_int_equal(sim_faults, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused_configs),
        cmocka_unit_test(test_runs_with_a_good_config),
    };
    return cmocka_run_group_tests_name("driver PD glue", tests, NULL, NULL);
}

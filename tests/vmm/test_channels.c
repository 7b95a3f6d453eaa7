/*
 * The channel table: passthrough IRQs' channels registered at init, a device's handler called
 * with its context and channel, one line for a channel nobody handles, and registrations that
 * must fail (taken, out of range, no handler; two passthrough IRQs on one channel).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

#define TX_CH 7u
#define RX_CH 8u

struct listener {
    unsigned calls;
    microkit_channel last;
};

static struct listener tx, rx;

static void heard(void *ctx, microkit_channel ch)
{
    struct listener *l = ctx;
    l->calls++;
    l->last = ch;
}

static void boot_with_listeners(void)
{
    fx_boot();
    memset(&tx, 0, sizeof(tx));
    memset(&rx, 0, sizeof(rx));
    assert_int_equal(vmm_channel_register(&fx.vm, TX_CH, heard, &tx, "console TX"), 0);
    assert_int_equal(vmm_channel_register(&fx.vm, RX_CH, heard, &rx, "console RX"), 0);
}

static void passthrough_irqs_register_their_channels(void **state)
{
    (void)state;
    fx_boot();
    const struct vmm_channel_handler *h = &fx.vm.channels.ch[FX_UART_CH];
    assert_non_null(h->fn);
    assert_string_equal(h->name, "passthrough IRQ");
    for (unsigned ch = 0; ch < MICROKIT_MAX_CHANNELS; ch++)
        if (ch != FX_UART_CH)
            assert_null(fx.vm.channels.ch[ch].fn);
    vmm_notified(&fx.vm, FX_UART_CH);
    assert_int_equal(fv.raises, 1);
    assert_int_equal(fv.raise_intid, FX_UART_INTID);
}

static void notifications_reach_their_handler(void **state)
{
    (void)state;
    boot_with_listeners();
    vmm_notified(&fx.vm, RX_CH);
    assert_int_equal(rx.calls, 1);
    assert_int_equal(rx.last, RX_CH);
    assert_int_equal(tx.calls, 0);
    vmm_notified(&fx.vm, TX_CH);
    vmm_notified(&fx.vm, TX_CH);
    assert_int_equal(tx.calls, 2);
    assert_int_equal(tx.last, TX_CH);
    assert_int_equal(rx.calls, 1);
    assert_int_equal(fv.raises, 0); /* not the UART's IRQ */
    vmm_notified(&fx.vm, FX_UART_CH);
    assert_int_equal(fv.raises, 1);
    assert_int_equal(tx.calls + rx.calls, 3);
}

static void an_unknown_channel_gets_one_line(void **state)
{
    (void)state;
    boot_with_listeners();
    vmm_notified(&fx.vm, 9);
    vmm_notified(&fx.vm, 9);
    assert_int_equal(fake_log_count("vmm: guest 'linux': notification on channel 9, which no device of this "
                                    "guest handles: ignored"),
                     1);
    /* beyond the Microkit channel ids too (no kernel sends one; nothing is indexed with it) */
    vmm_notified(&fx.vm, MICROKIT_MAX_CHANNELS);
    vmm_notified(&fx.vm, 100000);
    assert_int_equal(fake_log_count("which no device of this guest handles"), 3);
    assert_int_equal(tx.calls + rx.calls + fv.raises, 0);
}

static void bad_registrations_fail(void **state)
{
    (void)state;
    boot_with_listeners();
    assert_int_not_equal(vmm_channel_register(&fx.vm, TX_CH, heard, &rx, "virtio-blk"), 0);
    assert_int_equal(fake_log_count("vmm: guest 'linux': channel 7 for 'virtio-blk': 'console TX' has it "
                                    "already: not registered"),
                     1);
    assert_int_not_equal(vmm_channel_register(&fx.vm, FX_UART_CH, heard, &rx, "virtio-blk"), 0);
    assert_int_equal(fake_log_count("channel 5 for 'virtio-blk': 'passthrough IRQ' has it already"), 1);
    assert_int_not_equal(vmm_channel_register(&fx.vm, MICROKIT_MAX_CHANNELS, heard, &rx, "far"), 0);
    assert_int_equal(fake_log_count("vmm: guest 'linux': channel 62 for 'far': Microkit channel ids are "
                                    "0..61: not registered"),
                     1);
    assert_int_not_equal(vmm_channel_register(&fx.vm, 20, NULL, &rx, "nofn"), 0);
    assert_int_equal(fake_log_count("channel 20 for 'nofn': no handler: not registered"), 1);
    /* the first registration still holds */
    vmm_notified(&fx.vm, TX_CH);
    assert_int_equal(tx.calls, 1);
    assert_int_equal(rx.calls, 0);
    assert_null(fx.vm.channels.ch[20].fn);
}

static void two_irqs_on_one_channel_fail_init(void **state)
{
    (void)state;
    fx_setup();
    fx.cfg.num_irqs = 2;
    fx.cfg.irqs[1] = (struct vmm_passthrough_irq){ .intid = FX_UART_INTID + 1, .channel = FX_UART_CH };
    assert_int_not_equal(vmm_init(&fx.vm, &fx.cfg, &fx.g), 0);
    assert_int_equal(fake_log_count("vmm: guest 'linux': channel 5 for 'passthrough IRQ': 'passthrough IRQ' "
                                    "has it already"),
                     1);
    /* no guest: the channel is nobody's now */
    vmm_notified(&fx.vm, FX_UART_CH);
    assert_int_equal(fv.raises, 0);
    assert_int_equal(fake_log_count("notification on channel 5, which no device"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passthrough_irqs_register_their_channels),
        cmocka_unit_test(notifications_reach_their_handler),
        cmocka_unit_test(an_unknown_channel_gets_one_line),
        cmocka_unit_test(bad_registrations_fail),
        cmocka_unit_test(two_irqs_on_one_channel_fail_init),
    };
    return cmocka_run_group_tests_name("channels", tests, NULL, NULL);
}

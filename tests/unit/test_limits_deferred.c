/* libmicrokit's deferred calls on the host (libmicrokit/src/deferred.c with the immediate calls
 * faked): one action is recorded and handed to the next wait, checked against the PD's masks
 * first; a second one performs the first at once, so none is lost (Microkit would drop it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../libmicrokit/src/deferred.c"

seL4_Word microkit_notifications = 1u << 3, microkit_irqs = 1u << 5;
static unsigned notified_ch[8], acked_ch[8], n_notified, n_acked, n_diags;

void microkit_notify(microkit_channel ch)
{
    notified_ch[n_notified++] = ch;
}

void microkit_irq_ack(microkit_channel ch)
{
    acked_ch[n_acked++] = ch;
}

bool mk_channel_ok(const char *func, microkit_channel ch, seL4_Word mask)
{
    (void)func;
    bool ok = ch < MICROKIT_MAX_CHANNELS && ((mask >> ch) & 1);
    n_diags += !ok;
    return ok;
}

static void reset(void)
{
    n_notified = n_acked = n_diags = 0;
    (void)mk_take_deferred();
}

static void one_action_waits_for_the_loop(void **state)
{
    (void)state;
    reset();
    microkit_deferred_notify(3);
    assert_true(microkit_have_signal);
    assert_int_equal(n_notified, 0); /* nothing until the wait */
    assert_int_equal(mk_take_deferred(), SYS_DEFER(SYS_DEFER_NOTIFY, 3));
    assert_false(microkit_have_signal);
    assert_int_equal(mk_take_deferred(), 0); /* performed once */
    microkit_deferred_irq_ack(5);
    assert_int_equal(mk_take_deferred(), SYS_DEFER(SYS_DEFER_IRQ_ACK, 5));
}

static void second_action_sends_the_first(void **state)
{
    (void)state;
    reset();
    microkit_deferred_irq_ack(5);
    microkit_deferred_notify(3);
    assert_int_equal(n_acked, 1);
    assert_int_equal(acked_ch[0], 5);
    assert_int_equal(mk_take_deferred(), SYS_DEFER(SYS_DEFER_NOTIFY, 3));
}

static void bad_channels_are_refused_now(void **state)
{
    (void)state;
    reset();
    microkit_deferred_notify(5);  /* an IRQ id, not a notify channel */
    microkit_deferred_irq_ack(3); /* and the other way round */
    microkit_deferred_notify(MICROKIT_MAX_CHANNELS);
    assert_int_equal(n_diags, 3);
    assert_false(microkit_have_signal);
    assert_int_equal(mk_take_deferred(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_action_waits_for_the_loop),
        cmocka_unit_test(second_action_sends_the_first),
        cmocka_unit_test(bad_channels_are_refused_now),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * microkit_deferred_notify and microkit_deferred_irq_ack: one action recorded, checked against
 * the PD's capabilities now, and handed to the kernel with the event loop's next wait
 * (pd_abi.h, SYS_DEFER). A second one while one is recorded performs the first at once.
 */
#include <microkit.h> /* and pd_abi.h's SYS_DEFER; no kernel calls here, so the host tests build it */

#include "runtime.h"

seL4_Bool microkit_have_signal;
static uint64_t recorded; /* SYS_DEFER(kind, ch) while microkit_have_signal */

static void perform(uint64_t action)
{
    if (SYS_DEFER_KIND(action) == SYS_DEFER_NOTIFY)
        microkit_notify((microkit_channel)SYS_DEFER_CH(action));
    else
        microkit_irq_ack((microkit_channel)SYS_DEFER_CH(action));
}

static void record(uint64_t action)
{
    if (microkit_have_signal)
        perform(recorded);
    recorded = action;
    microkit_have_signal = true;
}

void microkit_deferred_notify(microkit_channel ch)
{
    if (mk_channel_ok("microkit_deferred_notify", ch, microkit_notifications))
        record(SYS_DEFER(SYS_DEFER_NOTIFY, ch));
}

void microkit_deferred_irq_ack(microkit_channel ch)
{
    if (mk_channel_ok("microkit_deferred_irq_ack", ch, microkit_irqs))
        record(SYS_DEFER(SYS_DEFER_IRQ_ACK, ch));
}

uint64_t mk_take_deferred(void)
{
    uint64_t action = microkit_have_signal ? recorded : 0;
    microkit_have_signal = false;
    return action;
}

/*
 * Who handles a notification on each of the VMM PD's channels: notified(ch) goes to the
 * handler registered for ch. Passthrough IRQs register theirs in vmm_init; a virtIO device
 * registers the channels it listens on (a console: its serial TX and RX virtualisers'). One
 * handler per channel, indexed directly, so a notification costs no search.
 */
#ifndef VMM_CHANNEL_TABLE_H
#define VMM_CHANNEL_TABLE_H

#include <microkit.h>

typedef void (*vmm_notify_fn)(void *ctx, microkit_channel ch);

struct vmm_channel_handler {
    vmm_notify_fn fn; /* NULL: nobody */
    void *ctx;
    const char *name; /* for messages (kept, not copied) */
};

struct vmm_channel_table {
    struct vmm_channel_handler ch[MICROKIT_MAX_CHANNELS];
};

struct vmm;

/* Makes fn(ctx, ch) the handler of notifications on ch. Fails (-1, after a line naming the
 * guest, the channel and both users) if ch is not a Microkit channel id, already has a
 * handler, or fn is NULL. Call it after vmm_init, before the first notification. */
int vmm_channel_register(struct vmm *vm, microkit_channel ch, vmm_notify_fn fn, void *ctx, const char *name);

#endif

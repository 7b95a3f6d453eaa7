/* Notifications to the VMM PD, dispatched by channel (channel_table.h). */
#include "channel_table.h"
#include "vmm.h"
#include "vmm_log.h"

#define LOG_KEY_CHANNEL 0x4e4f544900000000ull /* "NOTI": one line per unknown channel */

int vmm_channel_register(struct vmm *vm, microkit_channel ch, vmm_notify_fn fn, void *ctx, const char *name)
{
    const char *what = name != NULL ? name : "?";
    if (ch >= MICROKIT_MAX_CHANNELS) {
        vmm_log(vm, "channel %u for '%s': Microkit channel ids are 0..%u: not registered", ch, what,
                MICROKIT_MAX_CHANNELS - 1);
        return -1;
    }
    if (fn == NULL) {
        vmm_log(vm, "channel %u for '%s': no handler: not registered", ch, what);
        return -1;
    }
    struct vmm_channel_handler *h = &vm->channels.ch[ch];
    if (h->fn != NULL) {
        vmm_log(vm, "channel %u for '%s': '%s' has it already: not registered", ch, what, h->name);
        return -1;
    }
    *h = (struct vmm_channel_handler){ fn, ctx, what };
    return 0;
}

void vmm_notified(struct vmm *vm, microkit_channel ch)
{
    if (ch < MICROKIT_MAX_CHANNELS) {
        const struct vmm_channel_handler *h = &vm->channels.ch[ch];
        if (h->fn != NULL) {
            h->fn(h->ctx, ch);
            return;
        }
    }
    /* The system description gave the PD a channel none of its devices listens on. */
    if (vmm_log_first(vm, LOG_KEY_CHANNEL | ch))
        vmm_log(vm, "notification on channel %u, which no device of this guest handles: ignored", ch);
}

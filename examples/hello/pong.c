/* pong: answers each of ping's notifications by adding 1 to the shared value. The answer is a
 * deferred notify, sent with pong's next wait (ping-pong stalls if it is not). */
#include <inttypes.h>
#include <stdio.h>

#include <microkit.h>

#include "hello.h"

/* Patched by the image tool (setvar_vaddr); pong maps the page at another address than ping. */
uintptr_t shared_vaddr __attribute__((section(".data")));

void init(void)
{
    printf("pong: shared page at 0x%" PRIxPTR ", waiting for ping\n", shared_vaddr);
}

void notified(microkit_channel ch)
{
    if (ch != PONG_CH_PING) {
        printf("pong: unexpected notification on channel %u\n", ch);
        return;
    }
    volatile uint64_t *value = (volatile uint64_t *)shared_vaddr;
    uint64_t got = *value;
    printf("pong: got %" PRIu64 ", returning %" PRIu64 "\n", got, got + 1);
    *value = got + 1;
    microkit_deferred_notify(PONG_CH_PING);
}

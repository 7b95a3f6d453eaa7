/*
 * pong (core 1): answers each of ping's notifications (ping is on core 0) by copying the
 * round's number from seq to ack in the shared page. It checks every number is exactly one
 * more than the last (a lost notification stalls the game; a doubled one shows as a repeat)
 * and reports each batch. At each batch's end it calls calc0 on core 0 before answering.
 */
#include <inttypes.h>
#include <stdio.h>

#include <microkit.h>

#include "calc_call.h"
#include "core.h"
#include "smp.h"

/* Patched by the image tool (setvar_vaddr): the `pingpong` page. */
uintptr_t pingpong_vaddr __attribute__((section(".data")));

static uint64_t last_seq, got, repeats, gaps;

void init(void)
{
    say_core();
}

void notified(microkit_channel ch)
{
    if (ch != PONG_CH_PING) {
        printf("pong: unexpected notification on channel %u\n", ch);
        return;
    }
    struct pingpong_page *pp = (struct pingpong_page *)pingpong_vaddr;
    uint64_t seq = load_acquire(&pp->seq);
    got++;
    if (seq == last_seq)
        repeats++;
    else if (seq != last_seq + 1)
        gaps++;
    last_seq = seq;
    if (seq % PP_ROUNDS == 0) {
        printf("pong: batch %" PRIu64 ": %" PRIu64 " notifications, last round %" PRIu64 ", %" PRIu64
               " repeated, %" PRIu64 " out of sequence\n",
               seq / PP_ROUNDS, got, seq, repeats, gaps);
        got = 0;
        calc_call(PONG_CH_CALC0, "calc0", seq);
    }
    store_release(&pp->ack, seq);
    microkit_deferred_notify(PONG_CH_PING);
}

/*
 * ping (core 0): conducts the smp demonstration.
 *  1. Batch 1 of ping-pong with pong on core 1: PP_ROUNDS round trips, each numbered in the
 *     shared page and checked on both sides; then a protected call to calc1 on core 1.
 *  2. The worker measures its work rate with and without the spinner on core 1.
 *  3. faulter on core 1 reads unmapped memory; the kernel reports it and stops it.
 *  4. echo on core 1 takes a typed line through the UART interrupt and tells ping, which plays
 *     batch 2 (and calls calc1 again) while the spinner still spins: everything else goes on.
 */
#include <inttypes.h>
#include <stdio.h>

#include <microkit.h>

#include "calc_call.h"
#include "core.h"
#include "smp.h"

/* Patched by the image tool (setvar_vaddr): the `pingpong` and `spin` pages. */
uintptr_t pingpong_vaddr __attribute__((section(".data")));
uintptr_t spin_vaddr __attribute__((section(".data")));

#define SPIN_WATCH_US 20000u

static uint64_t seq, round_trips, spurious, batch_start;
static unsigned batch; /* the batch being played, or the last one finished */
static int faulted_told;

static struct pingpong_page *page(void)
{
    return (struct pingpong_page *)pingpong_vaddr;
}

static void send(uint64_t n)
{
    seq = n;
    store_release(&page()->seq, n);
    microkit_notify(PING_CH_PONG);
}

static void start_batch(void)
{
    batch++;
    round_trips = 0;
    spurious = 0;
    printf("ping: batch %u: %d round trips with pong\n", batch, PP_ROUNDS);
    batch_start = read_cntpct();
    send(seq + 1);
}

/* The spinner must still be spinning: its count moves while ping watches for a while. */
static void watch_spinner(void)
{
    struct spin_page *sp = (struct spin_page *)spin_vaddr;
    uint64_t before = load_acquire(&sp->count);
    uint64_t t0 = read_cntpct();
    while (ticks_to_us(read_cntpct() - t0) < SPIN_WATCH_US)
        ;
    uint64_t moved = load_acquire(&sp->count) - before;
    printf("ping: the spinner on core 1 %s (its count moved %" PRIu64 " in %u us)\n",
           moved ? "still spins" : "does not run", moved, SPIN_WATCH_US);
}

static void batch_done(void)
{
    uint64_t us = ticks_to_us(read_cntpct() - batch_start);
    printf("ping: batch %u done: %" PRIu64 " round trips, last round %" PRIu64 ", %" PRIu64
           " spurious notifications, %" PRIu64 " us (%" PRIu64 " us each)\n",
           batch, round_trips, seq, spurious, us, round_trips ? us / round_trips : 0);
    calc_call(PING_CH_CALC1, "calc1", seq);
    if (batch == 1) {
        microkit_notify(PING_CH_WORKER);
        return;
    }
    watch_spinner();
    printf("ping: all done\n");
}

static void pong_answered(void)
{
    if (batch == 0 || load_acquire(&page()->ack) != seq || round_trips == PP_ROUNDS) {
        spurious++; /* not the answer to the round in flight: a doubled notification */
        printf("ping: spurious notification from pong (ack %" PRIu64 ", round %" PRIu64 ")\n",
               load_acquire(&page()->ack), seq);
        return;
    }
    round_trips++;
    if (round_trips < PP_ROUNDS)
        send(seq + 1);
    else
        batch_done();
}

void init(void)
{
    say_core();
    start_batch();
}

void notified(microkit_channel ch)
{
    switch (ch) {
    case PING_CH_PONG: pong_answered(); break;
    case PING_CH_WORKER:
        printf("ping: telling faulter on core 1 to fault\n");
        faulted_told = 1;
        microkit_notify(PING_CH_FAULTER);
        break;
    case PING_CH_ECHO:
        if (faulted_told && batch == 1 && round_trips == PP_ROUNDS)
            start_batch();
        else
            printf("ping: a typed line out of turn: ignored\n");
        break;
    default: printf("ping: unexpected notification on channel %u\n", ch); break;
    }
}

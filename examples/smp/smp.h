/* Channel ids, shared-page layouts and the call protocol of the smp system
 * (systems/qemu_virt/smp.system, tests/system/test_smp.py). */
#ifndef SMP_H
#define SMP_H

#include <stdint.h>

/* ping's channels (core 0) */
#define PING_CH_PONG    0 /* notifications, both ways */
#define PING_CH_CALC1   1 /* ping holds the pp="true" end; calc1 is on core 1 */
#define PING_CH_WORKER  2 /* start the measurement / it is done */
#define PING_CH_FAULTER 3 /* tells faulter to fault */
#define PING_CH_ECHO    4 /* echo saw a typed line: start the second batch */
/* pong's channels (core 1) */
#define PONG_CH_PING  0
#define PONG_CH_CALC0 1 /* pong holds the pp="true" end; calc0 is on core 0 */
/* a calc's one channel */
#define CALC_CH_CALLER 0
/* worker's channels (core 0) */
#define WORKER_CH_PING    0
#define WORKER_CH_SPINNER 1
/* spinner's channel (core 1) */
#define SPINNER_CH_WORKER 0
/* faulter's channel (core 1) */
#define FAULTER_CH_PING 0
/* echo's channels (core 1) */
#define ECHO_CH_UART_IRQ 0
#define ECHO_CH_PING     1

/* Round trips per ping-pong batch; there are two batches, the second after the fault. */
#define PP_ROUNDS  500
#define PP_BATCHES 2

/* The `pingpong` page: ping writes seq (the round's number, counting on across batches) and
 * notifies; pong checks it is one more than the last it saw, copies it to ack and notifies
 * back; ping checks ack. Release stores and acquire loads: the two run on different cores. */
struct pingpong_page {
    uint64_t seq;
    uint64_t ack;
};

/* The `spin` page: the worker clears `stop` and notifies the spinner, which sets `spinning`,
 * counts its loops in `count` until the worker sets `stop`, then clears `spinning` and waits
 * again. So the worker knows when the spinner spins, and ping can see it still spins at the end
 * (the last time the worker never sets `stop`). */
struct spin_page {
    uint64_t spinning;
    uint64_t count;
    uint64_t stop;
};

/* calc protocol: label CALC_WORDS with CALC_NWORDS words w[i]; the reply, label 0, has
 * CALC_NWORDS + 1 words: w[CALC_NWORDS - 1 - i] ^ CALC_XOR, then how many calls the server
 * has served (this one included). Any other call gets label CALC_ERROR and no words. */
#define CALC_WORDS  1
#define CALC_NWORDS 8
#define CALC_XOR    0x5a5a5a5a5a5a5a5aull
#define CALC_ERROR  0xbad

static inline uint64_t load_acquire(const uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void store_release(uint64_t *p, uint64_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

#endif

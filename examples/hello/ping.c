/*
 * ping: plays ping-pong with pong through a shared page and notifications, then makes a
 * protected call to calc.
 */
#include <inttypes.h>
#include <stdio.h>

#include <microkit.h>
#include <microkit_sys.h>

#include "hello.h"

/* Patched by the image tool (setvar_vaddr): where the `shared` region is mapped here. */
uintptr_t shared_vaddr __attribute__((section(".data")));

static unsigned round_no;

static volatile uint64_t *shared_value(void)
{
    return (volatile uint64_t *)shared_vaddr;
}

static void send(uint64_t value)
{
    round_no++;
    *shared_value() = value;
    printf("ping: round %u sent %" PRIu64 "\n", round_no, value);
    microkit_notify(PING_CH_PONG);
}

static void call_calc(int64_t a, int64_t b)
{
    microkit_mr_set(0, (seL4_Word)a);
    microkit_mr_set(1, (seL4_Word)b);
    microkit_msginfo reply = microkit_ppcall(PING_CH_CALC, microkit_msginfo_new(CALC_ARITH, 2));
    if (microkit_msginfo_get_label(reply) != 0 || microkit_msginfo_get_count(reply) != 3) {
        printf("ping: calc refused the call (label %" PRIu64 ", %" PRIu64 " words)\n",
               microkit_msginfo_get_label(reply), microkit_msginfo_get_count(reply));
        return;
    }
    printf("ping: calc(%" PRId64 ", %" PRId64 ") -> sum %" PRId64 " product %" PRId64 " diff %" PRId64 "\n",
           a, b, (int64_t)microkit_mr_get(0), (int64_t)microkit_mr_get(1), (int64_t)microkit_mr_get(2));
}

/* Bad calls must be refused by the runtime and, when it is bypassed, by the kernel. */
static void check_refusals(void)
{
    printf("ping: trying calls on channels it does not have\n");
    microkit_notify(9);
    struct sys_result r = sys_call2(SYS_NOTIFY, 9, 0);
    printf("ping: kernel refused notify on channel 9 (status %" PRIu64 ")\n", r.x0);
    r = sys_call2(SYS_PPCALL, PING_CH_PONG, microkit_msginfo_new(0, 0));
    printf("ping: kernel refused ppcall on channel %u (status %" PRIu64 ")\n", PING_CH_PONG, r.x0);
}

void init(void)
{
    printf("ping: shared page at 0x%" PRIxPTR ", starting %d rounds\n", shared_vaddr, PING_PONG_ROUNDS);
    send(PING_PONG_START);
}

void notified(microkit_channel ch)
{
    if (ch != PING_CH_PONG) {
        printf("ping: unexpected notification on channel %u\n", ch);
        return;
    }
    uint64_t value = *shared_value();
    if (round_no < PING_PONG_ROUNDS) {
        send(value);
        return;
    }
    printf("ping: ping-pong done after %u rounds, value %" PRIu64 "\n", round_no, value);
    call_calc(6, 7);
    check_refusals();
}

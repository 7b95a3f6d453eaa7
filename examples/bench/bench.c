/*
 * bench: measures kernel paths with the generic timer (CNTPCT_EL0, readable at EL1):
 *   a. a bare HVC round trip (SYS_NULL);
 *   b. a notification round trip to peer and back, driven by the event loop;
 *   c. a protected call round trip to peer with one MR each way;
 *   d. b and c again with peer_far, the same program on the core the system file gives it
 *      (another core than bench's on a multi-core board: the kernel's cross-core paths);
 *   e. interrupt latency: EL1 physical timer (INTID 30) deadline to notified().
 * Results are printed as `bench: <name>=<ns>` lines for scripts/bench.py.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

#include <microkit.h>
#include <microkit_sys.h>

#define CH_PEER  0 /* notifications both ways; bench holds the pp end */
#define CH_TIMER 1 /* irq 30, the EL1 physical timer */
#define CH_FAR   2 /* to peer_far, as CH_PEER to peer */

#define WARMUP         1000
#define N_HVC          20000
#define N_NOTIFY       10000
#define N_PPCALL       20000
#define N_IRQ          2000
#define TIMER_DELAY_US 200
/* Cross-core round trips wait for the other core's QEMU thread to be woken by the host: up to
 * milliseconds each on a loaded host, so fewer of them keep the run short. */
#define WARMUP_FAR 100
#define N_FAR      1000

static uint64_t freq;

static enum { PHASE_NOTIFY, PHASE_NOTIFY_FAR, PHASE_IRQ, PHASE_DONE } phase;
static unsigned count;
static uint64_t t_start;
static uint64_t irq_sum, irq_min = UINT64_MAX;

static inline uint64_t now(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(v) : : "memory");
    return v;
}

static double ticks_to_ns(double ticks)
{
    return ticks * 1e9 / (double)freq;
}

static void bench_hvc(void)
{
    for (unsigned i = 0; i < WARMUP; i++)
        sys_null();
    uint64_t t0 = now();
    for (unsigned i = 0; i < N_HVC; i++)
        sys_null();
    printf("bench: hvc_ns=%.1f\n", ticks_to_ns((double)(now() - t0) / N_HVC));
}

static void bench_ppcall(microkit_channel ch, const char *key, unsigned warmup, unsigned n)
{
    uint64_t t0 = 0;
    seL4_Word last = 0;
    for (unsigned i = 0; i < warmup + n; i++) {
        if (i == warmup)
            t0 = now();
        microkit_mr_set(0, i);
        microkit_ppcall(ch, microkit_msginfo_new(0, 1));
        last = microkit_mr_get(0);
    }
    uint64_t t1 = now();
    if (last != warmup + n)
        printf("bench: %s reply wrong: %" PRIu64 "\n", key, last);
    printf("bench: %s=%.1f\n", key, ticks_to_ns((double)(t1 - t0) / n));
}

static void timer_arm(void)
{
    uint64_t deadline = now() + freq * TIMER_DELAY_US / 1000000;
    __asm__ volatile("msr cntp_cval_el0, %0" : : "r"(deadline));
    __asm__ volatile("msr cntp_ctl_el0, %0\n\tisb" : : "r"((uint64_t)1)); /* enable, unmasked */
}

static void timer_fired(void)
{
    uint64_t t = now(), deadline;
    __asm__ volatile("mrs %0, cntp_cval_el0" : "=r"(deadline));
    /* Mask before the ack, or the level-triggered line would fire again at once. */
    __asm__ volatile("msr cntp_ctl_el0, %0\n\tisb" : : "r"((uint64_t)2));
    microkit_irq_ack(CH_TIMER);
    uint64_t lat = t - deadline;
    irq_sum += lat;
    if (lat < irq_min)
        irq_min = lat;
    if (++count < N_IRQ) {
        timer_arm();
        return;
    }
    printf("bench: irq_latency_ns=%.1f min=%.1f\n", ticks_to_ns((double)irq_sum / N_IRQ),
           ticks_to_ns((double)irq_min));
    phase = PHASE_DONE;
    printf("bench: done\n");
}

/* One notification came back from the peer on ch: send the next, or report and move on. */
static void notify_round(microkit_channel ch)
{
    unsigned warmup = ch == CH_PEER ? WARMUP : WARMUP_FAR, n = ch == CH_PEER ? N_NOTIFY : N_FAR;
    count++;
    if (count == warmup)
        t_start = now();
    if (count < warmup + n) {
        microkit_notify(ch);
        return;
    }
    double rtt = ticks_to_ns((double)(now() - t_start) / n);
    count = 0;
    if (ch == CH_PEER) {
        printf("bench: notify_rtt_ns=%.1f\n", rtt);
        bench_ppcall(CH_PEER, "ppcall_rtt_ns", WARMUP, N_PPCALL);
        phase = PHASE_NOTIFY_FAR;
        microkit_notify(CH_FAR);
        return;
    }
    printf("bench: notify_far_rtt_ns=%.1f\n", rtt);
    bench_ppcall(CH_FAR, "ppcall_far_rtt_ns", WARMUP_FAR, N_FAR);
    phase = PHASE_IRQ;
    timer_arm();
}

void init(void)
{
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
    printf("bench: counter frequency %" PRIu64 " Hz\n", freq);
    bench_hvc();
    phase = PHASE_NOTIFY;
    count = 0;
    microkit_notify(CH_PEER); /* the rest runs from notified() */
}

void notified(microkit_channel ch)
{
    if (ch == CH_PEER && phase == PHASE_NOTIFY)
        notify_round(CH_PEER);
    else if (ch == CH_FAR && phase == PHASE_NOTIFY_FAR)
        notify_round(CH_FAR);
    else if (ch == CH_TIMER && phase == PHASE_IRQ)
        timer_fired();
    else
        printf("bench: unexpected notification on channel %u\n", ch);
}

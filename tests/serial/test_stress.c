/* Two threads through one small ring (include/serial_queue.h): a producer and a consumer that
 * sleep on a coalescing binary "notification" (like an seL4 notification) exactly when the
 * protocol says, and notify only when the other side asked. Checks that every byte arrives once
 * and in order and that nobody sleeps forever (a wait that lasts longer than WAIT_LIMIT_S fails). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <sched.h>

#include <cmocka.h>

#include "serial_queue.h"

#define RING         64u
#define TOTAL        (2u * 1024 * 1024)
#define WAIT_LIMIT_S 10

/* A binary notification: signals coalesce; a wait returns at once if one is pending. */
struct notification {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int pending;
    unsigned long signals;
};

static void notify(struct notification *n)
{
    pthread_mutex_lock(&n->lock);
    n->pending = 1;
    n->signals++;
    pthread_cond_signal(&n->cond);
    pthread_mutex_unlock(&n->lock);
}

/* Returns 0, or -1 when no signal came within WAIT_LIMIT_S (a lost wake-up). */
static int wait_notified(struct notification *n)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += WAIT_LIMIT_S;
    int rc = 0;
    pthread_mutex_lock(&n->lock);
    while (!n->pending && rc == 0)
        rc = pthread_cond_timedwait(&n->cond, &n->lock, &deadline);
    int got = n->pending;
    n->pending = 0;
    pthread_mutex_unlock(&n->lock);
    return got ? 0 : -1;
}

static _Alignas(64) uint8_t region[SERIAL_QUEUE_DATA_OFFSET + RING];
static struct notification to_producer = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 };
static struct notification to_consumer = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 };

struct result {
    uint32_t moved;
    uint32_t bad_at; /* first position with a wrong byte, or TOTAL */
    int timed_out;
    unsigned long asks;   /* *_block calls: each sets the flag once */
    unsigned long sleeps; /* of which found the ring still full or empty and slept */
};

/* The byte at stream position i: differs between i and i + 256k for small k, so a reordered or
 * repeated chunk shows. */
static uint8_t pattern(uint32_t i)
{
    return (uint8_t)(i ^ (i >> 8) ^ (i >> 16) ^ 0x5a);
}

static uint32_t next_rand(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 16;
}

static void *producer(void *arg)
{
    struct result *r = arg;
    struct serial_queue_handle h;
    uint8_t chunk[100];
    uint32_t seed = 1;
    if (serial_queue_init(&h, region, sizeof(region), RING) != 0)
        return NULL;
    while (r->moved < TOTAL) {
        uint32_t want = 1 + next_rand(&seed) % sizeof(chunk);
        if (want > TOTAL - r->moved)
            want = TOTAL - r->moved;
        uint32_t n;
        if (next_rand(&seed) & 1) {
            for (uint32_t i = 0; i < want; i++)
                chunk[i] = pattern(r->moved + i);
            n = serial_queue_write(&h, chunk, want);
        } else {
            uint8_t *span = serial_queue_free_span(&h, &n);
            if (n > want)
                n = want;
            for (uint32_t i = 0; i < n; i++)
                span[i] = pattern(r->moved + i);
            if (serial_queue_produce(&h, n) != 0)
                return NULL;
        }
        r->moved += n;
        if (n > 0 && serial_queue_producer_must_notify(&h))
            notify(&to_consumer);
        if (n == 0) {
            r->asks++;
            if (serial_queue_producer_block(&h)) {
                r->sleeps++;
                if (wait_notified(&to_producer) != 0) {
                    r->timed_out = 1;
                    return NULL;
                }
            }
        }
        if ((next_rand(&seed) & 15) == 0)
            sched_yield();
    }
    return NULL;
}

static void *consumer(void *arg)
{
    struct result *r = arg;
    struct serial_queue_handle h;
    uint8_t chunk[100];
    uint32_t seed = 7;
    if (serial_queue_init(&h, region, sizeof(region), RING) != 0)
        return NULL;
    while (r->moved < TOTAL) {
        uint32_t want = 1 + next_rand(&seed) % sizeof(chunk);
        uint32_t n;
        if (next_rand(&seed) & 1) {
            n = serial_queue_read(&h, chunk, want);
            for (uint32_t i = 0; i < n && r->bad_at == TOTAL; i++)
                if (chunk[i] != pattern(r->moved + i))
                    r->bad_at = r->moved + i;
        } else {
            const uint8_t *span = serial_queue_filled_span(&h, &n);
            if (n > want)
                n = want;
            for (uint32_t i = 0; i < n && r->bad_at == TOTAL; i++)
                if (span[i] != pattern(r->moved + i))
                    r->bad_at = r->moved + i;
            if (serial_queue_consume(&h, n) != 0)
                return NULL;
        }
        r->moved += n;
        if (n > 0 && serial_queue_consumer_must_notify(&h))
            notify(&to_producer);
        if (n == 0) {
            r->asks++;
            if (serial_queue_consumer_block(&h)) {
                r->sleeps++;
                if (wait_notified(&to_consumer) != 0) {
                    r->timed_out = 1;
                    return NULL;
                }
            }
        }
        if ((next_rand(&seed) & 15) == 0)
            sched_yield();
    }
    return NULL;
}

static void two_threads_lose_nothing(void **state)
{
    (void)state;
    struct serial_queue_handle h;
    assert_int_equal(serial_queue_init(&h, region, sizeof(region), RING), 0);
    serial_queue_reset(&h);
    /* Start just below 2^32 so the indices wrap during the run. */
    h.ctrl->head = h.ctrl->tail = 0xffffffffu - 5000;
    struct result pr = { 0, TOTAL, 0, 0, 0 }, cr = { 0, TOTAL, 0, 0, 0 };
    pthread_t pt, ct;
    assert_int_equal(pthread_create(&ct, NULL, consumer, &cr), 0);
    assert_int_equal(pthread_create(&pt, NULL, producer, &pr), 0);
    pthread_join(pt, NULL);
    /* A producer that timed out leaves the consumer waiting; its own timeout ends it. */
    pthread_join(ct, NULL);
    printf("moved %u bytes through a %u-byte ring: producer asked %lu times and slept %lu, consumer "
           "asked %lu and slept %lu; notifications to producer %lu, to consumer %lu\n",
           cr.moved, RING, pr.asks, pr.sleeps, cr.asks, cr.sleeps, to_producer.signals, to_consumer.signals);
    assert_false(pr.timed_out);
    assert_false(cr.timed_out);
    assert_int_equal(pr.moved, TOTAL);
    assert_int_equal(cr.moved, TOTAL);
    assert_int_equal(cr.bad_at, TOTAL);
    assert_true(serial_queue_empty(&h));
    assert_int_equal(h.ctrl->head, 0xffffffffu - 5000 + TOTAL);
    /* Nobody notified on every chunk: only as often as the other side had asked. */
    assert_true(to_producer.signals <= pr.asks);
    assert_true(to_consumer.signals <= cr.asks);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_threads_lose_nothing),
    };
    return cmocka_run_group_tests_name("serial_queue_stress", tests, NULL, NULL);
}

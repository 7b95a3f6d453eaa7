/*
 * One core's ready queues (kernel/core/runq.c) on the host: the highest priority first, FIFO
 * within a priority, a preempted PD back at the head, removal from anywhere (head, middle,
 * tail, the last of its priority), the bitmap across all four words, whether anything is queued
 * from a priority up, and a random sequence checked against a simple model after every step.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>

#include <cmocka.h>

#include "pd.h"
#include "runq.h"

#define N 12
static struct runq q;
static struct pd p[N];

static int setup(void **state)
{
    (void)state;
    memset(&q, 0, sizeof q);
    memset(p, 0, sizeof p);
    for (unsigned i = 0; i < N; i++)
        p[i].idx = i;
    return 0;
}

static void push(unsigned i, unsigned prio, bool at_head)
{
    p[i].priority = prio;
    runq_push(&q, &p[i], at_head);
}

/* Pops everything in the order the scheduler would take it. */
static unsigned drain(unsigned *out)
{
    unsigned n = 0;
    struct pd *pd;
    while ((pd = runq_highest(&q)) != NULL) {
        runq_remove(&q, pd);
        assert_false(pd->queued);
        out[n++] = pd->idx;
    }
    return n;
}

static void highest_priority_first_fifo_within(void **state)
{
    (void)state;
    push(0, 10, false);
    push(1, 200, false);
    push(2, 10, false);
    push(3, 255, false);
    push(4, 0, false);
    push(5, 200, false);
    unsigned out[N], want[] = { 3, 1, 5, 0, 2, 4 };
    assert_int_equal(drain(out), 6);
    assert_memory_equal(out, want, sizeof want);
    assert_null(runq_highest(&q));
    for (unsigned w = 0; w < 4; w++)
        assert_int_equal(q.bitmap[w], 0);
}

static void preempted_goes_first_in_line(void **state)
{
    (void)state;
    push(0, 50, false);
    push(1, 50, false);
    push(2, 50, true);
    unsigned out[N], want[] = { 2, 0, 1 };
    assert_int_equal(drain(out), 3);
    assert_memory_equal(out, want, sizeof want);
}

static void remove_anywhere(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 5; i++)
        push(i, 7, false);
    push(5, 64, false);
    runq_remove(&q, &p[2]); /* middle */
    runq_remove(&q, &p[0]); /* head */
    runq_remove(&q, &p[4]); /* tail */
    runq_remove(&q, &p[4]); /* not queued: nothing */
    runq_remove(&q, &p[5]); /* the only one of its priority: its bitmap bit goes */
    assert_int_equal(q.bitmap[1], 0);
    assert_false(runq_has(&q, 64));
    assert_true(runq_has(&q, 7));
    push(6, 7, false); /* the tail was fixed up: it goes behind 3 */
    unsigned out[N], want[] = { 1, 3, 6 };
    assert_int_equal(drain(out), 3);
    assert_memory_equal(out, want, sizeof want);
}

/* A random mix of pushes and removals against a model: per priority a list in order. */
static void random_against_model(void **state)
{
    (void)state;
    unsigned model[256][N], len[256] = { 0 };
    srand(8);
    for (unsigned step = 0; step < 20000; step++) {
        unsigned i = (unsigned)rand() % N;
        if (!p[i].queued) {
            unsigned prio = (unsigned)rand() % 4 * 63 + (unsigned)rand() % 2; /* all four words */
            bool head = rand() % 3 == 0;
            push(i, prio, head);
            if (head) {
                memmove(&model[prio][1], &model[prio][0], len[prio] * sizeof(unsigned));
                model[prio][0] = i;
                len[prio]++;
            } else {
                model[prio][len[prio]++] = i;
            }
        } else {
            unsigned prio = p[i].priority, k = 0;
            runq_remove(&q, &p[i]);
            while (model[prio][k] != i)
                k++;
            memmove(&model[prio][k], &model[prio][k + 1], (len[prio] - k - 1) * sizeof(unsigned));
            len[prio]--;
        }
        int top = 255;
        while (top >= 0 && len[top] == 0)
            top--;
        struct pd *h = runq_highest(&q);
        if (top < 0)
            assert_null(h);
        else
            assert_int_equal(h->idx, model[top][0]);
        unsigned from = (unsigned)rand() % 257;
        assert_int_equal(runq_any_from(&q, from), top >= 0 && (unsigned)top >= from);
    }
}

/* "Anything queued at this priority or above", the fast paths' question (fastpath.c). */
static void any_from_each_word_and_edges(void **state)
{
    (void)state;
    assert_false(runq_any_from(&q, 0));
    push(0, 70, false);
    assert_true(runq_any_from(&q, 0));
    assert_true(runq_any_from(&q, 64));
    assert_true(runq_any_from(&q, 70));
    assert_false(runq_any_from(&q, 71));
    assert_false(runq_any_from(&q, 255));
    push(1, 255, false);
    assert_true(runq_any_from(&q, 255));
    assert_false(runq_any_from(&q, 256)); /* above the highest priority: nothing can be */
    runq_remove(&q, &p[0]);
    assert_true(runq_any_from(&q, 71));
    runq_remove(&q, &p[1]);
    assert_false(runq_any_from(&q, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(highest_priority_first_fifo_within, setup),
        cmocka_unit_test_setup(preempted_goes_first_in_line, setup),
        cmocka_unit_test_setup(remove_anywhere, setup),
        cmocka_unit_test_setup(random_against_model, setup),
        cmocka_unit_test_setup(any_from_each_word_and_edges, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * CPU budgets (kernel/core/budget.c) on the host, with the real ready queues: issue 10's case,
 * a high-priority server (the serial driver) kept busy from another core on the core of a
 * low-priority guest. Without budgets the server would run all the time and the guest never;
 * with 8 of 10 ticks the server is throttled after 8, the guest is what the queues offer until
 * the period ends, and then the server is queued again.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <setjmp.h>

#include <cmocka.h>

#include "budget.h"
#include "runq.h"

struct pd pds[SYSIMG_MAX_PDS];
unsigned num_pds;
struct cpu cpus[SYS_MAX_CPUS];

enum { DRIVER, GUEST, OTHER_CORE };

static int setup(void **state)
{
    (void)state;
    memset(pds, 0, sizeof pds);
    memset(cpus, 0, sizeof cpus);
    num_pds = 3;
    for (unsigned i = 0; i < num_pds; i++)
        pds[i].idx = i;
    pds[DRIVER].priority = 254;
    pds[DRIVER].budget = 8;
    pds[DRIVER].period = 10;
    pds[GUEST].priority = 100;
    pds[OTHER_CORE].priority = 254;
    pds[OTHER_CORE].cpu = 1;
    pds[OTHER_CORE].budget = 1;
    pds[OTHER_CORE].period = 10;
    cpus[1].idx = 1;
    sched_budgets_used = true;
    return 0;
}

/* The driver runs on core 0 from t = 100, the guest ready behind it. */
static struct cpu *driver_running(void)
{
    struct cpu *c = &cpus[0];
    pds[DRIVER].state = PD_READY;
    pds[GUEST].state = PD_READY;
    runq_push(&c->rq, &pds[GUEST], false);
    c->cur_pd = &pds[DRIVER];
    budget_charge(c, 100);
    budget_update(c, 100); /* its first period starts */
    return c;
}

static void within_budget_it_runs(void **state)
{
    (void)state;
    struct cpu *c = driver_running();
    assert_int_equal(budget_deadline(c), 108); /* its budget runs out then */
    budget_charge(c, 105);
    budget_update(c, 105);
    assert_false(pds[DRIVER].throttled);
    assert_int_equal(pds[DRIVER].used, 5);
    assert_int_equal(budget_deadline(c), 108);
    /* waiting in its event loop, it runs out of nothing: no deadline (an idle core sleeps) */
    pds[DRIVER].state = PD_RECV;
    assert_int_equal(budget_deadline(c), ~0ull);
}

static void used_up_it_is_throttled_until_the_period_ends(void **state)
{
    (void)state;
    struct cpu *c = driver_running();
    budget_charge(c, 108);
    budget_update(c, 108);
    assert_true(pds[DRIVER].throttled);
    assert_false(pds[DRIVER].queued);
    assert_ptr_equal(runq_highest(&c->rq), &pds[GUEST]); /* the old scheduler ran the driver */
    assert_int_equal(budget_deadline(c), 110);
    /* the guest runs; the driver, notified meanwhile, stays out of the queues (make_ready) */
    c->cur_pd = &pds[GUEST];
    runq_remove(&c->rq, &pds[GUEST]);
    budget_charge(c, 109);
    budget_update(c, 109);
    assert_true(pds[DRIVER].throttled);
    assert_null(runq_highest(&c->rq));
    /* its period ends: queued again, with its whole budget */
    budget_charge(c, 110);
    budget_update(c, 110);
    assert_false(pds[DRIVER].throttled);
    assert_true(pds[DRIVER].queued);
    assert_int_equal(pds[DRIVER].used, 0);
    assert_ptr_equal(runq_highest(&c->rq), &pds[DRIVER]);
}

/* Time spent idle, or running PDs without a budget, is not charged to anyone. */
static void only_its_own_time_counts(void **state)
{
    (void)state;
    struct cpu *c = driver_running();
    budget_charge(c, 103);
    c->cur_pd = &pds[GUEST];
    budget_charge(c, 150); /* the guest ran 47 ticks */
    c->cur_pd = &pds[DRIVER];
    budget_charge(c, 151);
    budget_update(c, 151); /* its period ended at 110: refilled, a new one from 151 */
    assert_int_equal(pds[DRIVER].used, 0);
    assert_false(pds[DRIVER].throttled);
    c->idle = true;
    budget_charge(c, 200);
    c->idle = false;
    assert_int_equal(pds[DRIVER].used, 0);
}

/* A throttled PD waiting in its event loop is not queued at its refill; another core's budgets are not touched. */
static void blocked_or_elsewhere(void **state)
{
    (void)state;
    struct cpu *c = driver_running();
    budget_charge(c, 108);
    budget_update(c, 108);
    pds[DRIVER].state = PD_RECV;
    pds[OTHER_CORE].throttled = true;
    pds[OTHER_CORE].refill_at = 105;
    c->cur_pd = &pds[GUEST];
    runq_remove(&c->rq, &pds[GUEST]);
    budget_update(c, 120);
    assert_false(pds[DRIVER].throttled);
    assert_false(pds[DRIVER].queued);
    assert_true(pds[OTHER_CORE].throttled);
}

/* Without any budget in the system nothing is ever throttled, nor a deadline set. */
static void no_budgets_no_change(void **state)
{
    (void)state;
    sched_budgets_used = false;
    struct cpu *c = driver_running();
    budget_charge(c, 1000);
    budget_update(c, 1000);
    assert_false(pds[DRIVER].throttled);
    assert_int_equal(budget_deadline(c), ~0ull);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(within_budget_it_runs, setup),
        cmocka_unit_test_setup(used_up_it_is_throttled_until_the_period_ends, setup),
        cmocka_unit_test_setup(only_its_own_time_counts, setup),
        cmocka_unit_test_setup(blocked_or_elsewhere, setup),
        cmocka_unit_test_setup(no_budgets_no_change, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

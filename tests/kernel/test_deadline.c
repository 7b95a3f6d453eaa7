/*
 * The kernel's deadline queue (kernel/core/deadline.c) on the host: ordering, moving and
 * removing entries, taking what is due, and the conversion of a guest's virtual timer
 * registers (hostile values included) to a physical deadline. deadline.c needs no fakes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <setjmp.h>

#include <cmocka.h>

#include "deadline.h"

static struct dl_queue q;
static struct dl_entry e[6];

static int setup(void **state)
{
    (void)state;
    q.head = NULL;
    for (unsigned i = 0; i < 6; i++)
        e[i] = (struct dl_entry){ .owner = NULL };
    return 0;
}

/* The order entries come out in when everything is due. */
static unsigned drain(struct dl_entry **out, unsigned max)
{
    unsigned n = 0;
    struct dl_entry *x;
    while (n < max && (x = dl_pop_due(&q, DL_NEVER - 1)) != NULL)
        out[n++] = x;
    return n;
}

static void empty_queue_has_no_deadline(void **state)
{
    (void)state;
    assert_true(dl_earliest(&q) == DL_NEVER);
    assert_null(dl_pop_due(&q, 0));
    assert_null(dl_pop_due(&q, DL_NEVER - 1));
    dl_remove(&q, &e[0]); /* not queued: nothing happens */
    assert_null(q.head);
}

static void entries_come_out_earliest_first_ties_in_arrival_order(void **state)
{
    (void)state;
    dl_insert(&q, &e[0], 300);
    dl_insert(&q, &e[1], 100);
    dl_insert(&q, &e[2], 200);
    dl_insert(&q, &e[3], 100);
    dl_insert(&q, &e[4], 400);
    assert_int_equal(dl_earliest(&q), 100);
    struct dl_entry *out[8];
    assert_int_equal(drain(out, 8), 5);
    assert_ptr_equal(out[0], &e[1]);
    assert_ptr_equal(out[1], &e[3]);
    assert_ptr_equal(out[2], &e[2]);
    assert_ptr_equal(out[3], &e[0]);
    assert_ptr_equal(out[4], &e[4]);
    for (unsigned i = 0; i < 5; i++)
        assert_false(e[i].queued);
    assert_true(dl_earliest(&q) == DL_NEVER);
}

static void only_due_entries_are_taken(void **state)
{
    (void)state;
    dl_insert(&q, &e[0], 50);
    dl_insert(&q, &e[1], 60);
    dl_insert(&q, &e[2], 70);
    assert_null(dl_pop_due(&q, 49));
    assert_ptr_equal(dl_pop_due(&q, 60), &e[0]);
    assert_ptr_equal(dl_pop_due(&q, 60), &e[1]);
    assert_null(dl_pop_due(&q, 60));
    assert_int_equal(dl_earliest(&q), 70);
    assert_true(e[2].queued);
}

static void reinserting_moves_an_entry_instead_of_duplicating_it(void **state)
{
    (void)state;
    dl_insert(&q, &e[0], 100);
    dl_insert(&q, &e[1], 200);
    dl_insert(&q, &e[0], 300); /* later now */
    assert_int_equal(dl_earliest(&q), 200);
    dl_insert(&q, &e[1], 400);
    dl_insert(&q, &e[1], 10); /* earlier again */
    struct dl_entry *out[8];
    assert_int_equal(drain(out, 8), 2);
    assert_ptr_equal(out[0], &e[1]);
    assert_ptr_equal(out[1], &e[0]);
}

static void removing_from_head_middle_and_tail(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 5; i++)
        dl_insert(&q, &e[i], 10 * (i + 1));
    dl_remove(&q, &e[0]);
    dl_remove(&q, &e[2]);
    dl_remove(&q, &e[4]);
    dl_remove(&q, &e[4]); /* twice: harmless */
    assert_false(e[0].queued);
    assert_int_equal(dl_earliest(&q), 20);
    struct dl_entry *out[8];
    assert_int_equal(drain(out, 8), 2);
    assert_ptr_equal(out[0], &e[1]);
    assert_ptr_equal(out[1], &e[3]);
}

static void vtimer_off_or_masked_never_fires(void **state)
{
    (void)state;
    uint64_t when = 7;
    assert_false(dl_vtimer_deadline(0, 100, 0, 0, &when));
    assert_false(dl_vtimer_deadline(2, 100, 0, 0, &when)); /* IMASK without ENABLE */
    assert_false(dl_vtimer_deadline(3, 100, 0, 0, &when)); /* ENABLE and IMASK */
    assert_int_equal(when, 7);                             /* untouched */
    /* ISTATUS (bit 2) is read-only status: it neither enables nor masks */
    assert_true(dl_vtimer_deadline(5, 100, 0, 0, &when));
    assert_int_equal(when, 100);
}

static void vtimer_deadline_accounts_for_the_offset(void **state)
{
    (void)state;
    uint64_t when = 0;
    /* CNTVCT = CNTPCT - CNTVOFF: virtual 1000 with offset 500 is physical 1500 */
    assert_true(dl_vtimer_deadline(1, 1000, 500, 600, &when));
    assert_int_equal(when, 1500);
    assert_true(dl_vtimer_deadline(1, 1000, 0, 200, &when));
    assert_int_equal(when, 1000);
}

static void vtimer_already_due_fires_now(void **state)
{
    (void)state;
    uint64_t when = 0;
    assert_true(dl_vtimer_deadline(1, 1000, 0, 5000, &when));
    assert_int_equal(when, 5000);
    assert_true(dl_vtimer_deadline(1, 0, 0, 5000, &when));
    assert_int_equal(when, 5000);
    /* an offset above the physical count makes the virtual count wrap to near 2^64, past any
     * small CVAL: the hardware fires at once, so does the kernel */
    assert_true(dl_vtimer_deadline(1, 1000, 10000, 5000, &when));
    assert_int_equal(when, 5000);
}

static void vtimer_beyond_the_counter_never_fires(void **state)
{
    (void)state;
    uint64_t when = 0;
    assert_false(dl_vtimer_deadline(1, UINT64_MAX, 0, 5000, &when));
    assert_false(dl_vtimer_deadline(1, UINT64_MAX, 0, 1, &when));            /* would be DL_NEVER itself */
    assert_false(dl_vtimer_deadline(1, UINT64_MAX - 100, 500, 1000, &when)); /* CVAL + CNTVOFF wraps */
    /* just inside the range */
    assert_true(dl_vtimer_deadline(1, UINT64_MAX - 2, 0, 0, &when));
    assert_true(when == UINT64_MAX - 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(empty_queue_has_no_deadline, setup),
        cmocka_unit_test_setup(entries_come_out_earliest_first_ties_in_arrival_order, setup),
        cmocka_unit_test_setup(only_due_entries_are_taken, setup),
        cmocka_unit_test_setup(reinserting_moves_an_entry_instead_of_duplicating_it, setup),
        cmocka_unit_test_setup(removing_from_head_middle_and_tail, setup),
        cmocka_unit_test_setup(vtimer_off_or_masked_never_fires, setup),
        cmocka_unit_test_setup(vtimer_deadline_accounts_for_the_offset, setup),
        cmocka_unit_test_setup(vtimer_already_due_fires_now, setup),
        cmocka_unit_test_setup(vtimer_beyond_the_counter_never_fires, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * The exit and reply fast paths (kernel/core/fastpath.c) on the host: taken in the plain case,
 * with the message in the VMM's registers and the right PD run; refused, with nothing changed,
 * whenever the general path could end differently (the VMM or vCPU on another core, the VMM
 * not waiting or with an event pending, a deferred action, a vCPU timer exit waiting, work from
 * another core, a PD queued that the scheduler would run first). The ready queues are the real
 * ones, and so is IPC (kernel/core/ipc.c); the switch and the register writes are fakes that
 * record what they were asked, and the scheduler's queueing calls fail the test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <setjmp.h>

#include <cmocka.h>

#include "fastpath.h"
#include "cpu.h"

struct pd pds[SYSIMG_MAX_PDS];
struct cpu cpus[SYS_MAX_CPUS];
struct cpu *host_test_cpu;
static struct sysimg_pd desc[4];
static uint64_t ipc_buf[4][PD_MAX_MRS];
static struct pd *ran;
static unsigned reply_writes;

enum { VMM, VCPU, OTHER, OTHER2 };

uint64_t *pd_mrs(struct pd *pd)
{
    return ipc_buf[pd->idx];
}

void sched_run_now(struct pd *next)
{
    assert_null(ran); /* one switch per entry */
    ran = next;
}

/* kernel/core/lib.c's, which the host's C library would clash with. */
void copy_words(uint64_t *dst, const uint64_t *src, size_t n)
{
    memcpy(dst, src, n * sizeof *dst);
}

/* The fast paths queue nothing: ipc.c's calls into the scheduler must not happen. */
void sched_make_ready(struct pd *pd)
{
    fail_msg("sched_make_ready(PD %u) on a fast path", pd->idx);
}

void sched_remove(struct pd *pd)
{
    fail_msg("sched_remove(PD %u) on a fast path", pd->idx);
}

void vcpu_reply_regs(struct pd *vmm, struct pd *v, uint64_t msginfo)
{
    assert_ptr_equal(vmm, &pds[VMM]);
    assert_ptr_equal(v, &pds[VCPU]);
    assert_int_equal(msginfo, 0x1234);
    reply_writes++;
}

/* A VMM waiting in its event loop on core 0, its vCPU running there: an exit's starting point. */
static int setup(void **state)
{
    (void)state;
    memset(pds, 0, sizeof pds);
    memset(cpus, 0, sizeof cpus);
    memset(ipc_buf, 0, sizeof ipc_buf);
    ran = NULL;
    reply_writes = 0;
    for (unsigned i = 0; i < 4; i++) {
        pds[i].idx = i;
        pds[i].desc = &desc[i];
        pds[i].priority = 100;
        desc[i].parent = SYSIMG_NO_PARENT;
    }
    desc[VCPU].parent = VMM;
    desc[VCPU].child_id = 7;
    pds[VCPU].is_vcpu = true;
    pds[VMM].state = PD_RECV;
    pds[VCPU].state = PD_READY;
    host_test_cpu = &cpus[0];
    cpus[0].cur_pd = &pds[VCPU];
    return 0;
}

static void queue(unsigned i, unsigned prio)
{
    pds[i].priority = prio;
    pds[i].state = PD_READY;
    runq_push(&cpus[0].rq, &pds[i], false);
}

static void exit_taken(void **state)
{
    (void)state;
    uint64_t *mr = fastpath_exit_mrs(&pds[VCPU]);
    assert_ptr_equal(mr, ipc_buf[VMM]);
    fastpath_exit(&pds[VCPU], FAULT_VM);
    assert_ptr_equal(ran, &pds[VMM]);
    assert_int_equal(pds[VCPU].state, PD_FAULTED);
    assert_int_equal(pds[VCPU].fault_label, FAULT_VM);
    assert_int_equal(pds[VMM].state, PD_READY);
    assert_int_equal(pds[VMM].reply_kind, REPLY_FAULT);
    assert_ptr_equal(pds[VMM].reply_to, &pds[VCPU]);
    assert_int_equal(pds[VMM].ctx.x[0], EV_FAULT);
    assert_int_equal(pds[VMM].ctx.x[1], 7);
    assert_int_equal(pds[VMM].ctx.x[2], (FAULT_VM << MSGINFO_LABEL_SHIFT) | FAULT_MR_COUNT);
}

/* A lower priority queued does not stop it; one at the VMM's own priority would run first. */
static void exit_queued_below_or_at(void **state)
{
    (void)state;
    queue(OTHER, 99);
    assert_non_null(fastpath_exit_mrs(&pds[VCPU]));
    queue(OTHER2, 100);
    assert_null(fastpath_exit_mrs(&pds[VCPU]));
}

static void exit_refused_changes_nothing(void **state)
{
    (void)state;
    for (unsigned k = 0; k < 8; k++) {
        setup(NULL);
        switch (k) {
        case 0: pds[VMM].cpu = 1; break;
        case 1: pds[VMM].state = PD_CALLING; break;
        case 2: pds[VMM].notify_pending = 1; break;
        case 3: pds[VMM].callers_head = &pds[OTHER]; break;
        case 4: pds[VMM].faults_head = &pds[OTHER]; break;
        case 5: cpus[0].work = true; break;
        case 6: queue(OTHER, 200); break;
        case 7: pds[VCPU].queued = true; break;
        }
        struct pd before[4];
        memcpy(before, pds, sizeof before);
        assert_null(fastpath_exit_mrs(&pds[VCPU]));
        assert_memory_equal(before, pds, sizeof before);
        assert_null(ran);
    }
}

/* The VMM's reply-and-wait, from the state the exit left. */
static void faulted(void)
{
    pds[VCPU].state = PD_FAULTED;
    pds[VMM].state = PD_READY;
    pds[VMM].reply_kind = REPLY_FAULT;
    pds[VMM].reply_to = &pds[VCPU];
    cpus[0].cur_pd = &pds[VMM];
}

static void reply_taken(void **state)
{
    (void)state;
    faulted();
    assert_true(fastpath_reply_recv(&pds[VMM], 0x1234, 0));
    assert_ptr_equal(ran, &pds[VCPU]);
    assert_int_equal(reply_writes, 1);
    assert_int_equal(pds[VCPU].state, PD_READY);
    assert_int_equal(pds[VMM].state, PD_RECV);
    assert_int_equal(pds[VMM].reply_kind, REPLY_NONE);
    assert_null(pds[VMM].reply_to);
}

/* Unless its slice ended, a resumed vCPU goes first among its equals; after, behind them. */
static void reply_and_the_slice(void **state)
{
    (void)state;
    faulted();
    queue(OTHER, 100);
    assert_true(fastpath_reply_recv(&pds[VMM], 0x1234, 0));
    setup(NULL);
    faulted();
    queue(OTHER, 100);
    cpus[0].slice_gen = 1; /* the vCPU last ran in slice 0 */
    assert_false(fastpath_reply_recv(&pds[VMM], 0x1234, 0));
    setup(NULL);
    faulted();
    queue(OTHER, 101);
    assert_false(fastpath_reply_recv(&pds[VMM], 0x1234, 0));
}

static void reply_refused_changes_nothing(void **state)
{
    (void)state;
    for (unsigned k = 0; k < 9; k++) {
        setup(NULL);
        faulted();
        uint64_t deferred = 0;
        switch (k) {
        case 0: deferred = 1; break;
        case 1: pds[VCPU].cpu = 1; break;
        case 2: pds[VCPU].vcpu.vppi_pending = true; break;
        case 3: cpus[0].work = true; break;
        case 4: pds[VMM].notify_pending = 4; break;
        case 5: pds[VMM].callers_head = &pds[OTHER]; break;
        case 6: pds[VMM].reply_kind = REPLY_PPC; break;
        case 7: pds[VCPU].state = PD_STOPPED; break;
        case 8: pds[VCPU].is_vcpu = false; break;
        }
        struct pd before[4];
        memcpy(before, pds, sizeof before);
        assert_false(fastpath_reply_recv(&pds[VMM], 0x1234, deferred));
        assert_memory_equal(before, pds, sizeof before);
        assert_null(ran);
        assert_int_equal(reply_writes, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(exit_taken, setup),
        cmocka_unit_test_setup(exit_queued_below_or_at, setup),
        cmocka_unit_test_setup(exit_refused_changes_nothing, setup),
        cmocka_unit_test_setup(reply_taken, setup),
        cmocka_unit_test_setup(reply_and_the_slice, setup),
        cmocka_unit_test_setup(reply_refused_changes_nothing, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

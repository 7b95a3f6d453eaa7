/*
 * Fast paths for the two halves of every emulated guest access: a vCPU's exit to a VMM that
 * waits for it on the same core, and that VMM's reply-and-wait that resumes the vCPU. Each is
 * taken only when the general path (ipc.c, then the scheduler's queues) would end in exactly
 * the same state: the same PD running, the same registers and message, nothing queued
 * differently. It then skips the fault queue, the ready queues and the scheduler's search.
 * Anything else (another core, a pending notification, call or fault, a deferred action,
 * work left by another core, a queued PD the scheduler would prefer) takes the general path.
 */
#include "fastpath.h"
#include "ipc.h"
#include "runq.h"
#include "sched.h"

/* Whether running `pd` now is what the scheduler would pick, were it queued at its priority's
 * tail (or head) with the current PD blocked: nothing queued here at a priority above it, and
 * (at the tail) none at its own. */
static bool would_pick(const struct cpu *c, const struct pd *pd, bool at_head)
{
    return !runq_any_from(&c->rq, pd->priority + (at_head ? 1u : 0u));
}

/* Nothing else is waiting to be delivered to `pd` when it next waits (ipc.c try_deliver). */
static bool nothing_pending(const struct pd *pd)
{
    return !pd->notify_pending && !pd->callers_head && !pd->faults_head;
}

uint64_t *fastpath_exit_mrs(struct pd *v)
{
    struct cpu *c = this_cpu();
    struct pd *vmm = &pds[v->desc->parent];
    if (v->queued || vmm->state != PD_RECV || vmm->cpu != c->idx || c->work || !nothing_pending(vmm) ||
        !would_pick(c, vmm, false))
        return NULL;
    return pd_mrs(vmm);
}

void fastpath_exit(struct pd *v, uint64_t label)
{
    struct pd *vmm = &pds[v->desc->parent];
    v->state = PD_FAULTED; /* as ipc_fault, then try_deliver taking it at once */
    v->fault_label = label;
    ipc_take_fault(vmm, v);
    vmm->state = PD_READY;
    sched_run_now(vmm);
}

bool fastpath_reply_recv(struct pd *vmm, uint64_t msginfo, uint64_t deferred)
{
    struct cpu *c = this_cpu();
    struct pd *v = vmm->reply_to;
    if (vmm->reply_kind != REPLY_FAULT || !v || v->state != PD_FAULTED || !v->is_vcpu || deferred ||
        v->cpu != c->idx || v->vcpu.vppi_pending || c->work || !nothing_pending(vmm) ||
        !would_pick(c, v, v->slice_gen == c->slice_gen))
        return false;
    vcpu_reply_regs(vmm, v, msginfo); /* as ipc_reply and vcpu_reply */
    ipc_recv(vmm);                    /* which finds nothing waiting */
    v->state = PD_READY;
    sched_run_now(v);
    return true;
}

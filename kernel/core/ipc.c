/*
 * Events between PDs. A PD waiting in its event loop (PD_RECV) is given, in this order:
 * pending notifications (all bits at once), then the oldest waiting protected call, then the
 * oldest fault of one of its children. Message registers are copied between IPC buffers here.
 */
#include "ipc.h"
#include "sched.h"

static void copy_mrs(struct pd *to, struct pd *from, uint64_t msginfo)
{
    uint64_t n = msginfo & MSGINFO_COUNT_MASK;
    if (n > PD_MAX_MRS)
        n = PD_MAX_MRS;
    copy_words(pd_mrs(to), pd_mrs(from), n);
}

static void set_event(struct pd *pd, uint64_t ev, uint64_t a1, uint64_t a2)
{
    pd->ctx.x[0] = ev;
    pd->ctx.x[1] = a1;
    pd->ctx.x[2] = a2;
}

static void deliver(struct pd *pd, uint64_t ev, uint64_t a1, uint64_t a2)
{
    set_event(pd, ev, a1, a2);
    sched_make_ready(pd);
}

void ipc_take_fault(struct pd *parent, struct pd *child)
{
    parent->reply_kind = REPLY_FAULT;
    parent->reply_to = child;
    set_event(parent, EV_FAULT, child->desc->child_id,
              (child->fault_label << MSGINFO_LABEL_SHIFT) | FAULT_MR_COUNT);
}

/* The oldest faulted child whose message the parent has not received, taken off its queue. */
static struct pd *take_fault(struct pd *parent)
{
    struct pd *child = parent->faults_head;
    if (child) {
        parent->faults_head = child->fault_next;
        if (!parent->faults_head)
            parent->faults_tail = NULL;
        child->fault_next = NULL;
        child->fault_undelivered = false;
    }
    return child;
}

/* A child leaves its parent's fault queue before its message was received (restart, stop). */
static void drop_fault(struct pd *child)
{
    struct pd *parent = &pds[child->desc->parent], **link = &parent->faults_head, *prev = NULL;
    while (*link && *link != child) {
        prev = *link;
        link = &(*link)->fault_next;
    }
    if (*link) {
        *link = child->fault_next;
        if (parent->faults_tail == child)
            parent->faults_tail = prev;
    }
    child->fault_next = NULL;
    child->fault_undelivered = false;
}

static void try_deliver(struct pd *pd)
{
    if (pd->notify_pending) {
        uint64_t bits = pd->notify_pending;
        pd->notify_pending = 0;
        deliver(pd, EV_NOTIFY, bits, 0);
        return;
    }
    struct pd *caller = pd->callers_head;
    if (caller) {
        pd->callers_head = caller->caller_next;
        if (!pd->callers_head)
            pd->callers_tail = NULL;
        copy_mrs(pd, caller, caller->call_msginfo);
        pd->reply_kind = REPLY_PPC;
        pd->reply_to = caller;
        deliver(pd, EV_PPC, caller->call_ch, caller->call_msginfo);
        return;
    }
    struct pd *child = take_fault(pd);
    if (child) {
        copy_words(pd_mrs(pd), child->fault_mr, FAULT_MR_COUNT);
        ipc_take_fault(pd, child);
        sched_make_ready(pd);
    }
}

void ipc_recv(struct pd *pd)
{
    pd->reply_kind = REPLY_NONE;
    pd->reply_to = NULL;
    pd->state = PD_RECV;
    try_deliver(pd);
}

void ipc_signal(struct pd *pd, unsigned bit)
{
    pd->notify_pending |= 1ul << bit;
    if (pd->state == PD_RECV)
        try_deliver(pd);
}

struct pd *ipc_reply(struct pd *pd, uint64_t msginfo)
{
    struct pd *to = pd->reply_to, *resume = NULL;
    if (pd->reply_kind == REPLY_PPC && to && to->state == PD_CALLING && to->callee == pd) {
        copy_mrs(to, pd, msginfo);
        to->callee = NULL;
        to->ctx.x[0] = SYS_OK;
        to->ctx.x[1] = msginfo;
        sched_make_ready(to);
    } else if (pd->reply_kind == REPLY_FAULT && to && to->state == PD_FAULTED) {
        resume = to; /* the caller resumes it: a vCPU takes the reply's register writes */
    }
    pd->reply_kind = REPLY_NONE;
    pd->reply_to = NULL;
    return resume;
}

void ipc_call(struct pd *caller, struct pd *callee, unsigned callee_ch, uint64_t msginfo)
{
    caller->state = PD_CALLING;
    caller->call_msginfo = msginfo;
    caller->call_ch = callee_ch;
    caller->callee = callee;
    caller->caller_next = NULL;
    if (callee->callers_tail)
        callee->callers_tail->caller_next = caller;
    else
        callee->callers_head = caller;
    callee->callers_tail = caller;
    if (callee->state == PD_RECV)
        try_deliver(callee);
}

void ipc_fault(struct pd *pd, uint64_t label, const uint64_t mr[FAULT_MR_COUNT])
{
    pd->state = PD_FAULTED;
    pd->fault_label = label;
    if (mr != pd->fault_mr) /* a vCPU's exit builds its message in place */
        copy_words(pd->fault_mr, mr, FAULT_MR_COUNT);
    pd->fault_undelivered = true;
    struct pd *parent = &pds[pd->desc->parent];
    pd->fault_next = NULL;
    if (parent->faults_tail)
        parent->faults_tail->fault_next = pd;
    else
        parent->faults_head = pd;
    parent->faults_tail = pd;
    if (parent->state == PD_RECV)
        try_deliver(parent);
}

void ipc_detach(struct pd *pd)
{
    sched_remove(pd);
    if (pd->state == PD_CALLING && pd->callee) {
        struct pd *callee = pd->callee, **link = &callee->callers_head, *prev = NULL;
        while (*link && *link != pd) {
            prev = *link;
            link = &(*link)->caller_next;
        }
        if (*link) { /* still waiting to be received: unlink it */
            *link = pd->caller_next;
            if (callee->callers_tail == pd)
                callee->callers_tail = prev;
        }
        pd->callee = NULL;
    }
    if (pd->fault_undelivered)
        drop_fault(pd);
    pd->reply_kind = REPLY_NONE;
    pd->reply_to = NULL;
    pd->state = PD_STOPPED;
}

/* Protection domains: the kernel's one kind of thread, all created at boot from the image. */
#ifndef PD_H
#define PD_H
#include "context.h"
#include "cpu.h"
#include "sysimg.h"
#include "pd_abi.h"
#include "vcpu.h"

enum pd_state {
    PD_STOPPED, /* faulted without a parent, stopped by its parent, or never started */
    PD_READY,   /* runnable (running or queued) */
    PD_RECV,    /* waiting in its event loop */
    PD_CALLING, /* waiting for the reply to a protected call */
    PD_FAULTED, /* waiting for its parent to handle a fault */
    PD_WFI,     /* a vCPU idling in WFI until an interrupt is injected or its timer fires */
};

enum reply_kind { REPLY_NONE, REPLY_PPC, REPLY_FAULT };

#define PD_LINE_MAX 200

struct pd {
    struct ctx ctx; /* first: TPIDR_EL2 points here */
    struct fpctx fp;
    const struct sysimg_pd *desc;
    unsigned idx;
    unsigned priority;
    unsigned cpu; /* the core it is placed on (sysimg cpu) */
    enum pd_state state;
    uint64_t vttbr;
    uint64_t cnthctl;
    uint64_t notify_pending; /* channel-id bitmask, coalesced until the PD receives */
    struct pd *rq_next;      /* ready queue link */
    uint64_t slice_gen;      /* its core's slice_gen when it last ran */
    bool queued;

    /* CPU budget (Microkit's budget and period; budget 0: none): at most `budget` ticks of its
     * core in each period of `period` ticks, which starts when it first runs after a refill;
     * once used up it is throttled (not run, not queued) until the period ends (sched.c) */
    uint64_t budget, period, used, refill_at;
    bool throttled;

    /* protected calls: callers waiting for this PD to receive, in arrival order */
    struct pd *callers_head, *callers_tail, *caller_next;
    uint64_t call_msginfo; /* while PD_CALLING: the call's msginfo */
    unsigned call_ch;      /* while PD_CALLING: the channel id at the callee's end */
    struct pd *callee;     /* while PD_CALLING: whom we called or wait for */

    /* the one reply this PD owes, from the last event it received */
    enum reply_kind reply_kind;
    struct pd *reply_to;

    /* while PD_FAULTED: the fault message, until the parent receives it; the parent keeps its
     * faulted children in arrival order (faults_head/tail, linked through fault_next) */
    bool fault_undelivered;
    struct pd *faults_head, *faults_tail, *fault_next;
    uint64_t fault_label;
    uint64_t fault_mr[FAULT_MR_COUNT];

    /* a restart or stop asked for by a core other than the one it runs on (cpu.h) */
    enum { OP_NONE, OP_STOP, OP_RESTART } deferred_op;
    uint64_t deferred_pc;

    bool is_vcpu;
    bool vmm_elsewhere;     /* a vCPU whose VMM is on another core: saved whole when it stops */
    bool tlbi_local;        /* a vCPU of a VM that lives on one core: its TLBIs trapped, done here */
    struct vcpu_state vcpu; /* only for vCPUs */

    char line[PD_LINE_MAX]; /* debug output is printed a whole line at a time */
    unsigned line_len;
};

extern struct pd pds[SYSIMG_MAX_PDS];
extern unsigned num_pds;

void pds_init(const struct sysimg_header *hdr);
void vm_irqs_init(void);
void pd_reset_context(struct pd *pd, uint64_t pc);
struct pd *pd_child(struct pd *parent, uint64_t child_id);
/* Executing on another core right now (or entering the kernel there): its registers are that
 * core's, so only that core may change them (deferred_op, lr_pending). */
bool pd_running_elsewhere(const struct pd *pd);
/* Restart (at pc) or stop a PD that runs on another core now: its core does it (cpu_settle). */
void pd_defer(struct pd *pd, bool restart, uint64_t pc);
/* Restart (at pc) or stop a PD, deferred to its core if it runs there now. */
void pd_restart(struct pd *pd, uint64_t pc);
void pd_stop(struct pd *pd);
uint64_t *pd_mrs(struct pd *pd);
/* true if the call switched to another PD itself (fastpath.c) */
bool syscall_handle(struct pd *pd);
#endif

/*
 * Virtual CPUs as kernel objects. A vCPU is scheduled like a PD; every exit its VMM must see
 * (stage-2 abort, HVC, SMC, trapped register, GIC maintenance, virtual timer) suspends it and
 * becomes a fault message to the VMM PD that owns the VM, which answers with a reply that
 * resumes it. WFI is handled here: the vCPU sleeps until the VMM injects an interrupt or its
 * virtual timer fires. What a trap's syndrome says is decoded in arch/aarch64/vcpu_exit.c.
 */
#include <stddef.h>

#include "console.h"
#include "gic.h"
#include "ipc.h"
#include "sched.h"
#include "ich_lr.h"
#include "vtimer.h"
#include "vtimer_lr.h"

static uint64_t *reg_slot(struct pd *v, uint64_t reg);

void vcpu_exit_to_vmm(struct pd *v, uint64_t label, const uint64_t mr[FAULT_MR_COUNT])
{
    sched_remove(v);
    ipc_fault(v, label, mr);
}

/* An exit with no syndrome: the message names what happened (an LR, an INTID). */
static void plain_exit(struct pd *v, uint64_t label, uint64_t what)
{
    uint64_t mr[FAULT_MR_COUNT] = { what, 0, 0, v->ctx.spsr };
    vcpu_exit_to_vmm(v, label, mr);
}

/* Injections from another core (lr_pending), into the live list registers or the save area. */
void vcpu_apply_pending_lrs(struct pd *v, bool live)
{
    if (v->vcpu.lr_pending_mask & (1u << VTIMER_LR)) {
        v->vcpu.lr_pending_mask &= ~(1u << VTIMER_LR);
        vtimer_lr_config(v, v->vcpu.vtimer_irq); /* vtimer_lr_config_later's, on this core */
    }
    for (unsigned n = 0; n < VCPU_NUM_LRS; n++) {
        if (!(v->vcpu.lr_pending_mask & (1u << n)))
            continue;
        uint64_t now = live ? vcpu_read_lr(n) : v->vcpu.ich_lr[n];
        if (ich_lr_busy(now))
            continue; /* out of step with the VMM: retried once its maintenance exit freed it */
        if (live)
            vcpu_write_lr(n, v->vcpu.lr_pending[n]);
        else
            v->vcpu.ich_lr[n] = v->vcpu.lr_pending[n];
        v->vcpu.lr_pending_mask &= ~(1u << n);
    }
}

/* WFI completes at once if an injected interrupt is already pending for the loaded vCPU. */
static bool has_pending_lr(void)
{
    for (unsigned i = 0; i < VCPU_NUM_LRS; i++)
        if (ich_lr_is_pending(vcpu_read_lr(i)))
            return true;
    return false;
}

void vcpu_wait(struct pd *v, bool wfe)
{
    if (v->vcpu.lr_pending_mask)
        vcpu_apply_pending_lrs(v, true); /* injected from another core meanwhile */
    if (wfe)
        sched_tick(); /* WFE: a hint to let others run */
    else if (!has_pending_lr())
        v->state = PD_WFI;
}

/* The guest completed an interrupt injected with the EOI flag: the kernel's own virtual timer
 * (vtimer_lr.c), or one of the VMM's: free that list register and tell the VMM which one, one
 * per exit (the others raise it again). */
void vcpu_handle_maintenance(void)
{
    struct pd *v = sched_loaded_vcpu();
    uint64_t eisr = vcpu_read_eisr();
    if (!v || !eisr)
        return;
    eisr = vtimer_lr_maintenance(v, eisr);
    if (!eisr)
        return;
    unsigned lr = __builtin_ctzl(eisr);
    vcpu_write_lr(lr, 0);
    if (v->state == PD_READY)
        plain_exit(v, FAULT_VGIC_MAINT, lr);
}

static void vppi_exit(struct pd *v)
{
    plain_exit(v, FAULT_VPPI, VTIMER_INTID);
}

/* The guest's virtual timer fired (vtimer.c masked it for this vCPU until it is acked): the
 * kernel injects it, or (vtimer="vmm") its VMM gets an exit and acks it. */
void vcpu_vtimer_fired(struct pd *v)
{
    if (vtimer_lr_owned(v))
        vtimer_lr_fired(v);
    else if (v->state == PD_READY || v->state == PD_WFI)
        vppi_exit(v);
    else if (v->state == PD_FAULTED)
        v->vcpu.vppi_pending = true; /* delivered when the VMM resumes it */
}

/* The saved context holds x0..x30, SP_EL1, PC and SPSR in VCPU_REG_* order. */
_Static_assert(offsetof(struct ctx, sp_el1) == 8 * VCPU_REG_SP_EL1 &&
                   offsetof(struct ctx, elr) == 8 * VCPU_REG_PC &&
                   offsetof(struct ctx, spsr) == 8 * VCPU_REG_SPSR,
               "struct ctx is indexed by register number");

/* Reply writes from the first one that is not in the saved context (pairs i..n-1). */
static __attribute__((noinline)) void reply_other_regs(struct pd *vmm, struct pd *v, const uint64_t *mr,
                                                       uint64_t i, uint64_t n)
{
    bool saved_changed = false;
    for (; i < n; i++) {
        if (mr[2 * i] >= VCPU_REG_SP_EL0) {
            sched_evict_vcpu(v); /* not a general register: may be live in the CPU */
            saved_changed = true;
        }
        uint64_t *slot = reg_slot(v, mr[2 * i]);
        if (mr[2 * i] == VCPU_REG_VTIMER_IRQ)
            vtimer_lr_config(v, mr[2 * i + 1]);
        else if (slot)
            *slot = mr[2 * i + 1];
        else
            kprintf("kernel: PD '%s': reply to vCPU '%s' writes unknown register %lu\n", vmm->desc->name,
                    v->desc->name, mr[2 * i]);
    }
    if (saved_changed)
        vtimer_saved_state_changed(v); /* it may have been a timer register */
}

/* The VMM's reply to an exit may carry register writes (VCPU_REPLY_SET_REGS). The usual ones
 * (an emulated load's result, the PC stepped) are in the saved context and go straight in. */
void vcpu_reply_regs(struct pd *vmm, struct pd *v, uint64_t msginfo)
{
    if ((msginfo >> MSGINFO_LABEL_SHIFT) != VCPU_REPLY_SET_REGS)
        return;
    uint64_t n = (msginfo & MSGINFO_COUNT_MASK) / 2, i = 0;
    if (n > PD_MAX_MRS / 2)
        n = PD_MAX_MRS / 2;
    const uint64_t *mr = pd_mrs(vmm);
    uint64_t *ctx = (uint64_t *)&v->ctx;
    for (; i < n && mr[2 * i] < VCPU_REG_SP_EL0; i++)
        ctx[mr[2 * i]] = mr[2 * i + 1];
    if (i < n)
        reply_other_regs(vmm, v, mr, i, n);
}

/* Resume a vCPU after its VMM restarted it or replied (vcpu_reply). */
static void resume(struct pd *v)
{
    if (v->vcpu.vppi_pending) {
        v->vcpu.vppi_pending = false;
        vppi_exit(v);
        return;
    }
    sched_make_ready_resumed(v);
}

void vcpu_reply(struct pd *vmm, struct pd *v, uint64_t msginfo)
{
    vcpu_reply_regs(vmm, v, msginfo);
    resume(v);
}

/* A vCPU placed on the calling VMM's core: it never runs while the VMM does, so its saved list
 * registers are the truth, and only such a vCPU gets quiet ones (VCPU_INJECT_QUIET). */
static bool on_callers_core(const struct pd *v)
{
    return v->cpu == this_cpu()->idx;
}

/* VCPU_REG_LR_BUSY: from the save area (the caller evicted the vCPU). All of them for a vCPU
 * of another core: none of its registers is quiet, so its VMM learns of each EOI by the
 * maintenance exit and must not take one back early (that exit may be on its way). */
static uint64_t lr_busy(const struct pd *v)
{
    uint64_t busy = 0;
    for (unsigned n = 0; n < VCPU_INJECT_LRS; n++)
        if (!on_callers_core(v) || ich_lr_busy(v->vcpu.ich_lr[n]))
            busy |= 1ul << n;
    return busy;
}

static uint64_t *reg_slot(struct pd *v, uint64_t reg)
{
    if (reg <= 30)
        return &v->ctx.x[reg];
    switch (reg) {
    case VCPU_REG_SP_EL1: return &v->ctx.sp_el1;
    case VCPU_REG_PC: return &v->ctx.elr;
    case VCPU_REG_SPSR: return &v->ctx.spsr;
    case VCPU_REG_SP_EL0: return &v->vcpu.sp_el0;
    case VCPU_REG_VTIMER_IRQ: return &v->vcpu.vtimer_irq; /* written through vtimer_lr_config */
    }
    if (reg >= VCPU_REG_SCTLR && reg < VCPU_REG_COUNT)
        return &v->vcpu.el1[reg - VCPU_REG_SCTLR];
    return NULL;
}

static const char *const vcpu_call_names[] = {
    [SYS_VCPU_RESTART] = "vcpu_restart",   [SYS_VCPU_STOP] = "vcpu_stop", [SYS_VCPU_INJECT] = "vcpu_inject",
    [SYS_VCPU_ACK_VPPI] = "vcpu_ack_vppi", [SYS_VCPU_READ] = "vcpu_read", [SYS_VCPU_WRITE] = "vcpu_write",
};

static uint64_t refuse(struct pd *vmm, uint64_t *x, const char *why, uint64_t status)
{
    kprintf("kernel: PD '%s': %s of vCPU %lu: %s\n", vmm->desc->name, vcpu_call_names[x[0]], x[1], why);
    return status;
}

static uint64_t inject(struct pd *vmm, struct pd *v, uint64_t *x, bool quiet)
{
    uint64_t lr = x[5];
    if (lr >= VCPU_INJECT_LRS || x[2] >= GIC_MAX_INTID)
        return refuse(vmm, x, "bad list register or INTID", SYS_ERR_INVALID);
    uint64_t value = ich_lr_pending((uint32_t)x[2], x[3], x[4] & 1);
    if (pd_running_elsewhere(v)) {
        /* its list registers are that core's: it writes them before it next enters the guest */
        if (v->vcpu.lr_pending_mask & (1u << lr))
            return SYS_ERR_BUSY;
        v->vcpu.lr_pending[lr] = value;
        v->vcpu.lr_pending_mask |= 1u << lr;
        cpu_kick(&cpus[v->cpu]);
        return SYS_OK;
    }
    if (quiet)
        value = ich_lr_merge(v->vcpu.ich_lr[lr], ich_lr_quiet(value));
    else if (ich_lr_busy(v->vcpu.ich_lr[lr]))
        value = 0;
    if (!value)
        return SYS_ERR_BUSY; /* the VMM keeps its own queue; not worth a log line */
    v->vcpu.ich_lr[lr] = value;
    if (v->state == PD_WFI)
        sched_make_ready(v);
    return SYS_OK;
}

/* Restart (at pc) or stop v, on its own core or while it runs nowhere. */
void vcpu_do_restart_or_stop(struct pd *v, bool restart, uint64_t pc)
{
    sched_evict_vcpu(v);
    ipc_detach(v);
    v->vcpu.vppi_pending = false;
    v->vcpu.lr_pending_mask = 0;
    if (!restart) {
        vtimer_silence(v);
        return;
    }
    v->ctx.elr = pc;
    /* a fresh start of its interrupt state: nothing injected, nothing active, none owed */
    memset(v->vcpu.ich_lr, 0, sizeof(v->vcpu.ich_lr));
    v->vcpu.ich_vmcr = v->vcpu.ich_ap0r0 = v->vcpu.ich_ap1r0 = 0;
    vtimer_ack(v); /* none owed */
    resume(v);
}

void vcpu_syscall(struct pd *vmm, uint64_t *x)
{
    struct pd *v = pd_child(vmm, x[1]);
    uint64_t *slot;
    if (!v || !v->is_vcpu) {
        x[0] = refuse(vmm, x, "no such vCPU", SYS_ERR_CHILD);
        return;
    }
    bool elsewhere = pd_running_elsewhere(v);
    if (elsewhere && x[0] == SYS_VCPU_WRITE && x[2] == VCPU_REG_VTIMER_IRQ) {
        vtimer_lr_config_later(v, x[3]); /* the vGIC's state, not the CPU's: its core applies it */
        x[0] = SYS_OK;
        return;
    }
    if (elsewhere && (x[0] == SYS_VCPU_READ || x[0] == SYS_VCPU_WRITE) && x[2] != VCPU_REG_LR_BUSY) {
        /* its registers are in that core's CPU: a VMM reads them at an exit, not while it runs */
        x[0] = refuse(vmm, x, "it is running on another core", SYS_ERR_BUSY);
        return;
    }
    /* General registers are always in the save area; anything else may be live in the CPU. */
    bool gpr_only = (x[0] == SYS_VCPU_READ || x[0] == SYS_VCPU_WRITE) && x[2] < VCPU_REG_SP_EL0;
    if (!gpr_only && !elsewhere && x[0] != SYS_VCPU_ACK_VPPI)
        sched_evict_vcpu(v);
    switch (x[0]) {
    case SYS_VCPU_RESTART:
    case SYS_VCPU_STOP:
        if (elsewhere)
            pd_defer(v, x[0] == SYS_VCPU_RESTART, x[2]);
        else
            vcpu_do_restart_or_stop(v, x[0] == SYS_VCPU_RESTART, x[2]);
        x[0] = SYS_OK;
        break;
    case SYS_VCPU_INJECT: {
        bool quiet = (x[4] & VCPU_INJECT_QUIET) && on_callers_core(v);
        x[0] = inject(vmm, v, x, quiet);
        x[1] = quiet;
        break;
    }
    case SYS_VCPU_ACK_VPPI:
        if (x[2] != VTIMER_INTID) {
            x[0] = refuse(vmm, x, "not a virtual PPI", SYS_ERR_INVALID);
            break;
        }
        vtimer_ack(v);
        x[0] = SYS_OK;
        break;
    case SYS_VCPU_READ:
    case SYS_VCPU_WRITE:
        if (x[2] == VCPU_REG_LR_BUSY) {
            if (x[0] == SYS_VCPU_READ)
                x[1] = lr_busy(v);
            x[0] = x[0] == SYS_VCPU_READ ? SYS_OK : refuse(vmm, x, "a read-only register", SYS_ERR_INVALID);
            break;
        }
        slot = reg_slot(v, x[2]);
        if (!slot) {
            x[0] = refuse(vmm, x, "no such register", SYS_ERR_INVALID);
            break;
        }
        if (x[0] == SYS_VCPU_READ) {
            x[1] = *slot;
        } else if (x[2] == VCPU_REG_VTIMER_IRQ) {
            vtimer_lr_config(v, x[3]);
        } else {
            *slot = x[3];
            if (!gpr_only)
                vtimer_saved_state_changed(v); /* it may have been a timer register */
        }
        x[0] = SYS_OK;
        break;
    }
}

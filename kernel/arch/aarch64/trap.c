/* C side of the EL2 exception vectors: what a PD's trap means, then back to the scheduler. */
#include "console.h"
#include "esr.h"
#include "fault.h"
#include "kstat.h"
#include "irq.h"
#include "sched.h"
#include "sysreg.h"
#include "trap.h"

/* What every kernel entry ends with: the PD to return to, idling until one is ready. The
 * idle loop is here, above the scheduler, so that the scheduler never calls into the IRQ code
 * (which makes PDs ready through ipc.c and the scheduler). */
void kernel_leave(void)
{
    kstat_tick();
    while (!sched_pick()) {
        sched_idle_wait();
        irq_handle_pending();
    }
}

static void forwarded_el1_exception(struct pd *pd)
{
    fault_raise(pd, sysreg_read(esr_el1), sysreg_read(far_el1), sysreg_read(elr_el1), sysreg_read(spsr_el1),
                true);
}

void handle_lower_sync(void)
{
    struct pd *pd = current;
    uint64_t esr = sysreg_read(esr_el2);
    unsigned ec = ESR_EC(esr);
    if (pd->deferred_op != OP_NONE) {
        kernel_leave(); /* another core restarted or stopped it meanwhile: this trap is void */
        return;
    }
    if (ec == EC_FP) {
        sched_fp_trap(); /* lazy FP switch: retry the instruction with the registers loaded */
        kernel_leave();
        return;
    }
    if (pd->is_vcpu) {
        if (!vcpu_handle_exit(pd))
            kernel_leave();
        return;
    }
    if (ec == EC_HVC64) {
        unsigned imm = esr & 0xffff;
        if (imm == 0) {
            if (syscall_handle(pd))
                return; /* it switched already (fastpath.c) */
        } else if (imm >= PD_VEC_HVC_BASE && imm < PD_VEC_HVC_BASE + 16)
            forwarded_el1_exception(pd);
        else
            fault_raise(pd, esr, 0, pd->ctx.elr - 4, pd->ctx.spsr, false);
    } else if (ec == EC_WFX) {
        pd->ctx.elr += 4; /* WFI/WFE in a PD is a yield */
        sched_tick();
    } else {
        uint64_t far = (ec == EC_DABT_LOWER || ec == EC_IABT_LOWER) ? sysreg_read(far_el2) : 0;
        fault_raise(pd, esr, far, pd->ctx.elr, pd->ctx.spsr, false);
    }
    kernel_leave();
}

void handle_lower_irq(void)
{
    irq_handle_pending();
    kernel_leave();
}

void handle_lower_serror(void)
{
    if (current->deferred_op != OP_NONE) {
        kernel_leave();
        return;
    }
    if (current->is_vcpu) {
        vcpu_handle_serror(current);
        kernel_leave();
        return;
    }
    fault_raise(current, sysreg_read(esr_el2), 0, current->ctx.elr, current->ctx.spsr, false);
    kernel_leave();
}

NORETURN void kernel_panic_exception(uint64_t esr, uint64_t elr, uint64_t far)
{
    panic("exception in the kernel: ESR 0x%lx at pc 0x%lx, FAR 0x%lx", esr, elr, far);
}

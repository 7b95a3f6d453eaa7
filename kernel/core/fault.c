/*
 * PD faults. The exception is decoded from its ESR (arch/aarch64/fault_decode.c) into a fault
 * label and a readable description; a PD with a parent is suspended and its parent gets the fault as a message,
 * any other PD is stopped with a one-line diagnostic. Other PDs are not affected either way.
 */
#include "fault.h"
#include "console.h"
#include "fault_decode.h"
#include "ipc.h"
#include "klog.h"
#include "sched.h"

static void report(struct pd *pd, const struct fault_kind *k, uint64_t esr, uint64_t far, uint64_t pc)
{
    kprintf("kernel: fault in PD '%s': %s", pd->desc->name, k->what);
    fault_print_detail(k, esr, far);
    kprintf(", pc 0x%016lx (ESR 0x%08x); PD stopped\n", pc, (unsigned)esr);
}

void fault_raise(struct pd *pd, uint64_t esr, uint64_t far, uint64_t pc, uint64_t spsr, bool el1)
{
    if (el1) {
        /* Undo the EL1 exception entry so that resuming retries the faulting instruction. */
        pd->ctx.elr = pc;
        pd->ctx.spsr = spsr;
    }
    struct fault_kind k = fault_classify(esr);
    if (!k.is_abort)
        far = 0;
    if (pd->desc->parent != SYSIMG_NO_PARENT) {
        uint64_t mr[FAULT_MR_COUNT] = { pc, far, esr, spsr };
        sched_remove(pd);
        ipc_fault(pd, k.label, mr);
        return;
    }
    klog_owner_stopped(pd->idx); /* first, so this report reaches the UART */
    report(pd, &k, esr, far, pc);
    ipc_detach(pd);
}

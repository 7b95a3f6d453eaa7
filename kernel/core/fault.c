/*
 * PD faults. The exception is decoded from its ESR into a fault label and a readable
 * description; a PD with a parent is suspended and its parent gets the fault as a message,
 * any other PD is stopped with a one-line diagnostic. Other PDs are not affected either way.
 */
#include "fault.h"
#include "console.h"
#include "esr.h"
#include "ipc.h"
#include "klog.h"
#include "sched.h"

struct fault_kind {
    uint64_t label;
    const char *what;
    bool is_abort;
};

static struct fault_kind classify(uint64_t esr)
{
    unsigned ec = ESR_EC(esr);
    bool align = (esr & 0x3f) == FSC_ALIGNMENT;
    switch (ec) {
    case EC_UNKNOWN: return (struct fault_kind){ FAULT_UNDEF, "undefined instruction", false };
    case EC_DABT_LOWER:
    case EC_DABT_SAME: return (struct fault_kind){ align ? FAULT_ALIGN : FAULT_VM, "data abort", true };
    case EC_IABT_LOWER:
    case EC_IABT_SAME: return (struct fault_kind){ FAULT_VM, "instruction abort", true };
    case EC_PC_ALIGN: return (struct fault_kind){ FAULT_ALIGN, "PC alignment fault", false };
    case EC_SP_ALIGN: return (struct fault_kind){ FAULT_ALIGN, "SP alignment fault", false };
    case EC_SMC64: return (struct fault_kind){ FAULT_SYSCALL, "SMC instruction", false };
    case EC_SYSREG: return (struct fault_kind){ FAULT_SYSCALL, "trapped system register access", false };
    case EC_HVC64: return (struct fault_kind){ FAULT_SYSCALL, "HVC with an unknown immediate", false };
    case EC_BRK: return (struct fault_kind){ FAULT_OTHER, "breakpoint instruction", false };
    case EC_ILLEGAL: return (struct fault_kind){ FAULT_OTHER, "illegal execution state", false };
    case EC_SERROR: return (struct fault_kind){ FAULT_OTHER, "SError", false };
    default: return (struct fault_kind){ FAULT_OTHER, "exception", false };
    }
}

static void print_fsc(unsigned fsc)
{
    unsigned level = fsc & 3;
    switch (fsc & 0x3c) {
    case 0x00: kprintf("address size fault, level %u", level); return;
    case 0x04: kprintf("translation fault, level %u", level); return;
    case 0x08: kprintf("access flag fault, level %u", level); return;
    case 0x0c: kprintf("permission fault, level %u", level); return;
    }
    if (fsc == FSC_ALIGNMENT)
        kprintf("alignment fault");
    else if (fsc == 0x10)
        kprintf("synchronous external abort");
    else
        kprintf("fault status 0x%x", fsc);
}

static void report(struct pd *pd, const struct fault_kind *k, uint64_t esr, uint64_t far, uint64_t pc)
{
    kprintf("kernel: fault in PD '%s': %s", pd->desc->name, k->what);
    if (k->is_abort) {
        kprintf(" (");
        print_fsc(esr & 0x3f);
        bool data = ESR_EC(esr) == EC_DABT_LOWER || ESR_EC(esr) == EC_DABT_SAME;
        kprintf(")%s at address 0x%016lx", data ? ((esr & ESR_WNR) ? " on write" : " on read") : "", far);
    } else if (k->label == FAULT_OTHER || k->label == FAULT_SYSCALL) {
        kprintf(" (EC 0x%x)", (unsigned)ESR_EC(esr));
    }
    kprintf(", pc 0x%016lx (ESR 0x%08x); PD stopped\n", pc, (unsigned)esr);
}

void fault_raise(struct pd *pd, uint64_t esr, uint64_t far, uint64_t pc, uint64_t spsr, bool el1)
{
    if (el1) {
        /* Undo the EL1 exception entry so that resuming retries the faulting instruction. */
        pd->ctx.elr = pc;
        pd->ctx.spsr = spsr;
    }
    struct fault_kind k = classify(esr);
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

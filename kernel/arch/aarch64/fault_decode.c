/* What an AArch64 exception syndrome (ESR) says about a PD's fault: its Microkit fault label
 * and the words the kernel's fault line uses. */
#include "fault_decode.h"
#include "console.h"
#include "esr.h"
#include "pd_abi.h"

struct fault_kind fault_classify(uint64_t esr)
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

void fault_print_detail(const struct fault_kind *k, uint64_t esr, uint64_t far)
{
    if (k->is_abort) {
        kprintf(" (");
        print_fsc(esr & 0x3f);
        bool data = ESR_EC(esr) == EC_DABT_LOWER || ESR_EC(esr) == EC_DABT_SAME;
        kprintf(")%s at address 0x%016lx", data ? ((esr & ESR_WNR) ? " on write" : " on read") : "", far);
    } else if (k->label == FAULT_OTHER || k->label == FAULT_SYSCALL) {
        kprintf(" (EC 0x%x)", (unsigned)ESR_EC(esr));
    }
}

/*
 * vCPU exits, as the kernel delivers them to fault(): decoded by the port, dispatched here.
 * Returns whether the vCPU resumes (the reply); a vCPU that was stopped or restarted while
 * handling its exit gets no reply.
 */
#include "esr.h"
#include "exit_stats.h"
#include "psci.h"
#include "sysreg.h"
#include "vmm.h"
#include "vmm_log.h"
#include "vmm_port.h"

typedef unsigned long long ull;

static bool trap(struct vmm *vm, unsigned index, const struct vmm_exit *e)
{
    switch (esr_ec(e->esr)) {
    case ESR_EC_HVC64:
        /* HVC's preferred return address is the next instruction: the PC is already past it. */
        return vmm_smccc(vm, index);
    case ESR_EC_SMC64:
        /* A trapped SMC returns to the SMC itself: step over it before answering. */
        vmm_vcpu_skip(vm, index, e->pc, e->esr);
        return vmm_smccc(vm, index);
    case ESR_EC_SYS64: return vmm_sysreg_trap(vm, index, e->esr, e->pc);
    case ESR_EC_WFX:
        /* The kernel handles WFI/WFE itself; should one reach us, it has waited enough. */
        vmm_vcpu_skip(vm, index, e->pc, e->esr);
        return true;
    default:
        vmm_log(vm, "unhandled trap: EC 0x%02x (ESR 0x%llx) at pc 0x%llx", esr_ec(e->esr), (ull)e->esr,
                (ull)e->pc);
        return vmm_stop_guest(vm);
    }
}

static bool dispatch(struct vmm *vm, microkit_child child, microkit_msginfo msginfo)
{
    int index = vmm_vcpu_index(vm, child);
    if (index < 0) {
        vmm_log(vm, "fault from child %u, which is not one of this guest's vCPUs: not resumed", child);
        return false;
    }
    struct vmm_exit e;
    vmm_port_decode_exit(child, msginfo, &e);
    vmm_exit_stats_note(vm, &e);
    switch (e.kind) {
    case VMM_EXIT_STAGE2: return vmm_stage2_fault(vm, (unsigned)index, &e);
    case VMM_EXIT_TRAP: return trap(vm, (unsigned)index, &e);
    case VMM_EXIT_VGIC_MAINT: vgic_maintenance(vm->vgic, (unsigned)index, e.lr); return true;
    case VMM_EXIT_VPPI: vmm_vppi(vm, (unsigned)index, e.intid); return true;
    case VMM_EXIT_OTHER: break;
    }
    vmm_log(vm,
            "vCPU %u: exit the VMM does not handle (fault label %llu) at pc 0x%llx, ESR "
            "0x%llx, address 0x%llx",
            child, (ull)e.label, (ull)e.pc, (ull)e.esr, (ull)e.addr);
    return vmm_stop_guest(vm);
}

bool vmm_fault(struct vmm *vm, microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply)
{
    *reply = microkit_msginfo_new(0, 0);
    return vmm_port_finish_exit(dispatch(vm, child, msginfo), reply);
}

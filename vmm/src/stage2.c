/*
 * Stage-2 faults: the guest touched guest-physical memory it has no mapping for. A load or
 * store with a syndrome aimed at the vGIC is emulated; anything else is the guest's error,
 * reported with the address and instruction, and stops the guest (never the VMM).
 */
#include "esr.h"
#include "insn.h"
#include "mmio.h"
#include "vmm.h"
#include "vmm_log.h"

typedef unsigned long long ull;

bool vmm_stage2_fault(struct vmm *vm, unsigned index, uint64_t pc, uint64_t ipa, uint64_t esr,
                      uint32_t insn)
{
    if (esr_ec(esr) != ESR_EC_DABT_LOW) {
        vmm_log(vm, "unhandled stage-2 fault at IPA 0x%llx (instruction fetch) pc 0x%llx",
                (ull)ipa, (ull)pc);
        return vmm_stop_guest(vm);
    }
    if ((esr & ESR_DABT_S1PTW) != 0) {
        vmm_log(vm, "unhandled stage-2 fault at IPA 0x%llx (stage-1 page-table walk) pc 0x%llx",
                (ull)ipa, (ull)pc);
        return vmm_stop_guest(vm);
    }
    struct mmio_access a;
    if (mmio_decode(esr, &a) != MMIO_OK) {
        vmm_log(vm, "%s of IPA 0x%llx at pc 0x%llx by instruction 0x%08x, a %s: cannot be "
                "emulated (no syndrome, ISV=0)", a.write ? "write" : "read", (ull)ipa, (ull)pc,
                (unsigned)insn, insn_class(insn));
        return vmm_stop_guest(vm);
    }
    uint64_t value = a.write ? mmio_store_data(&a, vmm_vcpu_reg(vm, index, a.reg)) : 0;
    if (!vgic_mmio(vm->vgic, index, ipa, a.write, a.size, &value)) {
        vmm_log(vm, "unhandled stage-2 fault at IPA 0x%llx (%s, %u bytes) pc 0x%llx", (ull)ipa,
                a.write ? "write" : "read", a.size, (ull)pc);
        return vmm_stop_guest(vm);
    }
    if (!a.write)
        vmm_vcpu_set_reg(vm, index, a.reg, mmio_load_result(&a, value));
    vmm_vcpu_skip(vm, index, pc, esr);
    return true;
}

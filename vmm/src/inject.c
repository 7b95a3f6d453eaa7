/* Injecting a synchronous external abort into the guest (see inject.h). */
#include "inject.h"
#include "esr.h"
#include "vmm.h"
#include "vmm_port.h"

#define PSTATE_M_AARCH32 (1u << 4)
#define PSTATE_EL_SHIFT  2
#define PSTATE_SP_ELX    (1u << 0)
#define PSTATE_EL1H      0x5u
#define PSTATE_DAIF      (0xfu << 6)
#define VBAR_MASK        (~0x7ffull) /* VBAR_EL1 bits [10:0] are RES0 */

/* Vector offsets from VBAR_EL1 for a synchronous exception. */
#define VEC_CURRENT_SP0 0x000u
#define VEC_CURRENT_SPX 0x200u
#define VEC_LOWER_A64   0x400u
#define VEC_LOWER_A32   0x600u

bool vmm_abort_entry(uint64_t spsr, uint64_t vbar, uint64_t pc, const struct vmm_abort *a,
                     struct vmm_abort_entry *out)
{
    bool lower;
    unsigned offset;
    if (spsr & PSTATE_M_AARCH32) {
        lower = true; /* an AArch32 guest EL0 under an AArch64 EL1 */
        offset = VEC_LOWER_A32;
    } else {
        unsigned el = (unsigned)(spsr >> PSTATE_EL_SHIFT) & 3u;
        if (el > 1)
            return false;
        lower = el == 0;
        offset = lower ? VEC_LOWER_A64 : (spsr & PSTATE_SP_ELX) ? VEC_CURRENT_SPX : VEC_CURRENT_SP0;
    }
    unsigned ec =
        a->insn ? (lower ? ESR_EC_IABT_LOW : ESR_EC_IABT_SAME) : (lower ? ESR_EC_DABT_LOW : ESR_EC_DABT_SAME);
    /* IL is RES1 for instruction aborts and for data aborts without a valid syndrome (ISV=0,
     * which is what is reported: the guest has nothing to emulate). */
    uint64_t iss = ESR_FSC_SEA | (a->far_valid ? 0 : ESR_DABT_FNV);
    if (!a->insn)
        iss |= (a->write || a->cache_op ? ESR_DABT_WNR : 0) | (a->cache_op ? ESR_DABT_CM : 0);
    *out = (struct vmm_abort_entry){
        .esr = (uint64_t)ec << 26 | ESR_IL | iss,
        .far = a->far_valid ? a->far : 0, /* UNKNOWN with FnV set */
        .elr = pc,
        .spsr = spsr,
        /* EL1 with SP_EL1, D, A, I and F masked; ARMv8.0 has no PAN, UAO or SSBS to set. */
        .pstate = PSTATE_EL1H | PSTATE_DAIF,
        .pc = (vbar & VBAR_MASK) + offset,
    };
    return true;
}

bool vmm_inject_abort(struct vmm *vm, unsigned index, uint64_t pc, uint64_t spsr, const struct vmm_abort *a)
{
    unsigned id = vm->vcpu[index].id;
    struct vmm_abort_entry e;
    if (!vmm_abort_entry(spsr, vmm_port_reg_read(id, VMM_REG_VBAR_EL1), pc, a, &e))
        return false;
    vmm_port_reg_write(id, VMM_REG_ESR_EL1, e.esr);
    vmm_port_reg_write(id, VMM_REG_FAR_EL1, e.far);
    vmm_port_reg_write(id, VMM_REG_ELR_EL1, e.elr);
    vmm_port_reg_write(id, VMM_REG_SPSR_EL1, e.spsr);
    vmm_port_reg_write(id, VMM_REG_SPSR, e.pstate);
    vmm_port_reg_write(id, VMM_REG_PC, e.pc);
    return true;
}

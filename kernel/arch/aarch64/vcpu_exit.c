/*
 * A synchronous exception or SError taken from a guest, decoded from its syndrome (ESR_EL2,
 * FAR_EL2, HPFAR_EL2) into what the vCPU object model does with it (core/vcpu.c): a wait, or
 * an exit message to the VMM with everything it needs to emulate the access.
 */
#include "esr.h"
#include "fastpath.h"
#include "pd.h"
#include "sysreg.h"

/* The register an exit's syndrome names, whose value the VMM will need. */
static int syndrome_reg(uint64_t esr)
{
    unsigned ec = ESR_EC(esr);
    unsigned r = 31;
    if (ec == EC_DABT_LOWER && (esr & ESR_ISV))
        r = (esr >> 16) & 0x1f;
    else if (ec == EC_SYSREG)
        r = (esr >> 5) & 0x1f;
    return r == 31 ? -1 : (int)r; /* 31 is xzr here */
}

/* Builds the exit message and hands it over; true if the fast path switched to the VMM. */
static bool to_vmm(struct pd *v, uint64_t label, uint64_t ipa, uint64_t esr)
{
    uint64_t *fast = fastpath_exit_mrs(v);
    uint64_t *mr = fast ? fast : v->fault_mr; /* built in place: nothing copies it after */
    unsigned ec = ESR_EC(esr);
    mr[FAULT_MR_PC] = v->ctx.elr;
    mr[FAULT_MR_ADDR] = ipa;
    mr[FAULT_MR_ESR] = esr;
    mr[FAULT_MR_SPSR] = v->ctx.spsr;
    _Static_assert(FAULT_MR_X0 == 5 && FAULT_MR_INSN == 9 && FAULT_MR_COUNT == 11, "the stores below");
    mr[5] = mr[6] = mr[7] = mr[8] = mr[9] = mr[10] = 0; /* what this exit does not carry */
    int r = syndrome_reg(esr);
    mr[FAULT_MR_RT] = r < 0 ? 0 : v->ctx.x[r];
    if (label == FAULT_VM)
        mr[FAULT_MR_FAR] = sysreg_read(far_el2); /* the VA, for an abort the VMM injects */
    if (label == FAULT_VCPU && (ec == EC_HVC64 || ec == EC_SMC64))
        copy_words(&mr[FAULT_MR_X0], v->ctx.x, 4);
    if (label == FAULT_VM && ec == EC_DABT_LOWER && !(esr & ESR_ISV))
        mr[FAULT_MR_INSN] = vcpu_fetch_insn(v->ctx.elr); /* so the VMM can name it */
    if (fast) {
        fastpath_exit(v, label);
        return true;
    }
    vcpu_exit_to_vmm(v, label, mr);
    return false;
}

bool vcpu_handle_exit(struct pd *v)
{
    uint64_t esr = sysreg_read(esr_el2);
    unsigned ec = ESR_EC(esr);
    if (ec == EC_WFX) {
        v->ctx.elr += 4;
        vcpu_wait(v, esr & ESR_WFX_WFE);
        return false;
    }
    if (ec == EC_DABT_LOWER || ec == EC_IABT_LOWER) {
        uint64_t far = sysreg_read(far_el2);
        uint64_t ipa = ((sysreg_read(hpfar_el2) >> 4) << 12) | (far & 0xfff);
        return to_vmm(v, FAULT_VM, ipa, esr);
    }
    if (ec == EC_SYSREG && v->tlbi_local && vcpu_tlbi_local(v, esr)) {
        v->ctx.elr += 4;
        return false;
    }
    return to_vmm(v, FAULT_VCPU, 0, esr);
}

void vcpu_handle_serror(struct pd *v)
{
    /* if the fast path switched to the VMM, the scheduler's pick that follows keeps it */
    (void)to_vmm(v, FAULT_VCPU, 0, sysreg_read(esr_el2));
}

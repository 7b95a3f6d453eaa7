/*
 * Trapped system register accesses. Only ICC_SGI1R_EL1 writes matter (the guest sending
 * SGIs, which the vGIC delivers); anything else the kernel lets through to the VMM reads as 0
 * and ignores writes, logged once per register and direction.
 */
#include <stdio.h>

#include "esr.h"
#include "sysreg.h"
#include "vmm.h"
#include "vmm_log.h"
#include "vmm_port.h"

void sysreg_decode(uint64_t esr, struct sysreg_access *a)
{
    a->op0 = (unsigned)(esr >> 20) & 3u;
    a->op2 = (unsigned)(esr >> 17) & 7u;
    a->op1 = (unsigned)(esr >> 14) & 7u;
    a->crn = (unsigned)(esr >> 10) & 15u;
    a->reg = (unsigned)(esr >> 5) & 31u;
    a->crm = (unsigned)(esr >> 1) & 15u;
    a->read = (esr & 1u) != 0;
}

uint32_t sysreg_key(const struct sysreg_access *a)
{
    return SYSREG_KEY(a->op0, a->op1, a->crn, a->crm, a->op2);
}

void sysreg_name(const struct sysreg_access *a, char *buf, size_t len)
{
    snprintf(buf, len, "S%u_%u_C%u_C%u_%u", a->op0, a->op1, a->crn, a->crm, a->op2);
}

bool vmm_sysreg_trap(struct vmm *vm, unsigned vcpu, uint64_t esr, uint64_t pc)
{
    struct sysreg_access a;
    sysreg_decode(esr, &a);
    uint32_t key = sysreg_key(&a);
    if (key == SYSREG_ICC_SGI1R_EL1 && !a.read) {
        vgic_sgi1r_write(vm->vgic, vcpu, vmm_vcpu_reg(vm, vcpu, a.reg));
    } else {
        /* Bit 0 of the key is free (Direction's place): use it to log reads and writes apart. */
        if (vmm_log_first(vm, 0x5359530000000000ull | key | (a.read ? 1u : 0u))) {
            char name[24];
            sysreg_name(&a, name, sizeof(name));
            if (a.read)
                vmm_log(vm, "trapped read of system register %s at pc 0x%llx: returns 0", name,
                        (unsigned long long)pc);
            else
                vmm_log(vm, "trapped write to system register %s at pc 0x%llx: ignored", name,
                        (unsigned long long)pc);
        }
        if (a.read)
            vmm_vcpu_set_reg(vm, vcpu, a.reg, 0);
    }
    vmm_vcpu_skip(vm, vcpu, pc, esr);
    return true;
}

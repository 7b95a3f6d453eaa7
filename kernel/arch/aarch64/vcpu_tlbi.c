/*
 * A VM whose vCPUs all run on one core has no TLB entries on any other core, so its broadcast
 * TLB invalidations (TLBI ...IS) need not be broadcast. Under QEMU's multi-threaded TCG a
 * broadcast makes every other running emulated core stop and flush, and a booting Linux issues
 * tens of thousands (ftrace patching its call sites): with another guest busy on another core,
 * each one stalls both. Such a VM (when another core has a guest: pd.c) runs with
 * HCR_EL2.TTLB, and the kernel performs each trapped TLBI on this core only, for the VM's VMID
 * (VTTBR_EL2 is still the guest's here). Measured: two guests a core each to login 0.89x.
 */
#include "esr.h"
#include "pd.h"

/* ISS of a trapped SYS instruction (EC 0x18): Op0 [21:20], Op2 [19:17], Op1 [16:14],
 * CRn [13:10], Rt [9:5], CRm [4:1], read [0]. */
#define ISS_OP0(e) (((e) >> 20) & 3)
#define ISS_OP2(e) (((e) >> 17) & 7)
#define ISS_OP1(e) (((e) >> 14) & 7)
#define ISS_CRN(e) (((e) >> 10) & 0xf)
#define ISS_RT(e)  (((e) >> 5) & 0x1f)
#define ISS_CRM(e) (((e) >> 1) & 0xf)
#define ISS_READ   1u

/* TLBI <op>E1{IS,OS}: CRn 8, Op1 0; CRm 1 (outer shareable), 3 (inner shareable) or 7 (this
 * core). True if it was one of the EL1 operations of Armv8.0 and is done. */
bool vcpu_tlbi_local(struct pd *v, uint64_t esr)
{
    if (ISS_OP0(esr) != 1 || ISS_OP1(esr) != 0 || ISS_CRN(esr) != 8 || (esr & ISS_READ))
        return false;
    unsigned crm = ISS_CRM(esr);
    if (crm != 1 && crm != 3 && crm != 7)
        return false;
    unsigned rt = ISS_RT(esr);
    uint64_t x = rt == 31 ? 0 : v->ctx.x[rt];
    switch (ISS_OP2(esr)) {
    case 0: __asm__ volatile("tlbi vmalle1" ::: "memory"); break;
    case 1: __asm__ volatile("tlbi vae1, %0" ::"r"(x) : "memory"); break;
    case 2: __asm__ volatile("tlbi aside1, %0" ::"r"(x) : "memory"); break;
    case 3: __asm__ volatile("tlbi vaae1, %0" ::"r"(x) : "memory"); break;
    case 5: __asm__ volatile("tlbi vale1, %0" ::"r"(x) : "memory"); break;
    case 7: __asm__ volatile("tlbi vaale1, %0" ::"r"(x) : "memory"); break;
    default: return false;
    }
    /* the guest's own DSB after its TLBI waits for this one: the same core issued it */
    return true;
}

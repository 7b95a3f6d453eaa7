/*
 * SMC and HVC from the guest, by the SMC Calling Convention 1.1: function ID in w0, arguments
 * in x1..x3, result in x0. SMCCC's own queries and PSCI are answered; every other function
 * (firmware services the guest expects from a vendor, such as the i.MX SiP calls) returns
 * NOT_SUPPORTED, which is how a guest learns a service is absent, with a log line per ID.
 */
#include "exit_stats.h"
#include "psci.h"
#include "vmm.h"
#include "vmm_log.h"

bool vmm_smccc(struct vmm *vm, unsigned vcpu)
{
    uint32_t fid = (uint32_t)vmm_vcpu_reg(vm, vcpu, 0);
    uint64_t args[3] = { vmm_vcpu_reg(vm, vcpu, 1), vmm_vcpu_reg(vm, vcpu, 2), vmm_vcpu_reg(vm, vcpu, 3) };
    int64_t result;
    if (fid == SMCCC_VERSION_FID) {
        result = SMCCC_VERSION_1_1;
    } else if (fid == SMCCC_ARCH_FEATURES_FID) {
        result = SMCCC_NOT_SUPPORTED; /* no workaround functions, no SMCCC extensions */
    } else if (psci_implemented(fid)) {
        /* The boot's exit counts end here, this call included (scripts/bench.py reads them). */
        if (fid == PSCI_SYSTEM_OFF || fid == PSCI_SYSTEM_RESET)
            vmm_exit_stats_report(vm);
        if (!psci_call(vm, vcpu, fid, args, &result))
            return false;
    } else {
        result = SMCCC_NOT_SUPPORTED;
        if (vmm_log_first(vm, 0x534d434300000000ull | fid))
            vmm_log(vm, "unsupported SMC/HVC function 0x%08x \u2192 NOT_SUPPORTED", fid);
    }
    vmm_vcpu_set_reg(vm, vcpu, 0, (uint64_t)result);
    return true;
}

/*
 * PSCI 1.1 for the guest: CPU bring-up and shutdown on the VM's vCPUs, system off and reset.
 * A CPU is "on" from CPU_ON (or boot) until CPU_OFF, SYSTEM_OFF or an error stops it.
 */
#include "psci.h"
#include "vmm.h"
#include "vmm_log.h"

bool psci_implemented(uint32_t fid)
{
    switch (fid) {
    case PSCI_VERSION:
    case PSCI_CPU_OFF:
    case PSCI_CPU_ON:
    case PSCI_CPU_ON_64:
    case PSCI_AFFINITY_INFO:
    case PSCI_AFFINITY_INFO_64:
    case PSCI_MIGRATE_INFO_TYPE:
    case PSCI_SYSTEM_OFF:
    case PSCI_SYSTEM_RESET:
    case PSCI_FEATURES:
    case SMCCC_VERSION_FID: /* how a guest learns SMCCC 1.1 is there (SMCCC 1.1 spec) */ return true;
    default: return false;
    }
}

static bool entry_valid(const struct vmm *vm, uint64_t entry)
{
    const struct vmm_config *c = vm->config;
    return entry % 4 == 0 && entry >= c->ram_ipa && entry - c->ram_ipa < c->ram_size;
}

static int64_t cpu_on(struct vmm *vm, uint64_t target, uint64_t entry, uint64_t context)
{
    int t = vmm_vcpu_by_mpidr(vm, target);
    if (t < 0)
        return PSCI_INVALID_PARAMETERS;
    if (vm->vcpu[t].on)
        return PSCI_ALREADY_ON;
    if (!entry_valid(vm, entry))
        return PSCI_INVALID_ADDRESS;
    vmm_vcpu_start(vm, (unsigned)t, entry, context);
    return PSCI_SUCCESS;
}

static int64_t affinity_info(const struct vmm *vm, uint64_t target, uint64_t level)
{
    int t = vmm_vcpu_by_mpidr(vm, target);
    if (level != 0 || t < 0) /* PSCI 1.x needs only level 0 */
        return PSCI_INVALID_PARAMETERS;
    return vm->vcpu[t].on ? PSCI_AFFINITY_ON : PSCI_AFFINITY_OFF;
}

bool psci_call(struct vmm *vm, unsigned vcpu, uint32_t fid, const uint64_t args[3], int64_t *result)
{
    uint64_t a[3] = { args[0], args[1], args[2] };
    if ((fid & SMCCC_FID_64BIT) == 0) /* 32-bit convention: arguments are W registers */
        for (int i = 0; i < 3; i++)
            a[i] &= 0xffffffffull;
    *result = PSCI_SUCCESS;
    switch (fid) {
    case PSCI_VERSION: *result = PSCI_VERSION_1_1; return true;
    case PSCI_FEATURES:
        *result = psci_implemented((uint32_t)a[0]) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
        return true;
    case PSCI_CPU_ON:
    case PSCI_CPU_ON_64: *result = cpu_on(vm, a[0], a[1], a[2]); return true;
    case PSCI_CPU_OFF: vmm_vcpu_stop(vm, vcpu); return false;
    case PSCI_AFFINITY_INFO:
    case PSCI_AFFINITY_INFO_64: *result = affinity_info(vm, a[0], a[1]); return true;
    case PSCI_MIGRATE_INFO_TYPE: *result = PSCI_TOS_NOT_PRESENT_MP; return true;
    case PSCI_SYSTEM_OFF:
        vmm_print("vmm: guest '%s' powered off\n", vm->name);
        vmm_halt(vm);
        return false;
    case PSCI_SYSTEM_RESET:
        vmm_print("vmm: guest '%s' reset: reloading\n", vm->name);
        vmm_reset(vm);
        return false;
    default: *result = PSCI_NOT_SUPPORTED; return true;
    }
}

/*
 * The vGIC as one of the VMM's devices: its distributor frame and redistributor area in the
 * MMIO table, and its (re)initialisation with the guest's name and the EOI callback.
 */
#include "mmio_table.h"
#include "vmm.h"

/* A write to either may change what decides the timer PPI's delivery, which the kernel must
 * hear of (vmm_vtimer_sync); no other device's can. */
static bool gicd_access(void *ctx, unsigned vcpu, uint64_t off, unsigned size, bool write, uint64_t *value)
{
    struct vmm *vm = ctx;
    bool ok = vgic_dist_mmio(vm->vgic, vcpu, off, size, write, value);
    if (write)
        vmm_vtimer_sync(vm);
    return ok;
}

static bool gicr_access(void *ctx, unsigned vcpu, uint64_t off, unsigned size, bool write, uint64_t *value)
{
    struct vmm *vm = ctx;
    bool ok = vgic_redist_mmio(vm->vgic, vcpu, off, size, write, value);
    if (write)
        vmm_vtimer_sync(vm);
    return ok;
}

void vmm_gic_reset(struct vmm *vm)
{
    const struct vmm_config *c = vm->config;
    vgic_set_name(vm->vgic, vm->name);
    vgic_init(vm->vgic, c->gicd_ipa, c->gicr_ipa, vm->num_vcpus);
    vgic_set_eoi_callback(vm->vgic, vmm_eoi, vm);
}

int vmm_gic_attach(struct vmm *vm)
{
    const struct vmm_config *c = vm->config;
    vmm_gic_reset(vm);
    /* First in the table: the busiest device, looked up first. */
    if (vmm_mmio_register(vm, c->gicd_ipa, VGIC_GICD_SIZE, gicd_access, vm, "GICD") != 0)
        return -1;
    return vmm_mmio_register(vm, c->gicr_ipa, (uint64_t)vm->num_vcpus * VGIC_GICR_STRIDE, gicr_access, vm,
                             "GICR");
}

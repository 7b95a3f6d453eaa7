/*
 * Virtual interrupts that come from outside the vGIC: passthrough SPIs (a notification per
 * physical IRQ, on a channel each registers in the channel table) and the kernel's virtual
 * PPIs (the guest's virtual timer). Each stays masked
 * at its source until the guest EOIs the virtual copy; the vGIC's EOI callback then acks it,
 * so a level-triggered device cannot storm the guest.
 */
#include <stddef.h>

#include "vmm.h"
#include "vmm_log.h"
#include "vmm_port.h"

#define GIC_FIRST_PPI 16u
#define GIC_FIRST_SPI 32u

/* The channel table's handler for a passthrough IRQ's channel. */
static void passthrough_notified(void *ctx, microkit_channel ch)
{
    struct vmm *vm = ctx;
    const struct vmm_config *c = vm->config;
    for (unsigned i = 0; i < c->num_irqs; i++) {
        if (c->irqs[i].channel != ch)
            continue;
        vm->irq_wait |= 1u << i;
        /* A guest that is off gets nothing; the IRQ is acked when it boots again. */
        if (vm->running)
            vgic_raise(vm->vgic, 0, c->irqs[i].intid); /* the vGIC routes SPIs itself */
        return;
    }
}

int vmm_virq_attach(struct vmm *vm)
{
    const struct vmm_config *c = vm->config;
    for (unsigned i = 0; i < c->num_irqs; i++)
        if (vmm_channel_register(vm, c->irqs[i].channel, passthrough_notified, vm, "passthrough IRQ") != 0)
            return -1;
    return 0;
}

void vmm_vppi(struct vmm *vm, unsigned index, uint32_t intid)
{
    if (intid < GIC_FIRST_PPI || intid >= GIC_FIRST_SPI) {
        vmm_log(vm, "kernel reported virtual PPI %u, which is not a PPI: ignored", intid);
        return;
    }
    vm->vcpu[index].vppi_wait |= 1u << (intid - GIC_FIRST_PPI);
    vgic_raise(vm->vgic, index, intid);
}

/*
 * Unless the VM has vtimer="vmm", the kernel injects the virtual timer PPI itself, without an
 * exit; the guest's state of that PPI lives here, in the vGIC. Each change to what decides its
 * delivery (enabled, group, priority) is passed on, so the guest gets it exactly when its vGIC
 * would deliver it (with vtimer="vmm" the kernel keeps the value and ignores it). Held back for
 * the reply when it is the exiting vCPU's, as a register write: no extra kernel call.
 */
void vmm_vtimer_sync(struct vmm *vm)
{
    for (unsigned i = 0; i < vm->num_vcpus; i++) {
        uint32_t s = vgic_ppi_delivery(vm->vgic, i, VMM_VTIMER_PPI);
        if (s != vm->vcpu[i].vtimer_told) {
            vm->vcpu[i].vtimer_told = s;
            vmm_port_reg_write(vm->vcpu[i].id, VMM_REG_VTIMER_IRQ, s);
        }
    }
}

void vmm_eoi(void *ctx, unsigned vcpu, uint32_t intid)
{
    struct vmm *vm = ctx;
    if (intid >= GIC_FIRST_PPI && intid < GIC_FIRST_SPI) {
        uint32_t bit = 1u << (intid - GIC_FIRST_PPI);
        if (vcpu < vm->num_vcpus && (vm->vcpu[vcpu].vppi_wait & bit) != 0) {
            vm->vcpu[vcpu].vppi_wait &= ~bit;
            microkit_vcpu_arm_ack_vppi(vm->vcpu[vcpu].id, intid);
        }
        return;
    }
    const struct vmm_config *c = vm->config;
    for (unsigned i = 0; i < c->num_irqs; i++) {
        if (c->irqs[i].intid == intid && (vm->irq_wait & (1u << i)) != 0) {
            vm->irq_wait &= ~(1u << i);
            microkit_irq_ack(c->irqs[i].channel);
        }
    }
}

void vmm_virq_release(struct vmm *vm)
{
    const struct vmm_config *c = vm->config;
    for (unsigned i = 0; i < c->num_irqs; i++)
        if ((vm->irq_wait & (1u << i)) != 0)
            microkit_irq_ack(c->irqs[i].channel);
    vm->irq_wait = 0;
    for (unsigned v = 0; v < vm->num_vcpus; v++) {
        for (uint32_t bits = vm->vcpu[v].vppi_wait; bits != 0; bits &= bits - 1)
            microkit_vcpu_arm_ack_vppi(vm->vcpu[v].id, GIC_FIRST_PPI + (unsigned)__builtin_ctz(bits));
        vm->vcpu[v].vppi_wait = 0;
    }
}

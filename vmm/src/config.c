/* The image tool's configuration, checked before anything trusts it. */
#include <string.h>

#include "sys_limits.h"
#include "vmm.h"
#include "vmm_log.h"

#define GIC_FIRST_SPI 32u
/* vCPU ids are 0..SYS_MAX_VCPU_ID, as in Microkit; microkit.h itself has no such constant. */
#define VCPU_IDS (SYS_MAX_VCPU_ID + 1u)

unsigned vmm_config_vcpus(const struct vmm_config *c)
{
    uint64_t n = c->gicr_size / VGIC_GICR_STRIDE;
    return n > VMM_MAX_VCPUS ? VMM_MAX_VCPUS + 1 : (unsigned)n; /* keep "too many" visible */
}

bool vmm_config_is_spi(uint32_t intid)
{
    /* an SPI the vGIC does not implement could never be delivered, so never acked */
    return intid >= GIC_FIRST_SPI && intid - GIC_FIRST_SPI < VGIC_NUM_SPIS;
}

enum vmm_config_err vmm_config_check(const struct vmm_config *c)
{
    if (c->magic != VMM_CONFIG_MAGIC) {
        /* No guest name to trust yet: the PD's own (the image tool patches that in any case). */
        vmm_print("vmm: PD '%.*s': configuration magic is 0x%08x, expected 0x%08x (\"VMMC\"): the image "
                  "tool did not patch vmm_config into this VMM (is it a <virtual_machine>'s VMM?)\n",
                  (int)strnlen(microkit_name, sizeof(microkit_name)), microkit_name, c->magic,
                  VMM_CONFIG_MAGIC);
        return VMM_CONFIG_ERR_MAGIC;
    }
    if (c->version != VMM_CONFIG_VERSION) {
        /* vm_name has had the same place in every version */
        vmm_config_log(c,
                       "configuration version %u, but this VMM understands version %u: rebuild the VMM "
                       "and the image tool together",
                       c->version, VMM_CONFIG_VERSION);
        return VMM_CONFIG_ERR_VERSION;
    }
    if (c->vcpu_id >= VCPU_IDS) {
        vmm_config_log(c, "boot vCPU id %u is not below %u", c->vcpu_id, VCPU_IDS);
        return VMM_CONFIG_ERR_VCPU;
    }
    if (c->ram_size == 0 || c->ram_vaddr == 0) {
        vmm_config_log(c, "no RAM configured (ram_size 0x%llx, ram_vaddr 0x%llx)",
                       (unsigned long long)c->ram_size, (unsigned long long)c->ram_vaddr);
        return VMM_CONFIG_ERR_RAM;
    }
    unsigned n = vmm_config_vcpus(c);
    if (c->gicr_size % VGIC_GICR_STRIDE != 0 || n == 0 || n > VMM_MAX_VCPUS || n > VCPU_IDS - c->vcpu_id) {
        vmm_config_log(c,
                       "redistributor area of 0x%llx bytes: one 0x%x-byte frame per vCPU, 1 to %u vCPUs "
                       "with ids below %u, are needed",
                       (unsigned long long)c->gicr_size, VGIC_GICR_STRIDE, VMM_MAX_VCPUS, VCPU_IDS);
        return VMM_CONFIG_ERR_GICR;
    }
    if (c->num_irqs > VMM_MAX_PASSTHROUGH_IRQS) {
        vmm_config_log(c, "%u passthrough IRQs configured, at most %u fit", c->num_irqs,
                       VMM_MAX_PASSTHROUGH_IRQS);
        return VMM_CONFIG_ERR_IRQS;
    }
    for (unsigned i = 0; i < c->num_irqs; i++) {
        const struct vmm_passthrough_irq *q = &c->irqs[i];
        if (!vmm_config_is_spi(q->intid) || q->channel >= MICROKIT_MAX_CHANNELS) {
            vmm_config_log(
                c,
                "passthrough IRQ %u has INTID %u on channel %u: an SPI the virtual GIC "
                "implements (INTID 32..%u, device-tree number + 32) on a channel below %u is needed",
                i, q->intid, q->channel, GIC_FIRST_SPI + VGIC_NUM_SPIS - 1, MICROKIT_MAX_CHANNELS);
            return VMM_CONFIG_ERR_IRQ;
        }
    }
    return vmm_config_check_virtio(c);
}

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

enum vmm_config_err vmm_config_check(const struct vmm_config *c)
{
    if (c->magic != VMM_CONFIG_MAGIC) {
        vmm_print("vmm: configuration magic is 0x%08x, expected 0x%08x (\"VMMC\"): the image tool "
                  "did not patch vmm_config into this VMM (is it a <virtual_machine>'s VMM?)\n",
                  c->magic, VMM_CONFIG_MAGIC);
        return VMM_CONFIG_ERR_MAGIC;
    }
    if (c->version != VMM_CONFIG_VERSION) {
        vmm_print("vmm: configuration version %u, but this VMM understands version %u: rebuild "
                  "the VMM and the image tool together\n",
                  c->version, VMM_CONFIG_VERSION);
        return VMM_CONFIG_ERR_VERSION;
    }
    int name_len = (int)strnlen(c->vm_name, sizeof(c->vm_name));
    if (c->vcpu_id >= VCPU_IDS) {
        vmm_print("vmm: guest '%.*s': boot vCPU id %u is not below %u\n", name_len, c->vm_name, c->vcpu_id,
                  VCPU_IDS);
        return VMM_CONFIG_ERR_VCPU;
    }
    if (c->ram_size == 0 || c->ram_vaddr == 0) {
        vmm_print("vmm: guest '%.*s': no RAM configured (ram_size 0x%llx, ram_vaddr 0x%llx)\n", name_len,
                  c->vm_name, (unsigned long long)c->ram_size, (unsigned long long)c->ram_vaddr);
        return VMM_CONFIG_ERR_RAM;
    }
    unsigned n = vmm_config_vcpus(c);
    if (c->gicr_size % VGIC_GICR_STRIDE != 0 || n == 0 || n > VMM_MAX_VCPUS || n > VCPU_IDS - c->vcpu_id) {
        vmm_print("vmm: guest '%.*s': redistributor area of 0x%llx bytes: one 0x%x-byte frame per "
                  "vCPU, 1 to %u vCPUs with ids below %u, are needed\n",
                  name_len, c->vm_name, (unsigned long long)c->gicr_size, VGIC_GICR_STRIDE, VMM_MAX_VCPUS,
                  VCPU_IDS);
        return VMM_CONFIG_ERR_GICR;
    }
    if (c->num_irqs > VMM_MAX_PASSTHROUGH_IRQS) {
        vmm_print("vmm: guest '%.*s': %u passthrough IRQs configured, at most %u fit\n", name_len, c->vm_name,
                  c->num_irqs, VMM_MAX_PASSTHROUGH_IRQS);
        return VMM_CONFIG_ERR_IRQS;
    }
    for (unsigned i = 0; i < c->num_irqs; i++) {
        const struct vmm_passthrough_irq *q = &c->irqs[i];
        /* an SPI the vGIC does not implement could never be delivered, so never acked */
        if (q->intid < GIC_FIRST_SPI || q->intid - GIC_FIRST_SPI >= VGIC_NUM_SPIS ||
            q->channel >= MICROKIT_MAX_CHANNELS) {
            vmm_print("vmm: guest '%.*s': passthrough IRQ %u has INTID %u on channel %u: an SPI "
                      "the virtual GIC implements (INTID 32..%u, device-tree number + 32) on a "
                      "channel below %u is needed\n",
                      name_len, c->vm_name, i, q->intid, q->channel, GIC_FIRST_SPI + VGIC_NUM_SPIS - 1,
                      MICROKIT_MAX_CHANNELS);
            return VMM_CONFIG_ERR_IRQ;
        }
    }
    return VMM_CONFIG_OK;
}

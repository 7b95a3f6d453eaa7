/*
 * vmm_config's virtIO devices (version 4), checked before any is set up: what each is, the SPI
 * it interrupts on, its register window, which must be the device's alone so that a stage-2
 * fault there can only mean that device, and a console's ports (config_ports.c).
 */
#include "range.h"
#include "sys_limits.h"
#include "vmm.h"
#include "vmm_log.h"

typedef unsigned long long ull;

#define PAGE_MASK 0xfffull

struct named_range {
    const char *what;
    uint64_t base, size;
};

/* The window overlaps RAM, the GIC's frames or an earlier device's window: say which. Every
 * range here is non-empty: the earlier checks saw to it. */
static bool window_collides(const struct vmm_config *c, unsigned i)
{
    const struct vmm_virtio_dev *d = &c->virtio[i];
    const struct named_range fixed[] = {
        { "RAM", c->ram_ipa, c->ram_size },
        { "the GIC distributor", c->gicd_ipa, VGIC_GICD_SIZE },
        { "the GIC redistributors", c->gicr_ipa, c->gicr_size },
    };
    for (unsigned k = 0; k < sizeof(fixed) / sizeof(fixed[0]); k++) {
        const struct named_range *r = &fixed[k];
        if (range_overlaps(d->mmio_ipa, d->mmio_size, r->base, r->size)) {
            vmm_config_log(c, "virtIO device %u: window 0x%llx-0x%llx overlaps %s 0x%llx-0x%llx", i,
                           (ull)d->mmio_ipa, (ull)(d->mmio_ipa + d->mmio_size), r->what, (ull)r->base,
                           (ull)(r->base + r->size));
            return true;
        }
    }
    for (unsigned j = 0; j < i; j++) {
        const struct vmm_virtio_dev *o = &c->virtio[j];
        if (range_overlaps(d->mmio_ipa, d->mmio_size, o->mmio_ipa, o->mmio_size)) {
            vmm_config_log(c,
                           "virtIO device %u: window 0x%llx-0x%llx overlaps virtIO device %u's 0x%llx-0x%llx",
                           i, (ull)d->mmio_ipa, (ull)(d->mmio_ipa + d->mmio_size), j, (ull)o->mmio_ipa,
                           (ull)(o->mmio_ipa + o->mmio_size));
            return true;
        }
    }
    return false;
}

static enum vmm_config_err check_window(const struct vmm_config *c, unsigned i)
{
    const struct vmm_virtio_dev *d = &c->virtio[i];
    if (d->mmio_size == 0 || ((d->mmio_ipa | d->mmio_size) & PAGE_MASK) != 0) {
        vmm_config_log(c, "virtIO device %u: window at 0x%llx of 0x%llx bytes: whole 4 KiB pages are needed",
                       i, (ull)d->mmio_ipa, (ull)d->mmio_size);
        return VMM_CONFIG_ERR_VIRTIO_WINDOW;
    }
    /* Beyond the guest's IPA space no access can reach it (and beyond 2^64 it wraps). */
    if (range_wraps(d->mmio_ipa, d->mmio_size) || d->mmio_ipa + d->mmio_size > SYS_VM_IPA_END) {
        vmm_config_log(c,
                       "virtIO device %u: window at 0x%llx of 0x%llx bytes ends beyond the guest's "
                       "%u-bit address space",
                       i, (ull)d->mmio_ipa, (ull)d->mmio_size, SYS_VM_IPA_BITS);
        return VMM_CONFIG_ERR_VIRTIO_WINDOW;
    }
    return window_collides(c, i) ? VMM_CONFIG_ERR_VIRTIO_WINDOW : VMM_CONFIG_OK;
}

/* The device's INTID: an SPI the vGIC implements that nothing else of the guest uses. */
static enum vmm_config_err check_intid(const struct vmm_config *c, unsigned i)
{
    uint32_t intid = c->virtio[i].intid;
    if (!vmm_config_is_spi(intid)) {
        vmm_config_log(c,
                       "virtIO device %u has INTID %u: an SPI the virtual GIC implements (INTID 32..%u) is "
                       "needed",
                       i, intid, 32u + VGIC_NUM_SPIS - 1);
        return VMM_CONFIG_ERR_VIRTIO_IRQ;
    }
    for (unsigned j = 0; j < c->num_irqs; j++) {
        if (c->irqs[j].intid == intid) {
            vmm_config_log(c, "virtIO device %u has INTID %u, which passthrough IRQ %u has", i, intid, j);
            return VMM_CONFIG_ERR_VIRTIO_IRQ;
        }
    }
    for (unsigned j = 0; j < i; j++) {
        if (c->virtio[j].intid == intid) {
            vmm_config_log(c, "virtIO device %u has INTID %u, which virtIO device %u has", i, intid, j);
            return VMM_CONFIG_ERR_VIRTIO_IRQ;
        }
    }
    return VMM_CONFIG_OK;
}

enum vmm_config_err vmm_config_check_virtio(const struct vmm_config *c)
{
    if (c->num_virtio > VMM_MAX_VIRTIO) {
        vmm_config_log(c, "%u virtIO devices configured, at most %u fit", c->num_virtio, VMM_MAX_VIRTIO);
        return VMM_CONFIG_ERR_VIRTIO_COUNT;
    }
    for (unsigned i = 0; i < c->num_virtio; i++) {
        if (c->virtio[i].device_id != VMM_VIRTIO_CONSOLE) {
            vmm_config_log(c, "virtIO device %u has device id %u: this VMM emulates only %u (console)", i,
                           c->virtio[i].device_id, VMM_VIRTIO_CONSOLE);
            return VMM_CONFIG_ERR_VIRTIO_ID;
        }
        enum vmm_config_err e = check_intid(c, i);
        if (e == VMM_CONFIG_OK)
            e = check_window(c, i);
        if (e == VMM_CONFIG_OK)
            e = vmm_config_check_ports(c, i);
        if (e != VMM_CONFIG_OK)
            return e;
    }
    return VMM_CONFIG_OK;
}

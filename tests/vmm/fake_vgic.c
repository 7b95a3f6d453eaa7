/* Records the VMM core's vGIC calls; its frames answer every access with read_value. */
#include <string.h>

#include "fake_vgic.h"

struct fake_vgic fv;

void fake_vgic_reset(void)
{
    memset(&fv, 0, sizeof(fv));
}

void vgic_init(struct vgic *g, uint64_t gicd_ipa, uint64_t gicr_ipa, unsigned num_vcpus)
{
    (void)g;
    fv.inits++;
    fv.gicd = gicd_ipa;
    fv.gicr = gicr_ipa;
    fv.num_vcpus = num_vcpus;
    fv.eoi_fn = NULL; /* as a real re-init would forget it */
}

void vgic_set_name(struct vgic *g, const char *guest)
{
    (void)g;
    strncpy(fv.name, guest != NULL ? guest : "", sizeof(fv.name) - 1);
}

static bool frame_access(bool redist, unsigned vcpu, uint64_t off, unsigned size, bool write, uint64_t *value)
{
    fv.mmio_calls++;
    fv.mmio_vcpu = vcpu;
    fv.mmio_redist = redist;
    fv.mmio_off = off;
    fv.mmio_ipa = (redist ? fv.gicr : fv.gicd) + off;
    fv.mmio_write = write;
    fv.mmio_size = size;
    if (write)
        fv.mmio_value = *value;
    else
        *value = fv.read_value;
    return true;
}

bool vgic_dist_mmio(struct vgic *g, unsigned vcpu, uint64_t off, unsigned size, bool write, uint64_t *value)
{
    (void)g;
    return frame_access(false, vcpu, off, size, write, value);
}

bool vgic_redist_mmio(struct vgic *g, unsigned vcpu, uint64_t off, unsigned size, bool write, uint64_t *value)
{
    (void)g;
    return frame_access(true, vcpu, off, size, write, value);
}

uint32_t vgic_ppi_delivery(const struct vgic *g, unsigned vcpu, uint32_t intid)
{
    (void)g;
    return vcpu < VGIC_MAX_VCPUS && intid == 27 ? fv.ppi_delivery[vcpu] : 0;
}

void vgic_raise(struct vgic *g, unsigned vcpu, uint32_t intid)
{
    (void)g;
    fv.raises++;
    fv.raise_vcpu = vcpu;
    fv.raise_intid = intid;
}

void vgic_maintenance(struct vgic *g, unsigned vcpu, unsigned lr)
{
    (void)g;
    fv.maints++;
    fv.maint_vcpu = vcpu;
    fv.maint_lr = lr;
}

void vgic_sgi1r_write(struct vgic *g, unsigned vcpu, uint64_t value)
{
    (void)g;
    fv.sgi1r_writes++;
    fv.sgi1r_vcpu = vcpu;
    fv.sgi1r_value = value;
}

void vgic_set_eoi_callback(struct vgic *g, vgic_eoi_fn fn, void *ctx)
{
    (void)g;
    fv.eoi_fn = fn;
    fv.eoi_ctx = ctx;
}

void vgic_vcpu_power(struct vgic *g, unsigned vcpu, bool on)
{
    (void)g;
    fv.powers++;
    fv.power_vcpu = vcpu;
    fv.power_on = on;
}

void vgic_set_quiet(struct vgic *g, uint32_t intid)
{
    (void)g;
    fv.quiet_intid = intid;
}

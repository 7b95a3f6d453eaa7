/*
 * Entry points for stage-2 data aborts: by offset within the distributor frame or the
 * redistributor area (what the VMM's MMIO table calls), or by IPA (vgic_mmio, which finds the
 * frame first). Checks size and alignment, splits 64-bit accesses into their two 32-bit halves
 * (the GIC allows both for its 64-bit registers) and, after a write, delivers whatever became
 * deliverable.
 */
#include "vgic_internal.h"

enum frame_hit { HIT_DIST, HIT_RD, HIT_SGI };

static void access32(struct vgic *g, enum frame_hit hit, unsigned vcpu, uint32_t off, unsigned size,
                     bool write, uint32_t *val)
{
    switch (hit) {
    case HIT_DIST: vgic_dist_access(g, off, size, write, val); break;
    case HIT_RD: vgic_rd_access(g, vcpu, off, size, write, val); break;
    case HIT_SGI: vgic_sgi_access(g, vcpu, off, size, write, val); break;
    }
}

/* One access within a frame: `frame_vcpu` is the redistributor's vCPU (0 for the distributor). */
static void frame_access(struct vgic *g, enum frame_hit hit, unsigned frame_vcpu, uint32_t off, unsigned size,
                         bool write, uint64_t *value)
{
    if ((size != 1 && size != 4 && size != 8) || (off & (size - 1))) {
        static const enum vgic_frame frames[] = { VGIC_FRAME_DIST, VGIC_FRAME_RD, VGIC_FRAME_SGI };
        vgic_log_access(g, frames[hit], VGIC_WHY_SIZE, off, size, write);
        if (!write)
            *value = 0;
        return;
    }
    if (size == 8) {
        uint32_t lo = (uint32_t)*value, hi = (uint32_t)(*value >> 32);
        access32(g, hit, frame_vcpu, off, 4, write, &lo);
        access32(g, hit, frame_vcpu, off + 4, 4, write, &hi);
        if (!write)
            *value = ((uint64_t)hi << 32) | lo;
    } else {
        uint32_t v = (uint32_t)*value;
        access32(g, hit, frame_vcpu, off, size, write, &v);
        if (!write)
            *value = v;
    }
    /* Enables, pends, routes and CTLR can all make something deliverable. */
    if (write && hit == HIT_DIST)
        vgic_flush_all(g);
    else if (write && hit == HIT_SGI)
        vgic_flush(g, frame_vcpu);
}

bool vgic_dist_mmio(struct vgic *g, unsigned vcpu, uint64_t off, unsigned size, bool write, uint64_t *value)
{
    (void)vcpu; /* frames are addressed by IPA; any vCPU may touch any of them */
    if (off >= VGIC_GICD_SIZE)
        return false;
    frame_access(g, HIT_DIST, 0, (uint32_t)off, size, write, value);
    return true;
}

bool vgic_redist_mmio(struct vgic *g, unsigned vcpu, uint64_t off, unsigned size, bool write, uint64_t *value)
{
    (void)vcpu;
    if (off >= (uint64_t)g->num_vcpus * VGIC_GICR_STRIDE)
        return false;
    unsigned frame_vcpu = (unsigned)(off / VGIC_GICR_STRIDE);
    uint32_t in = (uint32_t)(off % VGIC_GICR_STRIDE);
    if (in >= 0x10000)
        frame_access(g, HIT_SGI, frame_vcpu, in - 0x10000, size, write, value);
    else
        frame_access(g, HIT_RD, frame_vcpu, in, size, write, value);
    return true;
}

bool vgic_mmio(struct vgic *g, unsigned vcpu, uint64_t ipa, bool write, unsigned size, uint64_t *value)
{
    if (ipa >= g->gicd_ipa && ipa - g->gicd_ipa < VGIC_GICD_SIZE)
        return vgic_dist_mmio(g, vcpu, ipa - g->gicd_ipa, size, write, value);
    if (ipa >= g->gicr_ipa)
        return vgic_redist_mmio(g, vcpu, ipa - g->gicr_ipa, size, write, value);
    return false;
}

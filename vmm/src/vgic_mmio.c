/*
 * Entry point for stage-2 data aborts: decides whether the address is a vGIC frame, checks
 * size and alignment, splits 64-bit accesses into their two 32-bit halves (the GIC allows
 * both for its 64-bit registers) and, after a write, delivers whatever became deliverable.
 */
#include "vgic_internal.h"

enum frame_hit { HIT_NONE, HIT_DIST, HIT_RD, HIT_SGI };

static enum frame_hit locate(const struct vgic *g, uint64_t ipa, unsigned *vcpu, uint32_t *off)
{
    if (ipa >= g->gicd_ipa && ipa - g->gicd_ipa < VGIC_GICD_SIZE) {
        *off = (uint32_t)(ipa - g->gicd_ipa);
        return HIT_DIST;
    }
    if (ipa >= g->gicr_ipa && ipa - g->gicr_ipa < (uint64_t)g->num_vcpus * VGIC_GICR_STRIDE) {
        uint64_t rel = ipa - g->gicr_ipa;
        *vcpu = (unsigned)(rel / VGIC_GICR_STRIDE);
        *off = (uint32_t)(rel % VGIC_GICR_STRIDE);
        if (*off >= 0x10000) {
            *off -= 0x10000;
            return HIT_SGI;
        }
        return HIT_RD;
    }
    return HIT_NONE;
}

static void access32(struct vgic *g, enum frame_hit hit, unsigned vcpu, uint32_t off, unsigned size,
                     bool write, uint32_t *val)
{
    switch (hit) {
    case HIT_DIST: vgic_dist_access(g, off, size, write, val); break;
    case HIT_RD: vgic_rd_access(g, vcpu, off, size, write, val); break;
    case HIT_SGI: vgic_sgi_access(g, vcpu, off, size, write, val); break;
    case HIT_NONE: break;
    }
}

bool vgic_mmio(struct vgic *g, unsigned vcpu, uint64_t ipa, bool write, unsigned size, uint64_t *value)
{
    unsigned frame_vcpu = 0;
    uint32_t off = 0;
    enum frame_hit hit = locate(g, ipa, &frame_vcpu, &off);

    (void)vcpu; /* frames are addressed by IPA; any vCPU may touch any redistributor */
    if (hit == HIT_NONE)
        return false;
    if ((size != 1 && size != 4 && size != 8) || (off & (size - 1))) {
        static const enum vgic_frame frames[] = { VGIC_FRAME_DIST, VGIC_FRAME_DIST, VGIC_FRAME_RD,
                                                  VGIC_FRAME_SGI };
        vgic_log_access(g, frames[hit], VGIC_WHY_SIZE, off, size, write);
        if (!write)
            *value = 0;
        return true;
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
    return true;
}

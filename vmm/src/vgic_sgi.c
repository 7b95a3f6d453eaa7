/*
 * ICC_SGI1R_EL1 writes (trapped by the kernel): INTID [27:24], TargetList [15:0] of Aff0 values
 * RS*16 + n, Aff1 [23:16], Aff2 [39:32], RS [47:44], IRM [40] (every PE but the sender), Aff3
 * [55:48]. Our vCPUs have affinity 0.0.0.<index>, so only Aff1 = Aff2 = Aff3 = 0 reaches anyone.
 */

#include "vgic_internal.h"

void vgic_sgi1r_write(struct vgic *g, unsigned vcpu, uint64_t value)
{
    uint32_t intid = (uint32_t)(value >> 24) & 0xf;

    if (value & (1ull << 40)) {
        for (unsigned v = 0; v < g->num_vcpus; v++)
            if (v != vcpu)
                vgic_raise(g, v, intid);
        return;
    }
    unsigned aff1 = (value >> 16) & 0xff, aff2 = (value >> 32) & 0xff, aff3 = (value >> 48) & 0xff;
    unsigned rs = (value >> 44) & 0xf;
    uint32_t list = (uint32_t)value & 0xffff;
    if (aff1 || aff2 || aff3 || (rs && list)) {
        if (vgic_log_once(g, VGIC_LOG_KEY(VGIC_FRAME_API, VGIC_WHY_SGI, aff3 << 16 | aff2 << 8 | aff1)))
            vgic_log(g, "SGI %u from vCPU %u to affinity %u.%u.%u.(RS %u): no such vCPU", (unsigned)intid,
                     vcpu, aff3, aff2, aff1, rs);
        return;
    }
    while (list) {
        unsigned aff0 = (unsigned)__builtin_ctz(list);
        list &= list - 1;
        if (aff0 < g->num_vcpus)
            vgic_raise(g, aff0, intid);
    }
}

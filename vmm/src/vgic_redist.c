/*
 * One redistributor per vCPU: the RD_base frame (control, identification, power) and the
 * SGI_base frame (the vCPU's SGI/PPI bank registers). No LPIs, so the LPI registers are RAZ/WI.
 */
#include "vgic_internal.h"

#define WAKER_PROCESSOR_SLEEP (1u << 1)
#define WAKER_CHILDREN_ASLEEP (1u << 2)

/* GICR_TYPER: Processor_Number [23:8] = vCPU index, Last [4] on the final frame (Linux stops its
 * walk there), Affinity_Value [63:32] = 0.0.0.<index>; PLPIS/VLPIS = 0. */
static uint32_t typer(const struct vgic *g, unsigned vcpu, bool high)
{
    if (high)
        return vcpu; /* Aff0 in bits [39:32] */
    return (vcpu << 8) | (vcpu + 1 == g->num_vcpus ? 1u << 4 : 0);
}

/* Registers we know and implement as RAZ/WI without comment. */
static bool rd_silent_raz_wi(uint32_t off)
{
    return off == 0x0000 ||                   /* CTLR: no LPIs to enable, RWP/UWP read 0 */
           (off >= 0x0010 && off < 0x0020) || /* STATUSR, WAKER done above, MPAMIDR, PARTIDR */
           (off >= 0x0040 && off < 0x0050) || /* SETLPIR, CLRLPIR */
           (off >= 0x0070 && off < 0x0080) || /* PROPBASER, PENDBASER */
           off == 0x00a0 || off == 0x00a4 || off == 0x00b0 || off == 0x00b4 || /* INVLPIR, INVALLR */
           off == 0x00c0;                                                      /* SYNCR: never busy */
}

void vgic_rd_access(struct vgic *g, unsigned vcpu, uint32_t off, unsigned size, bool write, uint32_t *val)
{
    struct vgic_vcpu *c = &g->cpu[vcpu];
    bool known;

    if (size != 4) {
        vgic_log_access(g, VGIC_FRAME_RD, VGIC_WHY_SIZE, off, size, write);
        goto raz_wi;
    }
    if (off == 0x0014) {
        /* Power handshake: clearing ProcessorSleep wakes the redistributor at once, so
         * ChildrenAsleep follows it immediately and Linux's poll ends on the first read. */
        if (write)
            c->asleep = *val & WAKER_PROCESSOR_SLEEP;
        else
            *val = c->asleep ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP : 0;
        return;
    }
    if (!write && (off == 0x0004 || off == 0x0008 || off == 0x000c)) {
        *val = off == 0x0004 ? VGIC_IIDR : typer(g, vcpu, off == 0x000c);
        return;
    }
    if (off == 0x0004 || off == 0x0008 || off == 0x000c || rd_silent_raz_wi(off))
        goto raz_wi;
    uint32_t id = vgic_id_reg(off, &known);
    if (known) {
        if (!write)
            *val = id;
        return;
    }
    vgic_log_access(g, VGIC_FRAME_RD, VGIC_WHY_UNKNOWN, off, size, write);
raz_wi:
    if (!write)
        *val = 0;
}

void vgic_sgi_access(struct vgic *g, unsigned vcpu, uint32_t off, unsigned size, bool write, uint32_t *val)
{
    struct vgic_breg r;

    if (vgic_breg_decode(off, &r) && r.intid < 32) {
        if (size == 1 && r.kind != VGIC_IPRIORITYR) {
            vgic_log_access(g, VGIC_FRAME_SGI, VGIC_WHY_SIZE, off, size, write);
            goto raz_wi;
        }
        if (write)
            vgic_release(g, vcpu, 0, vgic_breg_write(&g->cpu[vcpu].priv, &r, size, *val));
        else
            *val = vgic_breg_read(&g->cpu[vcpu].priv, &r, size);
        return;
    }
    if (size == 4 && (off == 0x0d00 || off == 0x0e00 || off == 0x0f80))
        goto raz_wi; /* IGRPMODR0 and NSACR (DS = 1), INMIR0 (no NMIs) */
    vgic_log_access(g, VGIC_FRAME_SGI, size == 4 ? VGIC_WHY_UNKNOWN : VGIC_WHY_SIZE, off, size, write);
raz_wi:
    if (!write)
        *val = 0;
}

/*
 * The per-INTID registers at offsets 0x080..0xcff. The distributor (for SPIs) and the
 * redistributor's SGI_base frame (for SGIs and PPIs) lay them out identically, so both frames
 * decode the offset here and apply it to the bank of 32 INTIDs the caller picks.
 */
#include "vgic_internal.h"

/* Bitmap registers: one bit per INTID, 32 INTIDs per word, 0x80 bytes each from 0x080, in
 * this order, so offset >> 7 picks the register (this decode runs on every trapped access). */
static const enum vgic_breg_kind bitmap_regs[] = {
    VGIC_IGROUPR, VGIC_ISENABLER, VGIC_ICENABLER, VGIC_ISPENDR, VGIC_ICPENDR, VGIC_ISACTIVER, VGIC_ICACTIVER,
};

bool vgic_breg_decode(uint32_t off, struct vgic_breg *r)
{
    if (off >= 0x080 && off < 0x400) {
        r->kind = bitmap_regs[(off >> 7) - 1];
        r->intid = (off & 0x7f) / 4 * 32;
        return true;
    }
    if (off >= 0x400 && off < 0x800) { /* one byte per INTID */
        r->kind = VGIC_IPRIORITYR;
        r->intid = off - 0x400;
        return true;
    }
    if (off >= 0xc00 && off < 0xd00) { /* two bits per INTID */
        r->kind = VGIC_ICFGR;
        r->intid = (off - 0xc00) / 4 * 16;
        return true;
    }
    return false;
}

uint32_t vgic_breg_read(const struct vgic_bank *b, const struct vgic_breg *r, unsigned size)
{
    unsigned bit = r->intid % 32;
    uint32_t v = 0;

    switch (r->kind) {
    case VGIC_IGROUPR: return b->group;
    case VGIC_ISENABLER:
    case VGIC_ICENABLER: return b->enabled;
    case VGIC_ISPENDR:
    case VGIC_ICPENDR: return b->pending;
    case VGIC_ISACTIVER:
    case VGIC_ICACTIVER:
        /* An interrupt in a list register is pending or active in the guest's CPU interface;
         * the VMM cannot tell which, and reporting it active is what keeps Linux's
         * synchronize_irq() waiting until the guest is done with it. */
        return b->active | b->in_lr;
    case VGIC_IPRIORITYR:
        for (unsigned i = 0; i < size; i++)
            v |= (uint32_t)b->prio[bit + i] << (8 * i);
        return v;
    case VGIC_ICFGR:
        for (unsigned i = 0; i < 16; i++)
            if (b->edge & (1u << (bit + i)))
                v |= 2u << (2 * i);
        return v;
    }
    return 0;
}

uint32_t vgic_breg_write(struct vgic_bank *b, const struct vgic_breg *r, unsigned size, uint32_t val)
{
    unsigned bit = r->intid % 32;
    uint32_t released = 0;

    switch (r->kind) {
    case VGIC_IGROUPR: b->group = val; break;
    case VGIC_ISENABLER: b->enabled |= val; break;
    case VGIC_ICENABLER:
        /* Already in a list register: the LR cannot be recalled, the guest takes it once more. */
        b->enabled &= ~val;
        break;
    case VGIC_ISPENDR:
        b->pending |= val; /* in an LR already: becomes pending again, delivered after the EOI */
        break;
    case VGIC_ICPENDR:
        /* A copy no LR holds is gone for good: its source must be acked, or a passthrough IRQ
         * would stay masked forever. One in an LR is still reported by its maintenance exit. */
        released = b->pending & val & ~b->in_lr;
        b->pending &= ~val;
        break;
    case VGIC_ISACTIVER: b->active |= val; break;
    case VGIC_ICACTIVER: b->active &= ~val; break;
    case VGIC_IPRIORITYR:
        for (unsigned i = 0; i < size; i++)
            b->prio[bit + i] = (uint8_t)(val >> (8 * i)) & VGIC_PRIO_MASK;
        break;
    case VGIC_ICFGR:
        for (unsigned i = 0; i < 16; i++) {
            if (r->intid + i < 16)
                continue; /* SGIs: always edge, read-only */
            uint32_t m = 1u << (bit + i);
            b->edge = (val & (2u << (2 * i))) ? (b->edge | m) : (b->edge & ~m);
        }
        break;
    }
    return released;
}

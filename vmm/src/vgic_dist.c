/*
 * The distributor frame (GICD, 64 KiB): global control, identification, the SPI bank registers
 * and the SPI routers. Affinity routing is always on (ARE reads as one), so everything for
 * INTIDs 0-31 lives in the redistributors and the GICD copies are RAZ/WI.
 */
#include "vgic_internal.h"

/* GICD_TYPER: ITLinesNumber for 32 + VGIC_NUM_SPIS INTIDs, IDbits = 10 bits (no LPIs, so
 * INTIDs stop at 1023), no LPIs, no MBIS, no security extension, no extended SPIs, Aff3 = 0. */
static uint32_t typer(const struct vgic *g)
{
    return (uint32_t)(VGIC_NUM_IRQS / 32 - 1) | ((uint32_t)(g->num_vcpus - 1) << 5) | (9u << 19);
}

static void dist_ctlr(struct vgic *g, bool write, uint32_t *val)
{
    /* Single security state: bit 0 EnableGrp0, bit 1 EnableGrp1; writes complete at once, so
     * RWP (bit 31) always reads 0. Linux writes ARE_NS|EnableGrp1A|EnableGrp1 = 0x13. */
    if (write)
        g->ctlr = *val & (VGIC_CTLR_EN_G0 | VGIC_CTLR_EN_G1);
    else
        *val = g->ctlr | VGIC_CTLR_ARE | VGIC_CTLR_DS;
}

/* CTLR, TYPER, IIDR, TYPER2: offsets 0x0, 0x4, 0x8, 0xc (the caller checked the size). */
static void header(struct vgic *g, uint32_t off, bool write, uint32_t *val)
{
    if (off == 0x0000)
        dist_ctlr(g, write, val);
    else if (!write)
        *val = off == 0x0004 ? typer(g) : off == 0x0008 ? VGIC_IIDR : 0; /* TYPER2 = 0 */
}

static void irouter(struct vgic *g, uint32_t off, bool write, uint32_t *val)
{
    unsigned spi = (off - 0x6000) / 8 - 32;
    bool high = off & 4; /* Aff3 half: RES0 since A3V = 0 */

    if (!write) {
        *val = high ? 0 : (uint32_t)g->irouter[spi];
        return;
    }
    if (!high) {
        g->irouter[spi] = *val & VGIC_IROUTER_MASK;
        vgic_route_update(g, spi);
    }
}

/* Registers we know and implement as RAZ/WI without comment. */
static bool silent_raz_wi(uint32_t off)
{
    return (off >= 0x0010 && off < 0x0060) || /* STATUSR, SETSPI/CLRSPI (no MBIS) */
           (off >= 0x0800 && off < 0x0c00) || /* ITARGETSR: unused with ARE = 1 */
           (off >= 0x0d00 && off < 0x0f30) || /* IGRPMODR, NSACR (DS = 1), SGIR, C/SPENDSGIR */
           (off >= 0x0f80 && off < 0x1000) || /* INMIR (no NMIs) */
           (off >= 0x6000 && off < 0x8000);   /* IROUTER of INTIDs we do not implement */
}

void vgic_dist_access(struct vgic *g, uint32_t off, unsigned size, bool write, uint32_t *val)
{
    struct vgic_breg r;
    bool known;

    /* The identification and control words first: no bank register lies below 0x080, and
     * GICD_TYPER is the register most often read. */
    if (off < 0x0010 && size != 1) {
        header(g, off, write, val);
        return;
    }
    if (vgic_breg_decode(off, &r)) {
        if (size == 1 && r.kind != VGIC_IPRIORITYR)
            goto bad_size;
        /* INTIDs 0-31 are banked in the redistributors; beyond our SPIs nothing exists. */
        if (r.intid < 32 || r.intid >= VGIC_NUM_IRQS)
            goto raz_wi;
        struct vgic_bank *b = vgic_bank_of(g, 0, r.intid);
        if (b->in_lr & g->quiet[(r.intid - 32) / 32])
            vgic_reclaim_quiet_all(g); /* the guest sees their true state, not a stale "active" */
        if (write)
            vgic_release(g, 0, r.intid & ~31u, vgic_breg_write(b, &r, size, *val));
        else
            *val = vgic_breg_read(b, &r, size);
        return;
    }
    if (size == 1 && !(off >= 0x0800 && off < 0x0c00) && !(off >= 0x0f10 && off < 0x0f30))
        goto bad_size; /* only ITARGETSR and C/SPENDSGIR are byte-accessible besides IPRIORITYR */
    if (off >= 0x6000 + 8 * 32 && off < 0x6000 + 8 * VGIC_NUM_IRQS) {
        irouter(g, off, write, val);
        return;
    }
    if (silent_raz_wi(off))
        goto raz_wi;
    uint32_t id = vgic_id_reg(off, &known);
    if (known) {
        if (!write)
            *val = id;
        return;
    }
    vgic_log_access(g, VGIC_FRAME_DIST, VGIC_WHY_UNKNOWN, off, size, write);
    goto raz_wi;

bad_size:
    vgic_log_access(g, VGIC_FRAME_DIST, VGIC_WHY_SIZE, off, size, write);
raz_wi:
    if (!write)
        *val = 0;
}

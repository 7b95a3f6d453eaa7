/* Shared between the vgic_*.c files only; callers use vgic.h. */
#ifndef VGIC_INTERNAL_H
#define VGIC_INTERNAL_H

#include "vgic.h"

#define VGIC_NO_VCPU   0xffu
#define VGIC_NO_IRQ    0xffffffffu
#define VGIC_PRIO_MASK 0xf8u /* 5 priority bits, as the QEMU platform's ICH_VTR_EL2 reports */

/* GICD_CTLR in the single-security-state view (DS=1). ARE and DS read as one and cannot change. */
#define VGIC_CTLR_EN_G0 (1u << 0)
#define VGIC_CTLR_EN_G1 (1u << 1)
#define VGIC_CTLR_ARE   (1u << 4)
#define VGIC_CTLR_DS    (1u << 6)

/* GICD_IROUTER: Aff0-2 in [23:0], IRM at 31, Aff3 at [39:32] (RES0 here: GICD_TYPER.A3V = 0). */
#define VGIC_IROUTER_IRM  (1ull << 31)
#define VGIC_IROUTER_MASK (VGIC_IROUTER_IRM | 0xffffffull)

/* ProductID 'V' (a virtual part), Arm's JEP106 code 0x43b; matches no Linux erratum entry. */
#define VGIC_IIDR 0x5600043bu

/* Log keys: which frame (or other source), why, and the offset or number involved. */
enum vgic_frame { VGIC_FRAME_DIST, VGIC_FRAME_RD, VGIC_FRAME_SGI, VGIC_FRAME_API };
enum vgic_why {
    VGIC_WHY_UNKNOWN, /* unimplemented register */
    VGIC_WHY_SIZE,    /* bad access size or alignment */
    VGIC_WHY_INTID,   /* vgic_raise with an INTID or vCPU out of range */
    VGIC_WHY_LR_BUSY, /* the kernel refused a list register we thought free */
    VGIC_WHY_MAINT,   /* maintenance for a list register we had not filled */
    VGIC_WHY_SGI,     /* SGI aimed at affinities that name no vCPU */
    VGIC_WHY_GROUP0,  /* pending group-0 interrupt: never delivered */
};
#define VGIC_LOG_KEY(frame, why, off)                                                                        \
    (((uint32_t)(frame) << 28) | ((uint32_t)(why) << 24) | ((off)&0xffffffu))

/* vgic_state.c */
struct vgic_bank *vgic_bank_of(struct vgic *g, unsigned vcpu, uint32_t intid);
void vgic_route_update(struct vgic *g, unsigned spi);
bool vgic_log_once(struct vgic *g, uint32_t key);
/* One console line "vmm: guest 'NAME': vgic: <message>". */
void vgic_log(const struct vgic *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vgic_log_access(struct vgic *g, enum vgic_frame frame, enum vgic_why why, uint32_t off, unsigned size,
                     bool write);
uint32_t vgic_id_reg(uint32_t off, bool *known);

/* vgic_lr.c */
void vgic_flush(struct vgic *g, unsigned vcpu);
void vgic_flush_all(struct vgic *g);
/* Takes back every list register of a quiet SPI (vgic_set_quiet) the guest is done with. */
void vgic_reclaim_quiet_all(struct vgic *g);
/* The guest dropped the pending state of `bits` (of the 32 INTIDs from `first`) while no LR
 * held them: tell the owner they are done (vgic_eoi_fn). */
void vgic_release(struct vgic *g, unsigned vcpu, uint32_t first, uint32_t bits);

/* vgic_regs.c: the bitmap/priority/config registers at 0x080..0xcff, same layout in the
 * distributor and in the redistributor's SGI_base frame. */
enum vgic_breg_kind {
    VGIC_IGROUPR,
    VGIC_ISENABLER,
    VGIC_ICENABLER,
    VGIC_ISPENDR,
    VGIC_ICPENDR,
    VGIC_ISACTIVER,
    VGIC_ICACTIVER,
    VGIC_IPRIORITYR,
    VGIC_ICFGR,
};
struct vgic_breg {
    enum vgic_breg_kind kind;
    uint32_t intid; /* first INTID the accessed word (or byte) covers */
};
bool vgic_breg_decode(uint32_t off, struct vgic_breg *r);
uint32_t vgic_breg_read(const struct vgic_bank *b, const struct vgic_breg *r, unsigned size);
/* Returns the INTIDs (bits of b) whose pending state the write dropped while no LR held them:
 * the caller passes them to vgic_release. */
uint32_t vgic_breg_write(struct vgic_bank *b, const struct vgic_breg *r, unsigned size, uint32_t val);

/* vgic_dist.c / vgic_redist.c: one 32-bit (or, where allowed, 8-bit) access within a frame. */
void vgic_dist_access(struct vgic *g, uint32_t off, unsigned size, bool write, uint32_t *val);
void vgic_rd_access(struct vgic *g, unsigned vcpu, uint32_t off, unsigned size, bool write, uint32_t *val);
void vgic_sgi_access(struct vgic *g, unsigned vcpu, uint32_t off, unsigned size, bool write, uint32_t *val);

#endif

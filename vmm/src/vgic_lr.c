/*
 * Delivery: pending interrupts -> list registers.
 *
 * The "overflow queue" of a vCPU is implicit: every interrupt that is pending, enabled, group 1,
 * not active, not already in an LR and routed to that vCPU is waiting for it. Whenever an LR is
 * free we pick the waiting interrupt with the highest priority (lowest value; ties go to the
 * lowest INTID). Being bits in fixed banks, the queue can neither overflow nor lose anything.
 */

#include "vgic_internal.h"

static int free_lr(const struct vgic_vcpu *c)
{
    for (int lr = 0; lr < VGIC_NUM_LRS; lr++)
        if (c->lr_intid[lr] == VGIC_LR_FREE)
            return lr;
    return -1;
}

static uint32_t waiting(const struct vgic_bank *b)
{
    return b->pending & b->enabled & b->group & ~b->active & ~b->in_lr;
}

/* Scans only the set bits of the waiting masks: cheap when little is pending. */
static uint32_t best_waiting(const struct vgic *g, unsigned vcpu)
{
    uint32_t best = VGIC_NO_IRQ;
    unsigned best_prio = 0x100;

    for (unsigned n = 0; n <= VGIC_NUM_SPIS / 32; n++) {
        const struct vgic_bank *b = n == 0 ? &g->cpu[vcpu].priv : &g->spi[n - 1];
        uint32_t w = waiting(b);
        while (w) {
            unsigned bit = (unsigned)__builtin_ctz(w);
            uint32_t intid = n * 32 + bit;
            w &= w - 1;
            if (n > 0 && g->target[intid - 32] != vcpu)
                continue;
            if (b->prio[bit] < best_prio) {
                best_prio = b->prio[bit];
                best = intid;
            }
        }
    }
    return best;
}

static bool is_quiet(const struct vgic *g, uint32_t intid)
{
    return intid >= 32 && intid < VGIC_NUM_IRQS && (g->quiet[(intid - 32) / 32] >> (intid % 32) & 1u);
}

/* A quiet SPI raised again while a list register is still its own (vgic_set_quiet): pending
 * again in that register, whichever vCPU's it is. */
static void repend_quiet(struct vgic *g)
{
    for (unsigned v = 0; v < g->num_vcpus; v++) {
        struct vgic_vcpu *c = &g->cpu[v];
        if (c->off || !c->lr_quiet)
            continue;
        for (unsigned lr = 0; lr < VGIC_NUM_LRS; lr++) {
            if (!(c->lr_quiet & (1u << lr)))
                continue;
            uint32_t intid = c->lr_intid[lr];
            struct vgic_bank *b = vgic_bank_of(g, v, intid);
            uint32_t m = 1u << (intid % 32);
            if ((b->pending & b->enabled & b->group & ~b->active & m) &&
                vgic_port_write_lr_quiet(v, lr, intid, b->prio[intid % 32]) == 1)
                b->pending &= ~m;
        }
    }
}

static void free_lr_record(struct vgic_vcpu *c, unsigned lr)
{
    c->lr_intid[lr] = VGIC_LR_FREE;
    c->lr_quiet &= (uint8_t) ~(1u << lr);
}

/* No list register is free: take back the quiet ones the guest is done with. */
static void reclaim_quiet(struct vgic *g, unsigned vcpu)
{
    struct vgic_vcpu *c = &g->cpu[vcpu];
    if (!c->lr_quiet)
        return;
    uint32_t busy = vgic_port_lr_busy(vcpu);
    for (unsigned lr = 0; lr < VGIC_NUM_LRS; lr++) {
        if (!(c->lr_quiet & (1u << lr)) || (busy & (1u << lr)))
            continue;
        uint32_t intid = c->lr_intid[lr];
        free_lr_record(c, lr);
        vgic_bank_of(g, vcpu, intid)->in_lr &= ~(1u << (intid % 32));
    }
}

/* Into list register lr: quietly if intid is quiet and another register would still report its
 * EOI (so that a waiting interrupt always has an exit coming that delivers it). 0 if placed. */
static int place(struct vgic *g, unsigned vcpu, unsigned lr, uint32_t intid, uint8_t prio)
{
    struct vgic_vcpu *c = &g->cpu[vcpu];
    if (is_quiet(g, intid) && __builtin_popcount(c->lr_quiet) < VGIC_NUM_LRS - 1) {
        int r = vgic_port_write_lr_quiet(vcpu, lr, intid, prio);
        if (r == 1)
            c->lr_quiet |= (uint8_t)(1u << lr);
        return r < 0 ? -1 : 0;
    }
    return vgic_port_write_lr(vcpu, lr, intid, prio);
}

void vgic_reclaim_quiet_all(struct vgic *g)
{
    for (unsigned v = 0; v < g->num_vcpus; v++)
        reclaim_quiet(g, v);
    vgic_flush_all(g); /* one that was pending behind its register goes in now */
}

/* Fill the free list registers of vcpu from its waiting interrupts. Nothing moves while the
 * distributor's group 1 is disabled; it all stays pending. */
void vgic_flush(struct vgic *g, unsigned vcpu)
{
    struct vgic_vcpu *c = &g->cpu[vcpu];
    bool reclaimed = false;

    if (!(g->ctlr & VGIC_CTLR_EN_G1) || c->off)
        return;
    repend_quiet(g);
    for (;;) {
        uint32_t intid = best_waiting(g, vcpu);
        if (intid == VGIC_NO_IRQ)
            return;
        int lr = free_lr(c);
        if (lr < 0 && !reclaimed) {
            reclaim_quiet(g, vcpu);
            reclaimed = true;
            intid = best_waiting(g, vcpu); /* a reclaimed one may be waiting now too */
            lr = free_lr(c);
        }
        if (lr < 0)
            return;
        struct vgic_bank *b = vgic_bank_of(g, vcpu, intid);
        uint32_t m = 1u << (intid % 32);
        if (place(g, vcpu, (unsigned)lr, intid, b->prio[intid % 32]) != 0) {
            /* Out of step with the kernel: leave that LR alone until its maintenance exit. */
            c->lr_intid[lr] = VGIC_LR_STALE;
            if (vgic_log_once(g, VGIC_LOG_KEY(VGIC_FRAME_API, VGIC_WHY_LR_BUSY, vcpu * 16 + lr)))
                vgic_log(g, "vCPU %u list register %d busy although free here; skipping it", vcpu, lr);
            continue;
        }
        c->lr_intid[lr] = intid;
        b->in_lr |= m;
        b->pending &= ~m;
    }
}

uint32_t vgic_ppi_delivery(const struct vgic *g, unsigned vcpu, uint32_t intid)
{
    if (vcpu >= g->num_vcpus || intid < 16 || intid >= 32)
        return 0;
    const struct vgic_bank *b = &g->cpu[vcpu].priv;
    uint32_t m = 1u << intid;
    if (!(g->ctlr & VGIC_CTLR_EN_G1) || !(b->enabled & b->group & m))
        return 0;
    return VGIC_PPI_CAN_TAKE | (uint32_t)b->prio[intid] << VGIC_PPI_PRIO_SHIFT;
}

void vgic_flush_all(struct vgic *g)
{
    for (unsigned v = 0; v < g->num_vcpus; v++)
        vgic_flush(g, v);
}

/* Every raise makes the interrupt pending once. Already in an LR: it is pending again and goes
 * back in after the EOI (edge semantics; a level line is re-raised by the VMM while asserted).
 * Already pending: nothing more to record. */
void vgic_raise(struct vgic *g, unsigned vcpu, uint32_t intid)
{
    if (intid >= VGIC_NUM_IRQS || (intid < 32 && vcpu >= g->num_vcpus)) {
        if (vgic_log_once(g, VGIC_LOG_KEY(VGIC_FRAME_API, VGIC_WHY_INTID, intid)))
            vgic_log(g, "raise of INTID %u on vCPU %u: no such interrupt or vCPU, dropped", (unsigned)intid,
                     vcpu);
        return;
    }
    struct vgic_bank *b = vgic_bank_of(g, vcpu, intid);
    uint32_t m = 1u << (intid % 32);
    b->pending |= m;
    if (!(b->group & m) && vgic_log_once(g, VGIC_LOG_KEY(VGIC_FRAME_API, VGIC_WHY_GROUP0, intid)))
        vgic_log(g, "INTID %u is group 0, which is never delivered; it stays pending", (unsigned)intid);
    unsigned target = intid < 32 ? vcpu : g->target[intid - 32];
    if (target < g->num_vcpus)
        vgic_flush(g, target);
}

void vgic_maintenance(struct vgic *g, unsigned vcpu, unsigned lr)
{
    if (vcpu >= g->num_vcpus || lr >= VGIC_NUM_LRS) {
        if (vgic_log_once(g, VGIC_LOG_KEY(VGIC_FRAME_API, VGIC_WHY_MAINT, 0xffffff)))
            vgic_log(g, "maintenance for vCPU %u LR %u out of range, ignored", vcpu, lr);
        return;
    }
    struct vgic_vcpu *c = &g->cpu[vcpu];
    uint32_t intid = c->lr_intid[lr];
    bool quiet = c->lr_quiet & (1u << lr); /* no host reports these: a stray report frees it */
    free_lr_record(c, lr);
    if (intid == VGIC_LR_FREE || intid == VGIC_LR_STALE || quiet) {
        if (quiet)
            vgic_bank_of(g, vcpu, intid)->in_lr &= ~(1u << (intid % 32));
        if (intid == VGIC_LR_FREE &&
            vgic_log_once(g, VGIC_LOG_KEY(VGIC_FRAME_API, VGIC_WHY_MAINT, vcpu * 16 + lr)))
            vgic_log(g, "maintenance for vCPU %u LR %u, which held nothing", vcpu, lr);
        vgic_flush(g, vcpu);
        return;
    }
    vgic_bank_of(g, vcpu, intid)->in_lr &= ~(1u << (intid % 32));
    vgic_flush(g, vcpu);
    /* An SPI re-routed while in this LR may now be taken by its new vCPU. */
    if (intid >= 32 && g->target[intid - 32] != vcpu && g->target[intid - 32] < g->num_vcpus)
        vgic_flush(g, g->target[intid - 32]);
    if (g->eoi_fn)
        g->eoi_fn(g->eoi_ctx, vcpu, intid);
}

void vgic_release(struct vgic *g, unsigned vcpu, uint32_t first, uint32_t bits)
{
    while (bits && g->eoi_fn) {
        uint32_t intid = first + (unsigned)__builtin_ctz(bits);
        bits &= bits - 1;
        unsigned v = vcpu;
        if (intid >= 32)
            v = g->target[intid - 32] < g->num_vcpus ? g->target[intid - 32] : 0;
        g->eoi_fn(g->eoi_ctx, v, intid);
    }
}

void vgic_vcpu_power(struct vgic *g, unsigned vcpu, bool on)
{
    if (vcpu >= g->num_vcpus)
        return;
    struct vgic_vcpu *c = &g->cpu[vcpu];
    /* Either way the host's LRs of this vCPU are (or are about to be) empty. A quiet one is
     * sent again even if the guest was done with it: the host may have emptied its register
     * already, so asking would not tell; one interrupt too many, never one lost. */
    for (unsigned lr = 0; lr < VGIC_NUM_LRS; lr++) {
        uint32_t intid = c->lr_intid[lr];
        free_lr_record(c, lr);
        if (intid == VGIC_LR_FREE || intid == VGIC_LR_STALE)
            continue;
        struct vgic_bank *b = vgic_bank_of(g, vcpu, intid);
        uint32_t m = 1u << (intid % 32);
        b->in_lr &= ~m;
        if (intid >= 32)
            b->pending |= m; /* the guest may not have seen it: deliver it again, never lose it */
        else
            vgic_release(g, vcpu, intid & ~31u, m); /* this CPU's own: its owner acks it */
    }
    c->off = !on;
    /* Re-pended SPIs may go to another vCPU now; a vCPU coming on takes what waits for it. */
    vgic_flush_all(g);
}

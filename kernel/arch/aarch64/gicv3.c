/*
 * GICv3 driver: all interrupts group 1 non-secure, one priority, each routed to the core of
 * its owner. SGIs and PPIs (INTID < 32) live in each core's redistributor; SPIs in the distributor.
 */
#include "gic.h"
#include "console.h"
#include "cpu.h"
#include "sysreg.h"

#define GICD_CTLR       0x0000
#define GICD_TYPER      0x0004
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ICENABLER  0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR      0x0c00
#define GICD_IROUTER    0x6100 /* IROUTER<n> is at 0x6000 + 8n; SPIs start at n = 32 */
#define GICD_CTLR_RWP   (1u << 31)
#define GICD_CTLR_ARE   (1u << 4)
#define GICD_CTLR_GRP1  (1u << 1) /* EnableGrp1 (single security state) / EnableGrp1NS */

#define GICR_FRAME                 0x20000
#define GICR_TYPER                 0x0008
#define GICR_WAKER                 0x0014
#define GICR_TYPER_LAST            (1u << 4)
#define GICR_WAKER_SLEEP           (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_SGI                   0x10000 /* SGI/PPI frame; same register offsets as the distributor */

#define IRQ_PRIORITY 0xa0

static uint64_t gicd;
static uint32_t num_intids; /* from GICD_TYPER.ITLinesNumber */

uint32_t gic_num_intids(void)
{
    return num_intids;
}

static void gicd_wait_rwp(void)
{
    while (mmio_read32(gicd + GICD_CTLR) & GICD_CTLR_RWP)
        ;
}

/* MPIDR affinity as GICR_TYPER and GICD_IROUTER hold it */
static uint32_t typer_affinity(uint64_t mpidr)
{
    return (uint32_t)((mpidr & 0xffffff) | ((mpidr >> 8) & 0xff000000));
}

/* Finds a core's redistributor by affinity; stops at the frame marked Last (QEMU faults past it). */
static uint64_t find_redistributor(uint64_t base, uint64_t size, uint64_t mpidr)
{
    uint32_t aff = typer_affinity(mpidr);
    for (uint64_t f = base; f + GICR_FRAME <= base + size; f += GICR_FRAME) {
        uint64_t typer = mmio_read64(f + GICR_TYPER);
        if ((uint32_t)(typer >> 32) == aff)
            return f;
        if (typer & GICR_TYPER_LAST)
            break;
    }
    panic("no GIC redistributor for MPIDR 0x%lx in 0x%lx+0x%lx", mpidr, base, size);
}

/* Wakes a core's redistributor and gives its SGIs and PPIs group 1 and the one priority, all
 * disabled; any core may do it (redistributors are memory-mapped). */
static void redistributor_init(struct cpu *c, uint64_t base, uint64_t size)
{
    uint64_t rd = find_redistributor(base, size, c->mpidr);
    mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
    while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)
        ;
    c->gicr_sgi = rd + GICR_SGI;
    mmio_write32(c->gicr_sgi + GICD_ICENABLER, ~0u);
    mmio_write32(c->gicr_sgi + GICD_IGROUPR, ~0u);
    for (uint32_t i = 0; i < 32; i += 4)
        mmio_write32(c->gicr_sgi + GICD_IPRIORITYR + i, IRQ_PRIORITY * 0x01010101u);
}

void gic_cpu_init(void)
{
    sysreg_write(ICC_SRE_EL2, 0xf); /* SRE, disable IRQ/FIQ bypass, let EL1 use system registers */
    isb();
    sysreg_write(ICC_PMR_EL1, 0xff);
    sysreg_write(ICC_BPR1_EL1, 0);
    sysreg_write(ICC_CTLR_EL1, 0); /* EOImode 0: EOIR both drops priority and deactivates */
    sysreg_write(ICC_IGRPEN1_EL1, 1);
    isb();
    gic_enable(SGI_KICK);
}

void gic_init(uint64_t d, uint64_t r, uint64_t rsize)
{
    gicd = d;
    mmio_write32(gicd + GICD_CTLR, 0);
    gicd_wait_rwp();
    uint32_t lines = ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1) * 32;
    if (lines > GIC_MAX_INTID)
        lines = GIC_MAX_INTID;
    num_intids = lines;
    for (uint32_t i = 32; i < lines; i += 32) {
        mmio_write32(gicd + GICD_ICENABLER + i / 8, ~0u);
        mmio_write32(gicd + GICD_IGROUPR + i / 8, ~0u);
    }
    for (uint32_t i = 32; i < lines; i += 4)
        mmio_write32(gicd + GICD_IPRIORITYR + i, IRQ_PRIORITY * 0x01010101u);
    gicd_wait_rwp();
    mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
    gicd_wait_rwp();
    for (unsigned k = 0; k < num_cpus; k++)
        redistributor_init(&cpus[k], r, rsize);
    gic_cpu_init();
}

/* The distributor for SPIs, a core's redistributor SGI frame for SGIs and PPIs. */
static uint64_t frame_for(uint32_t intid, unsigned core)
{
    return intid < 32 ? cpus[core].gicr_sgi : gicd;
}

void gic_config(uint32_t intid, bool edge, unsigned core)
{
    uint64_t base = frame_for(intid, core);
    if (intid >= 16) {
        uint64_t reg = base + GICD_ICFGR + (intid / 16) * 4;
        uint32_t shift = (intid % 16) * 2 + 1;
        uint32_t v = mmio_read32(reg);
        v = edge ? (v | (1u << shift)) : (v & ~(1u << shift));
        mmio_write32(reg, v);
    }
    if (intid >= 32)
        mmio_write64(gicd + GICD_IROUTER + (intid - 32) * 8, cpus[core].mpidr & 0xff00ffffffull);
}

void gic_enable_on(uint32_t intid, unsigned core)
{
    mmio_write32(frame_for(intid, core) + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

void gic_disable_on(uint32_t intid, unsigned core)
{
    mmio_write32(frame_for(intid, core) + GICD_ICENABLER + (intid / 32) * 4, 1u << (intid % 32));
    if (intid >= 32)
        gicd_wait_rwp();
}

void gic_enable(uint32_t intid)
{
    gic_enable_on(intid, this_cpu()->idx);
}

void gic_disable(uint32_t intid)
{
    gic_disable_on(intid, this_cpu()->idx);
}

/* ICC_SGI1R_EL1: the target's Aff3.Aff2.Aff1, and Aff0 as range selector (RS) and bit in the
 * target list: one core. */
void gic_send_sgi(uint64_t mpidr, uint32_t intid)
{
    uint64_t aff0 = mpidr & 0xff;
    uint64_t v = ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 | ((mpidr >> 8) & 0xff) << 16 |
                 (aff0 >> 4) << 44 | (uint64_t)(intid & 0xf) << 24 | (1ul << (aff0 & 0xf));
    dsb(ishst); /* what the target will read is visible before it is interrupted */
    sysreg_write(ICC_SGI1R_EL1, v);
    isb();
}

uint32_t gic_ack(void)
{
    uint32_t iar = (uint32_t)sysreg_read(ICC_IAR1_EL1) & 0xffffff;
    dsb(sy);
    return iar;
}

void gic_eoi(uint32_t intid)
{
    sysreg_write(ICC_EOIR1_EL1, intid);
    isb();
}

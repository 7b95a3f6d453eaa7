/* Redistributor frames: identification, the Last-bit walk, WAKER, and the SGI/PPI bank. */
#include "test_vgic_fake.h"

static void typer_per_frame(void **state)
{
    (void)state;
    uint64_t t0 = rd(RD(0) + 0x0008, 8), t1 = rd(RD(1) + 0x0008, 8);
    assert_int_equal(t0 >> 32, 0);           /* affinity 0.0.0.0 */
    assert_int_equal((t0 >> 8) & 0xffff, 0); /* processor number */
    assert_int_equal(t0 & (1u << 4), 0);     /* not last */
    assert_int_equal(t0 & 3, 0);             /* no PLPIS/VLPIS */
    assert_int_equal(t1 >> 32, 1);           /* affinity 0.0.0.1 */
    assert_int_equal((t1 >> 8) & 0xffff, 1);
    assert_int_equal(t1 & (1u << 4), 1u << 4); /* Last */
    /* The same register through two 32-bit reads, as a 32-bit guest would do it. */
    assert_int_equal(rd32(RD(1) + 0x0008), (uint32_t)t1);
    assert_int_equal(rd32(RD(1) + 0x000c), 1);
    wr(RD(1) + 0x0008, 8, 0); /* read-only */
    assert_int_equal(rd(RD(1) + 0x0008, 8), t1);
}

/* Linux's walk: PIDR2 must say GICv3 in every frame until Last; it steps 2 x 64 KiB. */
static void linux_walk(void **state)
{
    (void)state;
    vgic_init(&g, GICD, GICR, 4);
    unsigned frames = 0;
    uint64_t typer;
    uint64_t p = GICR;
    do {
        assert_int_equal((rd32(p + 0xffe8) >> 4) & 0xf, 3);
        typer = rd(p + 0x0008, 8);
        assert_int_equal(typer >> 32, frames);
        frames++;
        p += 0x20000;
    } while (!(typer & (1u << 4)));
    assert_int_equal(frames, 4);
    assert_int_equal(rd32(RD(3) + 0x0004), 0x5600043b); /* IIDR */
    vgic_init(&g, GICD, GICR, 1);
    assert_int_equal(rd(RD(0) + 0x0008, 8) & (1u << 4), 1u << 4);
}

static void waker(void **state)
{
    (void)state;
    assert_int_equal(rd32(RD(0) + 0x0014), 6); /* out of reset: asleep */
    wr32(RD(0) + 0x0014, 0);                   /* clear ProcessorSleep ... */
    assert_int_equal(rd32(RD(0) + 0x0014), 0); /* ... and ChildrenAsleep follows at once */
    assert_int_equal(rd32(RD(1) + 0x0014), 6); /* per vCPU */
    wr32(RD(0) + 0x0014, 2);                   /* back to sleep */
    assert_int_equal(rd32(RD(0) + 0x0014), 6);
    wr32(RD(0) + 0x0014, 4); /* ChildrenAsleep is read-only */
    assert_int_equal(rd32(RD(0) + 0x0014), 0);
    assert_int_equal(rd32(RD(0) + 0x0000), 0);  /* GICR_CTLR: RWP 0, no LPIs */
    assert_int_equal(rd(RD(0) + 0x0070, 8), 0); /* PROPBASER */
    assert_int_equal(rd32(RD(0) + 0x00c0), 0);  /* SYNCR not busy */
    assert_int_equal((rd32(RD(0) + 0xffe8) >> 4) & 0xf, 3);
    assert_int_equal(g.num_logged, 0);
}

static void sgi_ppi_bank(void **state)
{
    (void)state;
    assert_int_equal(rd32(SGI(0) + 0x0080), ~0u); /* IGROUPR0 resets to group 1 */
    wr32(SGI(0) + 0x0100, 0x08000001);            /* enable SGI 0 and PPI 27 */
    assert_int_equal(rd32(SGI(0) + 0x0100), 0x08000001);
    assert_int_equal(rd32(SGI(1) + 0x0100), 0); /* banked per vCPU */
    wr32(SGI(0) + 0x0180, 0x00000001);
    assert_int_equal(rd32(SGI(0) + 0x0100), 0x08000000);
    wr32(SGI(1) + 0x0200, 1u << 3); /* ISPENDR0 */
    assert_int_equal(rd32(SGI(1) + 0x0200), 1u << 3);
    wr32(SGI(1) + 0x0280, 1u << 3);
    assert_int_equal(rd32(SGI(1) + 0x0200), 0);
    wr32(SGI(1) + 0x0300, 1u << 20);
    assert_int_equal(rd32(SGI(1) + 0x0300), 1u << 20);
    wr32(SGI(1) + 0x0380, ~0u);
    assert_int_equal(rd32(SGI(1) + 0x0300), 0);
    /* Priorities: word and byte, 5 bits kept. */
    wr32(SGI(0) + 0x0418, 0x90a0b0c0); /* INTIDs 24..27 */
    assert_int_equal(rd32(SGI(0) + 0x0418), 0x90a0b0c0);
    wr(SGI(0) + 0x041b, 1, 0x17);
    assert_int_equal(rd(SGI(0) + 0x041b, 1), 0x10);
    assert_int_equal(g.cpu[0].priv.prio[27], 0x10);
    assert_int_equal(g.cpu[1].priv.prio[27], 0);
    /* ICFGR0: SGIs are edge and read-only; ICFGR1: PPIs configurable, reset level. */
    assert_int_equal(rd32(SGI(0) + 0x0c00), 0xaaaaaaaa);
    wr32(SGI(0) + 0x0c00, 0);
    assert_int_equal(rd32(SGI(0) + 0x0c00), 0xaaaaaaaa);
    assert_int_equal(rd32(SGI(0) + 0x0c04), 0);
    wr32(SGI(0) + 0x0c04, 0x00800000); /* PPI 27 edge */
    assert_int_equal(rd32(SGI(0) + 0x0c04), 0x00800000);
    assert_int_equal(g.num_logged, 0);
}

/* What the kernel is told of the timer PPI (it injects it itself): the guest can take it only
 * with its distributor's group 1 on and the PPI group 1 and enabled in that vCPU's bank. */
static void ppi_delivery_state(void **state)
{
    (void)state;
    const uint32_t can = VGIC_PPI_CAN_TAKE | 0xa0u << VGIC_PPI_PRIO_SHIFT;
    wr(SGI(0) + 0x0400 + 27, 1, 0xa0);
    wr32(SGI(0) + 0x0100, 1u << 27);
    assert_int_equal(vgic_ppi_delivery(&g, 0, 27), 0); /* distributor off */
    wr32(GICD + 0x0000, 0x13);
    assert_int_equal(vgic_ppi_delivery(&g, 0, 27), can);
    assert_int_equal(vgic_ppi_delivery(&g, 1, 27), 0); /* banked: not enabled on vCPU 1 */
    wr32(SGI(0) + 0x0080, ~(1u << 27));                /* group 0: never delivered */
    assert_int_equal(vgic_ppi_delivery(&g, 0, 27), 0);
    wr32(SGI(0) + 0x0080, ~0u);
    wr(SGI(0) + 0x0400 + 27, 1, 0x80);
    assert_int_equal(vgic_ppi_delivery(&g, 0, 27), VGIC_PPI_CAN_TAKE | 0x80u << VGIC_PPI_PRIO_SHIFT);
    wr32(SGI(0) + 0x0180, 1u << 27); /* ICENABLER0 */
    assert_int_equal(vgic_ppi_delivery(&g, 0, 27), 0);
    /* No such vCPU, not a PPI: nothing to deliver. */
    assert_int_equal(vgic_ppi_delivery(&g, 2, 27), 0);
    wr32(SGI(0) + 0x0100, 1u << 3);
    assert_int_equal(vgic_ppi_delivery(&g, 0, 3), 0);
    assert_int_equal(vgic_ppi_delivery(&g, 0, 32), 0);
}

static void redist_odd_accesses(void **state)
{
    (void)state;
    uint64_t v = 5;
    assert_int_equal(rd32(SGI(0) + 0x0104), 0); /* no ISENABLER1 in a redistributor */
    assert_int_equal(g.num_logged, 1);
    assert_int_equal(rd32(RD(0) + 0x0300), 0); /* nothing there */
    assert_int_equal(g.num_logged, 2);
    assert_true(vgic_mmio(&g, 0, RD(0) + 0x0014, false, 1, &v)); /* byte to WAKER */
    assert_int_equal(v, 0);
    assert_int_equal(g.num_logged, 3);
    v = 5;
    assert_true(vgic_mmio(&g, 0, SGI(0) + 0x0100, true, 1, &v)); /* byte to ISENABLER0 */
    assert_int_equal(rd32(SGI(0) + 0x0100), 0);
    assert_int_equal(g.num_logged, 4);
    assert_int_equal(rd32(SGI(0) + 0x0d00), 0); /* IGRPMODR0: silent RAZ/WI */
    assert_int_equal(g.num_logged, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(typer_per_frame, reset),
        cmocka_unit_test_setup(linux_walk, reset),
        cmocka_unit_test_setup(waker, reset),
        cmocka_unit_test_setup(sgi_ppi_bank, reset),
        cmocka_unit_test_setup(ppi_delivery_state, reset),
        cmocka_unit_test_setup(redist_odd_accesses, reset),
    };
    return cmocka_run_group_tests_name("vgic redistributor", tests, NULL, NULL);
}

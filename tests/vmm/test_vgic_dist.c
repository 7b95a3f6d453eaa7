/* Distributor register emulation: identification, control, SPI banks, routing, odd accesses. */
#include "test_vgic_fake.h"

static void ident_regs(void **state)
{
    (void)state;
    uint32_t typer = rd32(GICD + 0x0004);
    assert_int_equal(typer & 0x1f, 3);         /* ITLinesNumber: 128 INTIDs */
    assert_int_equal((typer >> 5) & 7, 1);     /* CPUNumber: 2 vCPUs */
    assert_int_equal((typer >> 19) & 0x1f, 9); /* IDbits: 10 bits */
    assert_int_equal(typer & (1u << 17), 0);   /* no LPIs */
    assert_int_equal(typer & (1u << 16), 0);   /* no MBIS */
    assert_int_equal(typer & (1u << 10), 0);   /* no security extension */
    assert_int_equal(typer & (1u << 8), 0);    /* no extended SPIs */
    assert_int_equal(rd32(GICD + 0x0008), 0x5600043b);
    assert_int_equal(rd32(GICD + 0x0008) & 0xfff, 0x43b);
    assert_int_equal(rd32(GICD + 0x000c), 0);              /* TYPER2 */
    assert_int_equal((rd32(GICD + 0xffe8) >> 4) & 0xf, 3); /* PIDR2.ArchRev */
    assert_int_equal(rd32(GICD + 0xfff0), 0x0d);
    assert_int_equal(rd32(GICD + 0xfffc), 0xb1);
}

static void ctlr(void **state)
{
    (void)state;
    uint32_t c = rd32(GICD);
    assert_int_equal(c, (1u << 4) | (1u << 6)); /* ARE and DS, groups off, RWP 0 */
    wr32(GICD, 0x13);                           /* what Linux writes */
    assert_int_equal(rd32(GICD), 0x53);
    wr32(GICD, 0xffffffff); /* ARE/DS stay, RWP and E1NWF never set */
    assert_int_equal(rd32(GICD), 0x53);
    wr32(GICD, 0);
    assert_int_equal(rd32(GICD), 0x50);
}

static void spi_enable(void **state)
{
    (void)state;
    assert_int_equal(rd32(GICD + 0x0104), 0);
    wr32(GICD + 0x0104, 0x0000000a); /* enable INTIDs 33 and 35 */
    assert_int_equal(rd32(GICD + 0x0104), 0x0a);
    assert_int_equal(rd32(GICD + 0x0184), 0x0a); /* ICENABLER reads the same state */
    wr32(GICD + 0x0104, 0x00000100);             /* set-only: 33 and 35 stay */
    assert_int_equal(rd32(GICD + 0x0104), 0x10a);
    wr32(GICD + 0x0184, 0x00000002); /* clear 33 only */
    assert_int_equal(rd32(GICD + 0x0104), 0x108);
    wr32(GICD + 0x010c, 0x80000000); /* INTID 127, last implemented */
    assert_int_equal(rd32(GICD + 0x010c), 0x80000000);
    /* Bank 0 is the redistributor's business and INTIDs >= 128 do not exist: RAZ/WI. */
    wr32(GICD + 0x0100, ~0u);
    assert_int_equal(rd32(GICD + 0x0100), 0);
    wr32(GICD + 0x0110, ~0u);
    assert_int_equal(rd32(GICD + 0x0110), 0);
    assert_int_equal(g.num_logged, 0); /* architectural RAZ/WI, nothing logged */
}

static void pending_active_group(void **state)
{
    (void)state;
    assert_int_equal(rd32(GICD + 0x0084), ~0u); /* groups reset to 1 */
    wr32(GICD + 0x0084, 0xfffffffe);
    assert_int_equal(rd32(GICD + 0x0084), 0xfffffffe);
    wr32(GICD + 0x0208, 0x5); /* ISPENDR: 64, 66 */
    assert_int_equal(rd32(GICD + 0x0208), 0x5);
    wr32(GICD + 0x0288, 0x1); /* ICPENDR: 64 */
    assert_int_equal(rd32(GICD + 0x0288), 0x4);
    wr32(GICD + 0x0308, 0x3); /* ISACTIVER */
    assert_int_equal(rd32(GICD + 0x0308), 0x3);
    wr32(GICD + 0x0388, ~0u); /* ICACTIVER */
    assert_int_equal(rd32(GICD + 0x0308), 0);
}

static void priorities(void **state)
{
    (void)state;
    wr32(GICD + 0x0420, 0xa0a0a0a0); /* INTIDs 32..35 */
    assert_int_equal(rd32(GICD + 0x0420), 0xa0a0a0a0);
    wr(GICD + 0x0421, 1, 0x80); /* byte access, INTID 33 */
    assert_int_equal(rd(GICD + 0x0421, 1), 0x80);
    assert_int_equal(rd32(GICD + 0x0420), 0xa0a080a0);
    wr(GICD + 0x0422, 1, 0xff); /* only 5 bits implemented */
    assert_int_equal(rd(GICD + 0x0422, 1), 0xf8);
    assert_int_equal(g.spi[0].prio[2], 0xf8);
    wr32(GICD + 0x047c, 0x12345678); /* INTIDs 124..127 */
    assert_int_equal(rd32(GICD + 0x047c), 0x10305078);
    wr32(GICD + 0x0400, ~0u); /* INTIDs 0..3: banked, RAZ/WI here */
    assert_int_equal(rd32(GICD + 0x0400), 0);
}

static void icfgr(void **state)
{
    (void)state;
    assert_int_equal(rd32(GICD + 0x0c08), 0); /* SPIs 32..47 reset level */
    wr32(GICD + 0x0c08, 0x0000000a);          /* 32 and 33 edge */
    assert_int_equal(rd32(GICD + 0x0c08), 0x0000000a);
    wr32(GICD + 0x0c08, 0x00000005); /* the reserved low bits read as zero */
    assert_int_equal(rd32(GICD + 0x0c08), 0);
    wr32(GICD + 0x0c0c, 0x80000000); /* INTID 63 edge */
    assert_int_equal(rd32(GICD + 0x0c0c), 0x80000000);
    assert_int_equal(g.spi[0].edge, 0x80000000u);
    wr32(GICD + 0x0c00, ~0u); /* SGI config is not in the GICD */
    assert_int_equal(rd32(GICD + 0x0c00), 0);
}

static void irouter_routes(void **state)
{
    (void)state;
    uint64_t r40 = GICD + 0x6000 + 8 * 40;
    assert_int_equal(rd(r40, 8), 0);
    wr(r40, 8, 1); /* Aff0 = 1: vCPU 1 */
    assert_int_equal(rd(r40, 8), 1);
    assert_int_equal(g.target[40 - 32], 1);
    wr32(r40, 0x80000000); /* IRM: any PE -> vCPU 0 */
    assert_int_equal(rd32(r40), 0x80000000);
    assert_int_equal(g.target[40 - 32], 0);
    wr(r40, 8, 0x0000000100000000ull); /* Aff3 is RES0 (A3V = 0) */
    assert_int_equal(rd(r40, 8), 0);
    wr32(r40, 5); /* no vCPU 5: routes nowhere */
    assert_int_equal(g.target[40 - 32], 0xff);
    wr32(r40, 0x100); /* Aff1 = 1: nowhere either */
    assert_int_equal(g.target[40 - 32], 0xff);
    /* IROUTER of INTIDs 0..31 and beyond 127 are reserved: RAZ/WI. */
    wr(GICD + 0x6000, 8, 1);
    assert_int_equal(rd(GICD + 0x6000, 8), 0);
    wr(GICD + 0x6000 + 8 * 128, 8, 1);
    assert_int_equal(rd(GICD + 0x6000 + 8 * 128, 8), 0);
}

/* The route decides delivery: SPI 40 routed to vCPU 1 of 2 lands in vCPU 1's LR. */
static void routed_spi_delivery(void **state)
{
    (void)state;
    linux_like_setup();
    wr(GICD + 0x6000 + 8 * 40, 8, 1);
    wr32(GICD + 0x0104, 1u << 8);
    vgic_raise(&g, 0, 40);
    assert_int_equal(nwrites, 1);
    assert_int_equal(writes[0].vcpu, 1);
    assert_int_equal(writes[0].intid, 40);
    guest_eoi(1, writes[0].lr);
    assert_int_equal(neois, 1);
    assert_int_equal(eois[0].vcpu, 1);
    assert_int_equal(eois[0].intid, 40);
    /* Routed nowhere: stays pending, goes out once the route is fixed. */
    wr32(GICD + 0x6000 + 8 * 40, 7);
    vgic_raise(&g, 0, 40);
    assert_int_equal(nwrites, 1);
    assert_int_equal(rd32(GICD + 0x0204), 1u << 8);
    wr32(GICD + 0x6000 + 8 * 40, 0);
    assert_int_equal(nwrites, 2);
    assert_int_equal(writes[1].vcpu, 0);
}

static void unknown_offsets(void **state)
{
    (void)state;
    assert_int_equal(rd32(GICD + 0x5000), 0);
    assert_int_equal(g.num_logged, 1);
    assert_int_equal(rd32(GICD + 0x5000), 0); /* same offset: no second line */
    wr32(GICD + 0x5000, 1);                   /* same offset written: still one */
    assert_int_equal(g.num_logged, 1);
    assert_int_equal(rd32(GICD + 0x5004), 0); /* a new offset logs once more */
    assert_int_equal(g.num_logged, 2);
    /* A guest sweeping the whole frame cannot flood: the table caps the lines. */
    for (uint32_t off = 0x1000; off < 0x6000; off += 4)
        (void)rd32(GICD + off);
    assert_int_equal(g.num_logged, VGIC_LOG_SLOTS + 1);
    /* Known RAZ/WI registers stay silent and read 0. */
    vgic_init(&g, GICD, GICR, 2);
    assert_int_equal(rd32(GICD + 0x0010), 0); /* STATUSR */
    assert_int_equal(rd32(GICD + 0x0d04), 0); /* IGRPMODR */
    assert_int_equal(rd32(GICD + 0x0820), 0); /* ITARGETSR */
    wr32(GICD + 0x0f00, 0x01000001);          /* GICD_SGIR does nothing with ARE */
    assert_int_equal(nwrites, 0);
    assert_int_equal(g.num_logged, 0);
}

static void not_ours(void **state)
{
    (void)state;
    uint64_t v = 0x1234;
    assert_false(vgic_mmio(&g, 0, GICD - 4, false, 4, &v));
    assert_false(vgic_mmio(&g, 0, GICD + 0x10000, false, 4, &v));
    assert_false(vgic_mmio(&g, 0, RD(2), false, 4, &v));     /* past the 2nd vCPU's frames */
    assert_false(vgic_mmio(&g, 0, 0x09000000, true, 4, &v)); /* the UART */
    assert_int_equal(v, 0x1234);
}

static void bad_sizes(void **state)
{
    (void)state;
    uint64_t v = 0xffff;
    wr32(GICD + 0x0104, 0xff);
    assert_true(vgic_mmio(&g, 0, GICD + 0x0104, false, 2, &v)); /* halfword */
    assert_int_equal(v, 0);
    v = 0;
    assert_true(vgic_mmio(&g, 0, GICD + 0x0104, true, 2, &v)); /* ignored */
    assert_int_equal(rd32(GICD + 0x0104), 0xff);
    v = 7;
    assert_true(vgic_mmio(&g, 0, GICD + 0x0104, false, 3, &v)); /* nonsense size */
    assert_int_equal(v, 0);
    v = 7;
    assert_true(vgic_mmio(&g, 0, GICD + 0x0106, false, 4, &v)); /* misaligned */
    assert_int_equal(v, 0);
    v = 7;
    assert_true(vgic_mmio(&g, 0, GICD + 0x0104, false, 1, &v)); /* byte to a bitmap */
    assert_int_equal(v, 0);
    assert_true(vgic_mmio(&g, 0, GICD + 0x0000, true, 1, &v)); /* byte to CTLR: ignored */
    assert_int_equal(rd32(GICD), 0x50);
    assert_true(vgic_mmio(&g, 0, GICD + 0x0104, false, 0, &v));
    assert_true(vgic_mmio(&g, 0, GICD + 0x0104, false, 16, &v));
    assert_int_equal(rd32(GICD + 0x0104), 0xff);
    assert_int_equal(g.num_logged, 3); /* one line per distinct offset: 0x104, 0x106, 0x000 */
    unsigned n = g.num_logged;
    v = 0;
    assert_true(vgic_mmio(&g, 0, GICD + 0x0104, false, 2, &v)); /* repeated: no new line */
    assert_int_equal(g.num_logged, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(ident_regs, reset),      cmocka_unit_test_setup(ctlr, reset),
        cmocka_unit_test_setup(spi_enable, reset),      cmocka_unit_test_setup(pending_active_group, reset),
        cmocka_unit_test_setup(priorities, reset),      cmocka_unit_test_setup(icfgr, reset),
        cmocka_unit_test_setup(irouter_routes, reset),  cmocka_unit_test_setup(routed_spi_delivery, reset),
        cmocka_unit_test_setup(unknown_offsets, reset), cmocka_unit_test_setup(not_ours, reset),
        cmocka_unit_test_setup(bad_sizes, reset),
    };
    return cmocka_run_group_tests_name("vgic distributor", tests, NULL, NULL);
}

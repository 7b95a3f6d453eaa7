/*
 * The access sequence of a GICv3 driver's probe (as Linux's irq-gic-v3 does it, from the
 * architecture's point of view) on two vCPUs, followed by timer ticks and an IPI: every read
 * must be sane, every poll must end, and nothing may be logged as unknown.
 */
#include "test_vgic_fake.h"

#define POLL_LIMIT 4

static void wait_rwp(uint64_t ctlr, uint32_t bit)
{
    unsigned n = 0;
    while (rd32(ctlr) & bit)
        assert_true(++n < POLL_LIMIT);
}

static void dist_init(void)
{
    assert_int_equal(rd32(GICD + 0xffe8) & 0xf0, 0x30);
    uint32_t typer = rd32(GICD + 0x0004);
    unsigned lines = ((typer & 0x1f) + 1) * 32;
    assert_int_equal(lines, 128);
    (void)rd32(GICD + 0x0008);
    (void)rd32(GICD + 0x000c);
    assert_true(rd32(GICD) & (1u << 6)); /* security disabled */

    wr32(GICD, 0);
    wait_rwp(GICD, 1u << 31);
    for (unsigned i = 32; i < lines; i += 32) {
        wr32(GICD + 0x0080 + i / 8, ~0u); /* group 1 */
        wr32(GICD + 0x0380 + i / 8, ~0u); /* deactivate */
        wr32(GICD + 0x0180 + i / 8, ~0u); /* disable */
    }
    for (unsigned i = 32; i < lines; i += 16)
        wr32(GICD + 0x0c00 + i / 4, 0); /* level */
    for (unsigned i = 32; i < lines; i += 4)
        wr32(GICD + 0x0400 + i, 0xa0a0a0a0);
    wait_rwp(GICD, 1u << 31);
    wr32(GICD, (1u << 4) | 3); /* ARE_NS | EnableGrp1A | EnableGrp1 */
    wait_rwp(GICD, 1u << 31);
    for (unsigned i = 32; i < lines; i++)
        wr(GICD + 0x6000 + 8 * i, 8, 0); /* to the boot CPU, affinity 0.0.0.0 */
}

/* Find this CPU's redistributor by affinity, wake it, set up its SGIs and PPIs. */
static void cpu_init(unsigned cpu)
{
    uint64_t p = GICR, found = 0, typer;
    do {
        assert_int_equal(rd32(p + 0xffe8) & 0xf0, 0x30);
        typer = rd(p + 0x0008, 8);
        if ((typer >> 32) == cpu)
            found = p;
        p += 0x20000;
    } while (!(typer & (1u << 4)));
    assert_int_equal(found, RD(cpu));

    uint32_t w = rd32(found + 0x0014);
    wr32(found + 0x0014, w & ~2u);
    unsigned n = 0;
    while (rd32(found + 0x0014) & 4)
        assert_true(++n < POLL_LIMIT);

    uint64_t sgi = found + 0x10000;
    wr32(sgi + 0x0380, ~0u);
    wr32(sgi + 0x0180, 0xffff0000);
    wr32(sgi + 0x0100, 0x0000ffff);
    wr32(sgi + 0x0080, ~0u);
    for (unsigned i = 0; i < 32; i += 4)
        wr32(sgi + 0x0400 + i, 0xa0a0a0a0);
    wait_rwp(found, 1u << 3);
}

static void probe_then_run(void **state)
{
    (void)state;
    dist_init();
    cpu_init(0);
    cpu_init(1);
    assert_int_equal(g.num_logged, 0);

    /* Virtual timer PPI 27 on each vCPU: enable, tick, EOI, tick again. */
    for (unsigned v = 0; v < 2; v++) {
        wr32(SGI(v) + 0x0100, 1u << 27);
        vgic_raise(&g, v, 27);
    }
    assert_int_equal(nwrites, 2);
    for (unsigned v = 0; v < 2; v++) {
        int lr = lr_of(v, 27);
        assert_true(lr >= 0);
        assert_int_equal(guest_eoi(v, (unsigned)lr), 27);
        assert_int_equal(eois[neois - 1].vcpu, v);
    }
    /* The UART's SPI 33, moved to vCPU 1 the way set_affinity does, then enabled. */
    wr(GICD + 0x6000 + 8 * 33, 8, 1);
    wr32(GICD + 0x0104, 1u << 1);
    vgic_raise(&g, 0, 33);
    assert_int_equal(writes[nwrites - 1].vcpu, 1);
    assert_int_equal(writes[nwrites - 1].intid, 33);
    /* An IPI from vCPU 1 to vCPU 0 (reschedule, SGI 0). */
    vgic_sgi1r_write(&g, 1, 1);
    assert_int_equal(writes[nwrites - 1].vcpu, 0);
    assert_int_equal(writes[nwrites - 1].intid, 0);
    assert_int_equal(g.num_logged, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(probe_then_run, reset),
    };
    return cmocka_run_group_tests_name("vgic Linux-style probe", tests, NULL, NULL);
}

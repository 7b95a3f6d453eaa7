/* What the guest drops and what a stopped vCPU held: every INTID is pending, in a live LR or
 * reported to the EOI callback, never just forgotten. */
#include "test_vgic_fake.h"

static void enable_spi(uint32_t intid)
{
    wr32(GICD + 0x0100 + 4 * (intid / 32), 1u << (intid % 32));
}

/* The kernel clears a vCPU's LRs when it restarts it. */
static void host_restart(unsigned vcpu)
{
    memset(hw_lr[vcpu], 0, sizeof(hw_lr[vcpu]));
}

static void icpendr_reports_a_dropped_copy(void **state)
{
    (void)state;
    linux_like_setup();
    vgic_raise(&g, 0, 40); /* disabled: stays pending */
    vgic_raise(&g, 0, 41);
    wr32(GICD + 0x0284, (1u << 8) | (1u << 9) | (1u << 10)); /* ICPENDR1: 40, 41 and 42 */
    assert_int_equal(neois, 2);                              /* 42 was never pending */
    assert_int_equal(eois[0].intid, 40);
    assert_int_equal(eois[1].intid, 41);
    assert_int_equal(rd32(GICD + 0x0204), 0);
    enable_spi(40);
    assert_int_equal(nwrites, 0); /* dropped means dropped */
}

static void icpendr_leaves_an_lr_copy_to_its_eoi(void **state)
{
    (void)state;
    linux_like_setup();
    enable_spi(40);
    vgic_raise(&g, 0, 40);
    vgic_raise(&g, 0, 40); /* a second copy waits behind the one in the LR */
    assert_int_equal(nwrites, 1);
    wr32(GICD + 0x0284, 1u << 8);
    assert_int_equal(neois, 0); /* the copy in the LR is still to come */
    guest_eoi(0, writes[0].lr);
    assert_int_equal(neois, 1);
    assert_int_equal(nwrites, 1); /* the dropped copy is not delivered */
}

static void ppi_icpendr_is_reported(void **state)
{
    (void)state;
    linux_like_setup();
    vgic_raise(&g, 1, 27); /* disabled in vCPU 1's redistributor */
    wr32(SGI(1) + 0x0280, 1u << 27);
    assert_int_equal(neois, 1);
    assert_int_equal(eois[0].vcpu, 1);
    assert_int_equal(eois[0].intid, 27);
}

static void stopped_vcpu_gives_back_its_lrs(void **state)
{
    (void)state;
    linux_like_setup();
    enable_spi(40);
    wr(GICD + 0x6000 + 8 * 40, 8, 1); /* SPI 40 to vCPU 1 */
    wr32(SGI(1) + 0x0100, 1u << 27);
    vgic_raise(&g, 1, 40);
    vgic_raise(&g, 1, 27);
    assert_true(lr_of(1, 40) >= 0 && lr_of(1, 27) >= 0);
    vgic_vcpu_power(&g, 1, false);
    assert_int_equal(neois, 1); /* its own PPI is reported done */
    assert_int_equal(eois[0].intid, 27);
    assert_int_equal(rd32(GICD + 0x0204), 1u << 8); /* the SPI is pending again */
    unsigned before = nwrites;
    vgic_raise(&g, 1, 27); /* nothing goes into an LR of a stopped vCPU */
    assert_int_equal(nwrites, before);
    wr(GICD + 0x6000 + 8 * 40, 8, 0); /* re-routed to vCPU 0: delivered there */
    assert_int_equal(nwrites, before + 1);
    assert_int_equal(writes[before].vcpu, 0);
    assert_int_equal(writes[before].intid, 40);
    host_restart(1);
    vgic_vcpu_power(&g, 1, true); /* back on: what waits for it goes in */
    assert_int_equal(nwrites, before + 2);
    assert_int_equal(writes[before + 1].vcpu, 1);
    assert_int_equal(writes[before + 1].intid, 27);
}

static void restart_forgets_stale_lrs(void **state)
{
    (void)state;
    linux_like_setup();
    enable_spi(40);
    hw_lr[0][0] = 0x80000000u | 99; /* the host holds an LR the vGIC does not know of */
    vgic_raise(&g, 0, 40);
    assert_int_equal(g.cpu[0].lr_intid[0], VGIC_LR_STALE);
    vgic_vcpu_power(&g, 0, false);
    host_restart(0);
    vgic_vcpu_power(&g, 0, true);
    for (unsigned lr = 0; lr < VGIC_NUM_LRS; lr++)
        assert_int_not_equal(g.cpu[0].lr_intid[lr], VGIC_LR_STALE);
    assert_true(lr_of(0, 40) >= 0); /* re-pended by the stop, delivered by the start */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(icpendr_reports_a_dropped_copy, reset),
        cmocka_unit_test_setup(icpendr_leaves_an_lr_copy_to_its_eoi, reset),
        cmocka_unit_test_setup(ppi_icpendr_is_reported, reset),
        cmocka_unit_test_setup(stopped_vcpu_gives_back_its_lrs, reset),
        cmocka_unit_test_setup(restart_forgets_stale_lrs, reset),
    };
    return cmocka_run_group_tests_name("vgic release and vCPU power", tests, NULL, NULL);
}

/* Delivery into list registers: gating, the overflow queue, EOIs and re-raises. */
#include "test_vgic_fake.h"

static void enable_spi(uint32_t intid)
{
    wr32(GICD + 0x0100 + 4 * (intid / 32), 1u << (intid % 32));
}

static void enabled_goes_straight_in(void **state)
{
    (void)state;
    linux_like_setup();
    wr(GICD + 0x0400 + 33, 1, 0xa0);
    enable_spi(33);
    vgic_raise(&g, 0, 33);
    assert_int_equal(nwrites, 1);
    assert_int_equal(writes[0].vcpu, 0);
    assert_int_equal(writes[0].intid, 33);
    assert_int_equal(writes[0].prio, 0xa0);
    assert_int_equal(rd32(GICD + 0x0204), 0);       /* not pending: it is in an LR */
    assert_int_equal(rd32(GICD + 0x0304), 1u << 1); /* reported active while in the LR */
    assert_int_equal(guest_eoi(0, writes[0].lr), 33);
    assert_int_equal(neois, 1);
    assert_int_equal(eois[0].intid, 33);
    assert_int_equal(rd32(GICD + 0x0304), 0);
}

static void disabled_stays_pending(void **state)
{
    (void)state;
    linux_like_setup();
    vgic_raise(&g, 0, 48);
    assert_int_equal(nwrites, 0);
    assert_int_equal(rd32(GICD + 0x0204), 1u << 16); /* pending, visible to the guest */
    enable_spi(48);                                  /* enabling delivers it at once */
    assert_int_equal(nwrites, 1);
    assert_int_equal(writes[0].intid, 48);
    assert_int_equal(rd32(GICD + 0x0204), 0);
    /* The same for a PPI enabled in the redistributor. */
    vgic_raise(&g, 1, 27);
    assert_int_equal(nwrites, 1);
    wr32(SGI(1) + 0x0100, 1u << 27);
    assert_int_equal(nwrites, 2);
    assert_int_equal(writes[1].vcpu, 1);
    assert_int_equal(writes[1].intid, 27);
}

static void group_disabled_stays_pending(void **state)
{
    (void)state;
    enable_spi(40);
    wr32(SGI(0) + 0x0100, 1u << 27);
    vgic_raise(&g, 0, 40); /* distributor still off */
    vgic_raise(&g, 0, 27);
    assert_int_equal(nwrites, 0);
    wr32(GICD, 0x01); /* group 0 only: still nothing */
    assert_int_equal(nwrites, 0);
    wr32(GICD, 0x13);
    assert_int_equal(nwrites, 2);
    /* Disabling the group again holds new ones back. */
    wr32(GICD, 0x10);
    guest_eoi(0, 0);
    guest_eoi(0, 1);
    vgic_raise(&g, 0, 40);
    assert_int_equal(nwrites, 2);
    assert_int_equal(rd32(GICD + 0x0204), 1u << 8);
    wr32(GICD, 0x12);
    assert_int_equal(nwrites, 3);
}

static void group0_not_delivered(void **state)
{
    (void)state;
    linux_like_setup();
    wr32(GICD + 0x0084, 0); /* SPIs 32..63 to group 0 */
    enable_spi(34);
    vgic_raise(&g, 0, 34);
    assert_int_equal(nwrites, 0);
    assert_int_equal(g.num_logged, 1);
    wr32(GICD + 0x0084, ~0u); /* back to group 1: delivered */
    assert_int_equal(nwrites, 1);
}

/* 5 enabled SPIs, 3 LRs (the kernel keeps the fourth): 3 written, 2 wait; each EOI refills
 * with the best waiting one. */
static void overflow_queue(void **state)
{
    (void)state;
    _Static_assert(VGIC_NUM_LRS == 3, "the numbers below assume 3 list registers");
    linux_like_setup();
    static const uint8_t prio[5] = { 0xa0, 0xa0, 0xa0, 0xc0, 0x80 };
    for (unsigned i = 0; i < 5; i++) {
        wr(GICD + 0x0400 + 50 + i, 1, prio[i]);
        enable_spi(50 + i);
    }
    for (unsigned i = 0; i < 5; i++)
        vgic_raise(&g, 0, 50 + i);
    assert_int_equal(nwrites, 3);
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(writes[i].intid, 50 + i);
    assert_int_equal(rd32(GICD + 0x0204), (1u << 21) | (1u << 22)); /* 53, 54 waiting */
    /* First EOI: 54 (priority 0x80) beats 53 (0xc0) although it was raised later. */
    unsigned lr = (unsigned)lr_of(0, 51);
    assert_int_equal(guest_eoi(0, lr), 51);
    assert_int_equal(nwrites, 4);
    assert_int_equal(writes[3].intid, 54);
    assert_int_equal(writes[3].lr, lr);
    assert_int_equal(writes[3].prio, 0x80);
    assert_int_equal(neois, 1);
    assert_int_equal(eois[0].intid, 51);
    /* Second EOI: 53 goes in; the queue is then empty. */
    assert_int_equal(guest_eoi(0, (unsigned)lr_of(0, 50)), 50);
    assert_int_equal(nwrites, 5);
    assert_int_equal(writes[4].intid, 53);
    assert_int_equal(rd32(GICD + 0x0204), 0);
    /* Drain: every EOI reported, in order, with the right INTIDs; nothing more written. */
    uint32_t order[3] = { 52, 53, 54 };
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(guest_eoi(0, (unsigned)lr_of(0, order[i])), order[i]);
    assert_int_equal(nwrites, 5);
    assert_int_equal(neois, 5);
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(eois[2 + i].intid, order[i]);
    for (unsigned l = 0; l < VGIC_NUM_LRS; l++)
        assert_int_equal(g.cpu[0].lr_intid[l], VGIC_LR_FREE);
}

/* A raise while the INTID is in an LR is remembered and delivered after the EOI, once. */
static void raise_while_in_lr(void **state)
{
    (void)state;
    linux_like_setup();
    enable_spi(33);
    vgic_raise(&g, 0, 33);
    vgic_raise(&g, 0, 33);
    vgic_raise(&g, 0, 33); /* coalesced with the previous one */
    assert_int_equal(nwrites, 1);
    assert_int_equal(rd32(GICD + 0x0204), 1u << 1); /* pending again */
    guest_eoi(0, writes[0].lr);
    assert_int_equal(nwrites, 2);
    assert_int_equal(writes[1].intid, 33);
    guest_eoi(0, writes[1].lr);
    assert_int_equal(nwrites, 2);
    assert_int_equal(neois, 2);
}

static void guest_pend_and_active(void **state)
{
    (void)state;
    linux_like_setup();
    enable_spi(60);
    wr32(GICD + 0x0300 + 4, 1u << 28); /* guest makes 60 active */
    wr32(GICD + 0x0200 + 4, 1u << 28); /* and pending: held while active */
    assert_int_equal(nwrites, 0);
    wr32(GICD + 0x0380 + 4, 1u << 28); /* deactivate: now it goes */
    assert_int_equal(nwrites, 1);
    assert_int_equal(writes[0].intid, 60);
    /* ICPENDR drops a waiting one before it is delivered. */
    wr32(GICD + 0x0180 + 4, 1u << 29);
    vgic_raise(&g, 0, 61);
    wr32(GICD + 0x0280 + 4, 1u << 29);
    enable_spi(61);
    assert_int_equal(nwrites, 1);
}

static void port_busy(void **state)
{
    (void)state;
    linux_like_setup();
    hw_lr[0][0] = 0x80000000u | 99; /* the kernel thinks LR0 is live */
    enable_spi(33);
    vgic_raise(&g, 0, 33);
    assert_int_equal(nwrites, 1);
    assert_int_equal(writes[0].lr, 1); /* skipped to LR1 */
    assert_int_equal(g.cpu[0].lr_intid[0], VGIC_LR_STALE);
    assert_int_equal(g.num_logged, 1);
    hw_lr[0][0] = 0;
    vgic_maintenance(&g, 0, 0); /* its EOI comes: LR0 usable again */
    assert_int_equal(neois, 0); /* not ours: no callback */
    assert_int_equal(g.cpu[0].lr_intid[0], VGIC_LR_FREE);
    /* Every LR refused: the interrupt stays pending, nothing lost. */
    guest_eoi(0, 1);
    for (unsigned l = 0; l < VGIC_NUM_LRS; l++)
        hw_lr[0][l] = 0x80000000u | 99;
    unsigned n = nwrites;
    vgic_raise(&g, 0, 33);
    assert_int_equal(nwrites, n);
    assert_int_equal(rd32(GICD + 0x0204), 1u << 1);
    memset(hw_lr, 0, sizeof(hw_lr));
    vgic_maintenance(&g, 0, 2);
    assert_int_equal(nwrites, n + 1);
    assert_int_equal(writes[n].lr, 2);
}

static void bad_api_arguments(void **state)
{
    (void)state;
    linux_like_setup();
    vgic_raise(&g, 0, 128); /* beyond our SPIs */
    vgic_raise(&g, 0, 1023);
    vgic_raise(&g, 5, 27);      /* no vCPU 5 */
    vgic_maintenance(&g, 0, 3); /* LR holding nothing */
    vgic_maintenance(&g, 0, 9);
    vgic_maintenance(&g, 9, 0);
    assert_int_equal(nwrites, 0);
    assert_int_equal(neois, 0);
    vgic_raise(&g, 7, 33); /* SPI: the vCPU argument is unused */
    assert_int_equal(rd32(GICD + 0x0204), 1u << 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(enabled_goes_straight_in, reset),
        cmocka_unit_test_setup(disabled_stays_pending, reset),
        cmocka_unit_test_setup(group_disabled_stays_pending, reset),
        cmocka_unit_test_setup(group0_not_delivered, reset),
        cmocka_unit_test_setup(overflow_queue, reset),
        cmocka_unit_test_setup(raise_while_in_lr, reset),
        cmocka_unit_test_setup(guest_pend_and_active, reset),
        cmocka_unit_test_setup(port_busy, reset),
        cmocka_unit_test_setup(bad_api_arguments, reset),
    };
    return cmocka_run_group_tests_name("vgic delivery", tests, NULL, NULL);
}

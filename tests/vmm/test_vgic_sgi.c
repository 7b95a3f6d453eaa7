/* ICC_SGI1R_EL1 writes: TargetList/affinity decoding, IRM broadcast. */
#include "test_vgic_fake.h"

#define SGI1R(intid, aff1, list) (((uint64_t)(intid) << 24) | ((uint64_t)(aff1) << 16) | (list))
#define SGI1R_IRM                (1ull << 40)

static void setup4(void)
{
    vgic_init(&g, GICD, GICR, 4);
    vgic_set_eoi_callback(&g, record_eoi, &g);
    linux_like_setup();
    for (unsigned v = 0; v < 4; v++)
        wr32(SGI(v) + 0x0100, 0xffff); /* all SGIs enabled */
}

static void to_self(void **state)
{
    (void)state;
    setup4();
    vgic_sgi1r_write(&g, 2, SGI1R(5, 0, 1u << 2));
    assert_int_equal(nwrites, 1);
    assert_int_equal(writes[0].vcpu, 2);
    assert_int_equal(writes[0].intid, 5);
    assert_int_equal(guest_eoi(2, writes[0].lr), 5);
    assert_int_equal(eois[0].vcpu, 2);
    assert_int_equal(eois[0].intid, 5);
}

static void to_others(void **state)
{
    (void)state;
    setup4();
    vgic_sgi1r_write(&g, 0, SGI1R(1, 0, (1u << 1) | (1u << 3)));
    assert_int_equal(nwrites, 2);
    assert_int_equal(writes[0].vcpu, 1);
    assert_int_equal(writes[1].vcpu, 3);
    assert_int_equal(writes[0].intid, 1);
    assert_int_equal(writes[1].intid, 1);
    /* TargetList bits past the last vCPU are ignored. */
    vgic_sgi1r_write(&g, 0, SGI1R(2, 0, 0xfff0));
    assert_int_equal(nwrites, 2);
    /* Aff1/Aff2/Aff3 or RS name clusters we do not have: nobody, one log line. */
    vgic_sgi1r_write(&g, 0, SGI1R(3, 1, 1));
    vgic_sgi1r_write(&g, 0, SGI1R(3, 0, 1) | (1ull << 32));
    vgic_sgi1r_write(&g, 0, SGI1R(3, 0, 1) | (1ull << 48));
    vgic_sgi1r_write(&g, 0, SGI1R(3, 0, 1) | (1ull << 44));
    assert_int_equal(nwrites, 2);
    assert_true(g.num_logged >= 1);
    /* The SGI is pending but disabled on vCPU 0: delivered once enabled. */
    wr32(SGI(0) + 0x0180, 1u << 4);
    vgic_sgi1r_write(&g, 1, SGI1R(4, 0, 1));
    assert_int_equal(nwrites, 2);
    assert_int_equal(rd32(SGI(0) + 0x0200), 1u << 4);
    wr32(SGI(0) + 0x0100, 1u << 4);
    assert_int_equal(nwrites, 3);
    assert_int_equal(writes[2].vcpu, 0);
    assert_int_equal(writes[2].intid, 4);
}

static void irm_broadcast_excludes_self(void **state)
{
    (void)state;
    setup4();
    vgic_sgi1r_write(&g, 1, SGI1R(7, 0x12, 0xffff) | SGI1R_IRM); /* target fields ignored */
    assert_int_equal(nwrites, 3);
    bool hit[4] = { false };
    for (unsigned i = 0; i < nwrites; i++) {
        assert_int_equal(writes[i].intid, 7);
        hit[writes[i].vcpu] = true;
    }
    assert_true(hit[0] && !hit[1] && hit[2] && hit[3]);
}

static void sgi_uses_private_priority(void **state)
{
    (void)state;
    setup4();
    wr(SGI(3) + 0x0400 + 6, 1, 0x30);
    vgic_sgi1r_write(&g, 0, SGI1R(6, 0, 1u << 3));
    assert_int_equal(nwrites, 1);
    assert_int_equal(writes[0].prio, 0x30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(to_self, reset),
        cmocka_unit_test_setup(to_others, reset),
        cmocka_unit_test_setup(irm_broadcast_excludes_self, reset),
        cmocka_unit_test_setup(sgi_uses_private_priority, reset),
    };
    return cmocka_run_group_tests_name("vgic SGIs", tests, NULL, NULL);
}

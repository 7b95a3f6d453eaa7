/* Quiet SPIs (vgic_set_quiet): delivered without EOI maintenance, their list register kept until
 * another interrupt needs it, raised again in place, and never lost or reported twice. */
#include "test_vgic_fake.h"

#define QUIET 40
#define OTHER 41

static void enable_spi(uint32_t intid)
{
    wr32(GICD + 0x0100 + 4 * (intid / 32), 1u << (intid % 32));
}

/* The guest takes and completes a quiet one: the register frees itself, no exit, no report. */
static void silent_eoi(unsigned vcpu, unsigned lr)
{
    uint32_t held = hw_lr[vcpu][lr];
    assert_true(held & FAKE_LR_QUIET);
    hw_lr[vcpu][lr] = held & FAKE_LR_AGAIN ? held & ~FAKE_LR_AGAIN : 0;
}

static void setup_quiet(void)
{
    linux_like_setup();
    vgic_set_quiet(&g, QUIET);
    enable_spi(QUIET);
    enable_spi(OTHER);
}

static void goes_in_quietly_and_again_in_the_same_register(void **state)
{
    (void)state;
    setup_quiet();
    vgic_raise(&g, 0, QUIET);
    assert_int_equal(nquiet, 1);
    assert_int_equal(nwrites, 0); /* never through the EOI-reporting write */
    assert_int_equal(hw_lr[0][0], QUIET | 0x80000000u | FAKE_LR_QUIET);
    silent_eoi(0, 0);
    vgic_raise(&g, 0, QUIET);
    assert_int_equal(nquiet, 2);
    assert_int_equal(hw_lr[0][0] & FAKE_LR_INTID, QUIET);
    assert_int_equal(hw_lr[0][1] | hw_lr[0][2], 0); /* one register, however often */
    assert_int_equal(neois, 0);
}

static void raised_while_live_is_pending_again_in_place(void **state)
{
    (void)state;
    setup_quiet();
    vgic_raise(&g, 0, QUIET);
    vgic_raise(&g, 0, QUIET); /* the guest has not taken the first yet */
    assert_int_equal(hw_lr[0][0], QUIET | 0x80000000u | FAKE_LR_QUIET | FAKE_LR_AGAIN);
    assert_int_equal(rd32(GICD + 0x0204), 0); /* nothing left waiting in the vGIC */
    silent_eoi(0, 0);
    assert_int_equal(hw_lr[0][0] & FAKE_LR_INTID, QUIET); /* taken again from the same one */
    silent_eoi(0, 0);
    assert_int_equal(hw_lr[0][0], 0);
}

/* Its register is taken back once every other one is busy and the guest is done with it. */
static void register_reclaimed_when_needed(void **state)
{
    (void)state;
    setup_quiet();
    for (uint32_t i = 42; i < 44; i++)
        enable_spi(i);
    vgic_raise(&g, 0, QUIET);
    vgic_raise(&g, 0, OTHER);
    vgic_raise(&g, 0, 42);
    assert_int_equal(nwrites, 2);
    vgic_raise(&g, 0, 43); /* no register free, and the quiet one is still live */
    assert_int_equal(nwrites, 2);
    assert_int_equal(rd32(GICD + 0x0204), 1u << (43 - 32));
    silent_eoi(0, 0);
    enable_spi(44);
    vgic_raise(&g, 0, 44); /* a flush now finds the quiet register free: 43 goes first */
    assert_int_equal(nwrites, 3);
    assert_int_equal(writes[2].intid, 43);
    assert_int_equal(writes[2].lr, 0);
    assert_int_equal(rd32(GICD + 0x0204), 1u << (44 - 32));
    /* And the quiet one, raised now, waits for a register like any other. */
    vgic_raise(&g, 0, QUIET);
    assert_int_equal(nquiet, 1);
    assert_int_equal(guest_eoi(0, 1), OTHER); /* equal priorities: the lowest INTID goes first */
    assert_int_equal(hw_lr[0][1] & FAKE_LR_INTID, QUIET);
    assert_int_equal(nquiet, 2);
}

/* Reading its active state makes the vGIC look: a completed one is not reported active. */
static void active_state_is_true_after_a_silent_eoi(void **state)
{
    (void)state;
    setup_quiet();
    vgic_raise(&g, 0, QUIET);
    assert_int_equal(rd32(GICD + 0x0304), 1u << (QUIET - 32));
    silent_eoi(0, 0);
    assert_int_equal(rd32(GICD + 0x0304), 0);
    vgic_raise(&g, 0, QUIET);
    assert_int_equal(rd32(GICD + 0x0304), 1u << (QUIET - 32));
}

/* A host that ignores the flag reports the EOI: handled like any other interrupt. */
static void reported_eoi_of_a_quiet_one_is_handled(void **state)
{
    (void)state;
    setup_quiet();
    quiet_ignored = true;
    vgic_raise(&g, 0, QUIET);
    assert_int_equal(nwrites, 1);
    vgic_raise(&g, 0, QUIET); /* in a reporting register: waits for its EOI */
    assert_int_equal(nwrites, 1);
    assert_int_equal(rd32(GICD + 0x0204), 1u << (QUIET - 32));
    assert_int_equal(guest_eoi(0, 0), QUIET);
    assert_int_equal(neois, 1);
    assert_int_equal(nwrites, 2); /* delivered again after it */
    assert_int_equal(rd32(GICD + 0x0204), 0);
}

/* At most all but one register are quiet, so a waiting interrupt always has an EOI to come. */
static void one_register_always_reports(void **state)
{
    (void)state;
    linux_like_setup();
    for (uint32_t i = 32; i < 36; i++) {
        vgic_set_quiet(&g, i);
        enable_spi(i);
        vgic_raise(&g, 0, i);
    }
    assert_int_equal(nquiet, VGIC_NUM_LRS - 1);
    assert_int_equal(nwrites, 1); /* the last register reports */
    assert_int_equal(rd32(GICD + 0x0204), 1u << 3);
    for (unsigned lr = 0; lr < VGIC_NUM_LRS - 1; lr++)
        silent_eoi(0, lr);
    assert_int_equal(guest_eoi(0, VGIC_NUM_LRS - 1), 32 + VGIC_NUM_LRS - 1);
    /* Its EOI delivered the waiting one, there, reporting too (two quiet ones still held). */
    assert_int_equal(hw_lr[0][VGIC_NUM_LRS - 1], 35 | 0x80000000u);
    assert_int_equal(nwrites, 2);
}

/* Stopping the vCPU (the host empties its registers): a quiet one still held is sent again,
 * whether or not the guest was done with it, since the host's registers no longer tell. */
static void power_cycle_resends_a_held_one(void **state)
{
    (void)state;
    setup_quiet();
    vgic_raise(&g, 0, QUIET);
    silent_eoi(0, 0);
    vgic_vcpu_power(&g, 0, false);
    memset(hw_lr[0], 0, sizeof(hw_lr[0]));
    vgic_vcpu_power(&g, 0, true);
    assert_int_equal(nquiet, 2);
    assert_int_equal(hw_lr[0][0] & FAKE_LR_INTID, QUIET);
    assert_int_equal(neois, 0);
}

/* vgic_init (a guest reboot) keeps the device's wish; only SPIs can be quiet. */
static void kept_across_init_and_spis_only(void **state)
{
    (void)state;
    vgic_set_quiet(&g, QUIET);
    vgic_set_quiet(&g, 27); /* a PPI: logged and ignored */
    vgic_init(&g, GICD, GICR, 2);
    vgic_set_eoi_callback(&g, record_eoi, &g);
    linux_like_setup();
    enable_spi(QUIET);
    wr32(SGI(0) + 0x0100, 1u << 27);
    vgic_raise(&g, 0, QUIET);
    vgic_raise(&g, 0, 27);
    assert_int_equal(nquiet, 1);
    assert_int_equal(nwrites, 1);
    assert_int_equal(writes[0].intid, 27);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(goes_in_quietly_and_again_in_the_same_register, reset),
        cmocka_unit_test_setup(raised_while_live_is_pending_again_in_place, reset),
        cmocka_unit_test_setup(register_reclaimed_when_needed, reset),
        cmocka_unit_test_setup(active_state_is_true_after_a_silent_eoi, reset),
        cmocka_unit_test_setup(reported_eoi_of_a_quiet_one_is_handled, reset),
        cmocka_unit_test_setup(one_register_always_reports, reset),
        cmocka_unit_test_setup(power_cycle_resends_a_held_one, reset),
        cmocka_unit_test_setup(kept_across_init_and_spis_only, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Passthrough IRQs end to end through the VMM core and the real vGIC: a device line, the
 * kernel's masking of a fired IRQ until microkit_irq_ack (the fake counts acks), list
 * registers that the kernel refuses while busy and clears when a vCPU restarts, and guest
 * register writes. The property: a physical IRQ the VMM was told about is always either
 * pending or in a list register in the guest, or acked; and once the guest behaves, it is
 * acked and a level line still asserted is delivered again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

/* fixture.c resets the fake vGIC, which this program replaces by the real one. */
struct fake_vgic fv;
void fake_vgic_reset(void)
{
}

#define INTID FX_UART_INTID
#define CH    FX_UART_CH
#define GICD  FX_GICD
#define BIT   (1u << (INTID % 32))

static uint32_t hw_lr[VGIC_MAX_VCPUS][VGIC_NUM_LRS]; /* intid + 1, 0 = free */
static bool line;                                    /* the device asserts its (level) line */
static bool masked;        /* the kernel masked the IRQ when it fired, until the VMM acks it */
static unsigned acks;      /* acks seen so far */
static unsigned delivered; /* times INTID was written into an LR */

int vgic_port_write_lr(unsigned vcpu, unsigned lr, uint32_t intid, uint8_t priority)
{
    (void)priority;
    assert_true(vcpu < VGIC_MAX_VCPUS && lr < VGIC_NUM_LRS);
    if (hw_lr[vcpu][lr] != 0)
        return -1;
    for (unsigned l = 0; l < VGIC_NUM_LRS; l++)
        assert_int_not_equal(hw_lr[vcpu][l], intid + 1); /* never in two LRs of one vCPU */
    hw_lr[vcpu][lr] = intid + 1;
    if (intid == INTID)
        delivered++;
    return 0;
}

/* The passthrough IRQ here is never quiet; the vGIC links these all the same. */
int vgic_port_write_lr_quiet(unsigned vcpu, unsigned lr, uint32_t intid, uint8_t priority)
{
    return vgic_port_write_lr(vcpu, lr, intid, priority);
}

uint32_t vgic_port_lr_busy(unsigned vcpu)
{
    (void)vcpu;
    return ~0u;
}

static void restart_clears_lrs(unsigned id)
{
    memset(hw_lr[id - FX_VCPU_ID], 0, sizeof(hw_lr[0]));
}

/* The kernel's side of the IRQ: an ack unmasks it; an unmasked asserted line fires. */
static void pump(void)
{
    if (fp.irq_acks[CH] != acks) {
        assert_int_equal(fp.irq_acks[CH], acks + 1); /* one ack per firing */
        acks = fp.irq_acks[CH];
        assert_true(masked);
        masked = false;
    }
    if (line && !masked) {
        masked = true;
        vmm_notified(&fx.vm, CH);
        pump();
    }
}

static void dist_write(uint32_t off, uint32_t v)
{
    uint64_t val = v;
    assert_true(vgic_mmio(&fx.g, 0, GICD + off, true, 4, &val));
    pump();
}

static int lr_holding(unsigned vcpu)
{
    for (int lr = 0; lr < VGIC_NUM_LRS; lr++)
        if (hw_lr[vcpu][lr] == INTID + 1)
            return lr;
    return -1;
}

/* The guest completes LR lr of vCPU index v: the kernel frees it and reports it. */
static void guest_eoi(unsigned v, unsigned lr)
{
    assert_int_not_equal(hw_lr[v][lr], 0);
    hw_lr[v][lr] = 0;
    microkit_msginfo reply;
    uint64_t msg = fake_exit(FAULT_VGIC_MAINT, lr, 0, 0);
    assert_true(vmm_fault(&fx.vm, FX_VCPU_ID + v, msg, &reply));
    pump();
}

/* Pending in the vGIC, or in an LR of a vCPU that runs (a stopped one's LRs are cleared
 * when it restarts, and it never EOIs them). */
static bool in_guest(void)
{
    for (unsigned v = 0; v < fx.vm.num_vcpus; v++)
        if (fx.vm.vcpu[v].on && lr_holding(v) >= 0)
            return true;
    return (fx.g.spi[0].pending & BIT) != 0;
}

/* A 2-vCPU guest booted, distributor set up as Linux does, INTID routed to vCPU 0. */
static int setup(void **state)
{
    (void)state;
    memset(hw_lr, 0, sizeof(hw_lr));
    line = masked = false;
    acks = delivered = 0;
    fx_setup();
    fake_restart_hook = restart_clears_lrs;
    fx.cfg.gicr_size = 2 * VGIC_GICR_STRIDE;
    assert_int_equal(vmm_init(&fx.vm, &fx.cfg, &fx.g), 0);
    assert_int_equal(vmm_boot(&fx.vm), 0);
    vmm_vcpu_start(&fx.vm, 1, FX_RAM_IPA, 0); /* as PSCI CPU_ON does */
    dist_write(0x0000, 0x13);
    dist_write(0x0084, ~0u); /* IGROUPR1: group 1 */
    dist_write(0x0104, BIT); /* ISENABLER1 */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fake_restart_hook = NULL;
    return 0;
}

/* The sequence of the report: disable, pend, clear pending, enable. */
static void disabled_cleared_level_irq_comes_back(void **state)
{
    (void)state;
    dist_write(0x0184, BIT); /* ICENABLER1 */
    line = true;
    pump();
    assert_true(masked);
    assert_int_equal(delivered, 0);
    dist_write(0x0284, BIT);              /* ICPENDR1: the guest drops it */
    assert_int_equal(fp.irq_acks[CH], 1); /* so the VMM acks it: it is not masked forever */
    assert_true(masked);                  /* the line is still up: it fired again at once */
    assert_true(in_guest());
    dist_write(0x0104, BIT); /* ISENABLER1 */
    assert_int_equal(delivered, 1);
    line = false; /* the guest's handler serviced the device */
    guest_eoi(0, (unsigned)lr_holding(0));
    assert_int_equal(fp.irq_acks[CH], 2);
    assert_false(masked);
}

static void cleared_edge_irq_is_acked_and_gone(void **state)
{
    (void)state;
    dist_write(0x0184, BIT);
    line = true;
    pump();
    line = false; /* an edge: the device asserted it once */
    dist_write(0x0284, BIT);
    assert_int_equal(fp.irq_acks[CH], 1);
    assert_false(masked);
    dist_write(0x0104, BIT);
    assert_int_equal(delivered, 0); /* cleared means cleared, as on hardware */
}

/* Clearing the pending state of a copy in an LR changes nothing: its EOI still acks it. */
static void clear_pending_in_lr_acks_at_eoi(void **state)
{
    (void)state;
    line = true;
    pump();
    int lr = lr_holding(0);
    assert_true(lr >= 0);
    dist_write(0x0284, BIT);
    dist_write(0x0384, BIT); /* ICACTIVER1 too */
    assert_int_equal(fp.irq_acks[CH], 0);
    line = false;
    guest_eoi(0, (unsigned)lr);
    assert_int_equal(fp.irq_acks[CH], 1);
}

/* The vCPU holding it in an LR goes off (CPU_OFF): the kernel will clear that LR on the next
 * restart and never report it, so the vGIC must deliver it elsewhere. */
static void vcpu_off_with_irq_in_lr(void **state)
{
    (void)state;
    dist_write(0x6000 + 8 * INTID, 1); /* IROUTER: vCPU 1 */
    line = true;
    pump();
    assert_true(lr_holding(1) >= 0);
    vmm_vcpu_stop(&fx.vm, 1);
    assert_true(in_guest());           /* pending again, routed to an off vCPU: waits */
    dist_write(0x6000 + 8 * INTID, 0); /* the guest migrates it to vCPU 0 */
    assert_true(lr_holding(0) >= 0);
    line = false;
    guest_eoi(0, (unsigned)lr_holding(0));
    assert_int_equal(fp.irq_acks[CH], 1);
}

static void vcpu_restarted_with_irq_in_lr(void **state)
{
    (void)state;
    dist_write(0x6000 + 8 * INTID, 1);
    line = true;
    pump();
    assert_true(lr_holding(1) >= 0);
    vmm_vcpu_stop(&fx.vm, 1);
    vmm_vcpu_start(&fx.vm, 1, FX_RAM_IPA, 0); /* CPU_ON again: its LRs were cleared */
    int lr = lr_holding(1);
    assert_true(lr >= 0); /* delivered again into the fresh LRs */
    line = false;
    guest_eoi(1, (unsigned)lr);
    assert_int_equal(fp.irq_acks[CH], 1);
}

/* The virtual timer PPI: clearing its pending state acks the vPPI, so it can fire again. */
static void cleared_vppi_is_acked(void **state)
{
    (void)state;
    uint64_t v = 1u << VMM_VTIMER_PPI;
    assert_true(vgic_mmio(&fx.g, 0, FX_GICR + 0x10000 + 0x180, true, 4, &v)); /* ICENABLER0 */
    unsigned before = fp.vppi_acks[FX_VCPU_ID];
    microkit_msginfo reply;
    assert_true(vmm_fault(&fx.vm, FX_VCPU_ID, fake_exit(FAULT_VPPI, VMM_VTIMER_PPI, 0, 0), &reply));
    assert_true(vgic_mmio(&fx.g, 0, FX_GICR + 0x10000 + 0x280, true, 4, &v)); /* ICPENDR0 */
    assert_int_equal(fp.vppi_acks[FX_VCPU_ID], before + 1);
}

static uint32_t rng = 12345;
static unsigned rnd(unsigned n)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 16) % n;
}

/* Random guest behaviour, then a well-behaved guest: nothing may stay masked. */
static void random_sequences_lose_nothing(void **state)
{
    for (unsigned run = 0; run < 3000; run++) {
        setup(state);
        bool level = rnd(2);
        for (unsigned step = 0; step < 24; step++) {
            switch (rnd(14)) {
            case 0:
                line = true;
                pump();
                if (!level)
                    line = false;
                break;
            case 1: line = false; break;
            case 2: dist_write(0x0104, BIT); break;
            case 3: dist_write(0x0184, BIT); break;
            case 4: dist_write(0x0204, BIT); break;
            case 5: dist_write(0x0284, BIT); break;
            case 6: dist_write(0x0304, BIT); break;
            case 7: dist_write(0x0384, BIT); break;
            case 8: dist_write(0x0084, rnd(2) ? ~0u : 0); break;
            case 9: dist_write(0x0000, rnd(2) ? 0x13 : 0); break;
            case 10: dist_write(0x6000 + 8 * INTID, rnd(3) == 2 ? 7 : rnd(2)); break;
            case 11: dist_write(0x0400 + INTID - (INTID % 4), rnd(256) << 8); break;
            case 12:
                if (fx.vm.vcpu[1].on)
                    vmm_vcpu_stop(&fx.vm, 1);
                else
                    vmm_vcpu_start(&fx.vm, 1, FX_RAM_IPA, 0);
                pump();
                break;
            case 13: {
                unsigned v = rnd(2), lr = rnd(VGIC_NUM_LRS);
                if (fx.vm.vcpu[v].on && hw_lr[v][lr] != 0) {
                    if (level && rnd(2))
                        line = false; /* the handler serviced the device */
                    guest_eoi(v, lr);
                }
                break;
            }
            }
            if (masked)
                assert_true(in_guest());
        }
        /* Now the guest behaves: it sets everything up and handles what comes. */
        bool asserted = line;
        bool was_in_lr = lr_holding(0) >= 0 || (fx.vm.vcpu[1].on && lr_holding(1) >= 0);
        unsigned before = delivered;
        if (!fx.vm.vcpu[1].on)
            vmm_vcpu_start(&fx.vm, 1, FX_RAM_IPA, 0);
        dist_write(0x0384, BIT);
        dist_write(0x0084, ~0u);
        dist_write(0x6000 + 8 * INTID, 0);
        dist_write(0x0104, BIT);
        dist_write(0x0000, 0x13);
        for (unsigned round = 0; round < 8; round++)
            for (unsigned v = 0; v < 2; v++)
                for (unsigned lr = 0; lr < VGIC_NUM_LRS; lr++)
                    if (hw_lr[v][lr] != 0) {
                        if (hw_lr[v][lr] == INTID + 1)
                            line = false;
                        guest_eoi(v, lr);
                    }
        assert_false(masked);
        assert_false(in_guest());
        if (asserted)
            assert_true(delivered > before || was_in_lr);
        teardown(state);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(disabled_cleared_level_irq_comes_back, setup, teardown),
        cmocka_unit_test_setup_teardown(cleared_edge_irq_is_acked_and_gone, setup, teardown),
        cmocka_unit_test_setup_teardown(clear_pending_in_lr_acks_at_eoi, setup, teardown),
        cmocka_unit_test_setup_teardown(vcpu_off_with_irq_in_lr, setup, teardown),
        cmocka_unit_test_setup_teardown(vcpu_restarted_with_irq_in_lr, setup, teardown),
        cmocka_unit_test_setup_teardown(cleared_vppi_is_acked, setup, teardown),
        cmocka_unit_test(random_sequences_lose_nothing),
    };
    return cmocka_run_group_tests_name("passthrough IRQs through the real vGIC", tests, NULL, NULL);
}

/*
 * The MMIO table: registration (the vGIC's frames at init, overlap, wrap, empty, full) and the
 * stage-2 path through it (the right handler, offset, width, direction and value; a refusing
 * device and an address in no range both take the foreign-access way).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "esr.h"
#include "fixture.h"

#define ID       FX_VCPU_ID
#define GUEST_PC 0x40001000ull
#define DEV_A    0x0a000000ull /* two test devices beside each other */
#define DEV_B    0x0a001000ull
#define PAGE     0x1000ull

struct dev {
    unsigned calls;
    unsigned vcpu;
    uint64_t off;
    unsigned size;
    bool write;
    uint64_t value; /* written, or what a read returns */
    bool refuse;
};

static struct dev dev_a, dev_b;

static bool dev_access(void *ctx, unsigned vcpu, uint64_t off, unsigned size, bool write, uint64_t *value)
{
    struct dev *d = ctx;
    d->calls++;
    d->vcpu = vcpu;
    d->off = off;
    d->size = size;
    d->write = write;
    if (write)
        d->value = *value;
    else
        *value = d->value;
    return !d->refuse;
}

/* A data abort with a syndrome: SAS = log2(size), SRT = rt, sign-extending when asked. */
static uint64_t dabt(unsigned size, unsigned rt, bool write, bool sse)
{
    unsigned sas = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
    return (uint64_t)ESR_EC_DABT_LOW << 26 | ESR_IL | ESR_DABT_ISV | (uint64_t)sas << 22 |
           (sse ? ESR_DABT_SSE : 0) | (uint64_t)rt << 16 | ESR_DABT_SF | (write ? ESR_DABT_WNR : 0) | 0x07;
}

static bool access_at(uint64_t ipa, uint64_t esr)
{
    microkit_msginfo reply;
    return vmm_fault(&fx.vm, ID, fake_exit(FAULT_VM, GUEST_PC, ipa, esr), &reply);
}

static void boot_with_devices(void)
{
    fx_boot();
    memset(&dev_a, 0, sizeof(dev_a));
    memset(&dev_b, 0, sizeof(dev_b));
    assert_int_equal(vmm_mmio_register(&fx.vm, DEV_A, PAGE, dev_access, &dev_a, "dev-a"), 0);
    assert_int_equal(vmm_mmio_register(&fx.vm, DEV_B, PAGE, dev_access, &dev_b, "dev-b"), 0);
}

static void vgic_registers_its_frames_at_init(void **state)
{
    (void)state;
    fx_setup();
    fx.cfg.gicr_size = 2 * VGIC_GICR_STRIDE;
    assert_int_equal(vmm_init(&fx.vm, &fx.cfg, &fx.g), 0);
    const struct vmm_mmio_table *t = &fx.vm.mmio;
    assert_int_equal(t->num, 2);
    assert_int_equal(t->range[0].base, FX_GICD);
    assert_int_equal(t->range[0].size, VGIC_GICD_SIZE);
    assert_string_equal(t->range[0].name, "GICD");
    assert_int_equal(t->range[1].base, FX_GICR);
    assert_int_equal(t->range[1].size, 2 * VGIC_GICR_STRIDE);
    assert_string_equal(t->range[1].name, "GICR");
    assert_string_equal(fv.name, FX_NAME);
    /* the edges: first and last byte in, one past out */
    assert_ptr_equal(vmm_mmio_find(t, FX_GICD), &t->range[0]);
    assert_ptr_equal(vmm_mmio_find(t, FX_GICD + VGIC_GICD_SIZE - 1), &t->range[0]);
    assert_null(vmm_mmio_find(t, FX_GICD + VGIC_GICD_SIZE));
    assert_null(vmm_mmio_find(t, FX_GICD - 1));
    assert_ptr_equal(vmm_mmio_find(t, FX_GICR + 2 * VGIC_GICR_STRIDE - 1), &t->range[1]);
    assert_null(vmm_mmio_find(t, FX_GICR + 2 * VGIC_GICR_STRIDE));
}

static void overlapping_ranges_are_refused(void **state)
{
    (void)state;
    boot_with_devices();
    /* over the end of dev-a, over the start of dev-b, inside, around */
    assert_int_not_equal(vmm_mmio_register(&fx.vm, DEV_A - 0x800, PAGE, dev_access, &dev_a, "new"), 0);
    assert_int_equal(fake_log_count("vmm: guest 'linux': MMIO range 'new' 0x9fff800-0xa000800 overlaps "
                                    "'dev-a' 0xa000000-0xa001000: not registered"),
                     1);
    assert_int_not_equal(vmm_mmio_register(&fx.vm, DEV_B + PAGE - 4, 8, dev_access, &dev_a, "new"), 0);
    assert_int_equal(fake_log_count("overlaps 'dev-b' 0xa001000-0xa002000"), 1);
    assert_int_not_equal(vmm_mmio_register(&fx.vm, DEV_A + 0x10, 4, dev_access, &dev_a, "new"), 0);
    assert_int_not_equal(vmm_mmio_register(&fx.vm, 0, ~0ull, dev_access, &dev_a, "all"), 0);
    assert_int_equal(
        fake_log_count("MMIO range 'all' 0x0-0xffffffffffffffff overlaps 'GICD' 0x8000000-0x8010000"), 1);
    assert_int_equal(fx.vm.mmio.num, 4);
    /* touching is not overlapping */
    assert_int_equal(vmm_mmio_register(&fx.vm, DEV_B + PAGE, PAGE, dev_access, &dev_a, "dev-c"), 0);
    assert_int_equal(vmm_mmio_register(&fx.vm, DEV_A - PAGE, PAGE, dev_access, &dev_a, "dev-d"), 0);
    assert_int_equal(fx.vm.mmio.num, 6);
}

static void wrapping_empty_and_handlerless_ranges_are_refused(void **state)
{
    (void)state;
    fx_boot();
    assert_int_not_equal(vmm_mmio_register(&fx.vm, 0xfffffffffffff000ull, 0x2000, dev_access, &dev_a, "wrap"),
                         0);
    assert_int_equal(
        fake_log_count("vmm: guest 'linux': MMIO range 'wrap' at 0xfffffffffffff000 of 0x2000 bytes "
                       "runs past the end of the address space: not registered"),
        1);
    /* ending exactly at 2^64 has no end address either */
    assert_int_not_equal(vmm_mmio_register(&fx.vm, 0xfffffffffffff000ull, 0x1000, dev_access, &dev_a, "top"),
                         0);
    assert_int_not_equal(vmm_mmio_register(&fx.vm, DEV_A, 0, dev_access, &dev_a, "empty"), 0);
    assert_int_equal(fake_log_count("MMIO range 'empty' at 0xa000000 of 0x0 bytes: empty: not registered"),
                     1);
    assert_int_not_equal(vmm_mmio_register(&fx.vm, DEV_A, PAGE, NULL, &dev_a, "nofn"), 0);
    assert_int_equal(fake_log_count("MMIO range 'nofn' at 0xa000000 of 0x1000 bytes: no handler"), 1);
    assert_int_equal(fx.vm.mmio.num, 2); /* the vGIC's only */
    /* the last page below 2^64 is fine */
    assert_int_equal(vmm_mmio_register(&fx.vm, 0xffffffffffffe000ull, 0x1000, dev_access, &dev_a, "high"), 0);
}

static void a_full_table_refuses_more(void **state)
{
    (void)state;
    fx_boot();
    unsigned room = VMM_MAX_MMIO_RANGES - fx.vm.mmio.num;
    for (unsigned i = 0; i < room; i++)
        assert_int_equal(vmm_mmio_register(&fx.vm, DEV_A + i * PAGE, PAGE, dev_access, &dev_a, "dev"), 0);
    assert_int_not_equal(vmm_mmio_register(&fx.vm, 0x20000000, PAGE, dev_access, &dev_a, "one-more"), 0);
    assert_int_equal(
        fake_log_count("vmm: guest 'linux': MMIO range 'one-more' 0x20000000-0x20001000: the table "
                       "is full (16 ranges): not registered"),
        1);
    assert_int_equal(fx.vm.mmio.num, VMM_MAX_MMIO_RANGES);
    /* every one registered is still found */
    for (unsigned i = 0; i < room; i++)
        assert_non_null(vmm_mmio_find(&fx.vm.mmio, DEV_A + i * PAGE + 0xffc));
}

static void accesses_reach_their_device_at_their_offset(void **state)
{
    (void)state;
    boot_with_devices();
    uint64_t *regs = fp.regs[ID];
    regs[7] = 0x1122334455667788ull;
    assert_true(access_at(DEV_B + 0x50, dabt(4, 7, true, false)));
    assert_int_equal(dev_b.calls, 1);
    assert_int_equal(dev_a.calls, 0);
    assert_int_equal(dev_b.off, 0x50);
    assert_int_equal(dev_b.size, 4);
    assert_true(dev_b.write);
    assert_int_equal(dev_b.value, 0x55667788); /* only the bytes the store writes */
    assert_int_equal(dev_b.vcpu, 0);
    assert_int_equal(regs[VMM_REG_PC], GUEST_PC + 4);
    /* a read: the device's bytes, sign-extended as the LDRSB says */
    dev_a.value = 0x80;
    assert_true(access_at(DEV_A + 0xfff, dabt(1, 3, false, true)));
    assert_int_equal(dev_a.calls, 1);
    assert_int_equal(dev_a.off, 0xfff);
    assert_int_equal(dev_a.size, 1);
    assert_false(dev_a.write);
    assert_int_equal(regs[3], 0xffffffffffffff80ull);
    /* the vGIC's frames go to the vGIC, by offset */
    assert_true(access_at(FX_GICR + 0x10100, dabt(4, 2, false, false)));
    assert_int_equal(fv.mmio_calls, 1);
    assert_true(fv.mmio_redist);
    assert_int_equal(fv.mmio_off, 0x10100);
    assert_true(access_at(FX_GICD + 0x4, dabt(8, 2, true, false)));
    assert_false(fv.mmio_redist);
    assert_int_equal(fv.mmio_off, 4);
    assert_int_equal(fv.mmio_size, 8);
    assert_int_equal(dev_a.calls + dev_b.calls, 2);
    assert_int_equal(fake_log_count("vmm:"), 1); /* the boot line, nothing else */
}

static void a_refusing_device_gets_the_guest_an_abort(void **state)
{
    (void)state;
    boot_with_devices();
    dev_b.refuse = true;
    assert_true(access_at(DEV_B + 0x70, dabt(2, 1, true, false)));
    assert_int_equal(dev_b.calls, 1);
    assert_int_equal(fp.regs[ID][VMM_REG_PC], 0x200); /* VBAR_EL1 (0) + 0x200: the abort's vector */
    assert_int_equal(fake_log_count("vmm: guest 'linux': write of IPA 0xa001070 (2 bytes, 'dev-b' + 0x70) pc "
                                    "0x40001000: refused by the device: synchronous external abort injected"),
                     1);
}

static void an_address_in_no_range_is_a_foreign_access(void **state)
{
    (void)state;
    boot_with_devices();
    assert_true(access_at(DEV_B + PAGE, dabt(4, 1, false, false)));
    assert_int_equal(dev_a.calls + dev_b.calls + fv.mmio_calls, 0);
    assert_int_equal(
        fake_log_count("vmm: guest 'linux': unhandled stage-2 fault at IPA 0xa002000 (read, 4 bytes) "
                       "pc 0x40001000: synchronous external abort injected"),
        1);
    /* the redistributors end with the guest's one vCPU */
    assert_true(access_at(FX_GICR + VGIC_GICR_STRIDE, dabt(4, 1, false, false)));
    assert_int_equal(fv.mmio_calls, 0);
    assert_int_equal(fake_log_count("unhandled stage-2 fault at IPA 0x80c0000"), 1);
}

static void overlapping_gic_frames_fail_init(void **state)
{
    (void)state;
    fx_setup();
    fx.cfg.gicr_ipa = FX_GICD + 0x8000;
    assert_int_not_equal(vmm_init(&fx.vm, &fx.cfg, &fx.g), 0);
    assert_int_equal(
        fake_log_count("vmm: guest 'linux': MMIO range 'GICR' 0x8008000-0x8028000 overlaps 'GICD' "
                       "0x8000000-0x8010000: not registered"),
        1);
    /* no guest, and nothing left to act on */
    assert_int_not_equal(vmm_boot(&fx.vm), 0);
    assert_int_equal(fx.vm.mmio.num, 0);
    microkit_msginfo reply;
    assert_false(
        vmm_fault(&fx.vm, ID, fake_exit(FAULT_VM, GUEST_PC, FX_GICD, dabt(4, 1, false, false)), &reply));
    assert_int_equal(fv.mmio_calls, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vgic_registers_its_frames_at_init),
        cmocka_unit_test(overlapping_ranges_are_refused),
        cmocka_unit_test(wrapping_empty_and_handlerless_ranges_are_refused),
        cmocka_unit_test(a_full_table_refuses_more),
        cmocka_unit_test(accesses_reach_their_device_at_their_offset),
        cmocka_unit_test(a_refusing_device_gets_the_guest_an_abort),
        cmocka_unit_test(an_address_in_no_range_is_a_foreign_access),
        cmocka_unit_test(overlapping_gic_frames_fail_init),
    };
    return cmocka_run_group_tests_name("mmio_table", tests, NULL, NULL);
}

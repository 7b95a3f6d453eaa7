/*
 * The VMM's exit counters (exit_stats.c): each kind of exit lands in its own counter (stage-2
 * faults by the region they hit, traps by exception class), the line printed at SYSTEM_OFF and
 * SYSTEM_RESET carries them, this call included, before the PSCI handler's own line, and a
 * reset starts the next boot's count from zero.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "esr.h"
#include "exit_stats.h"
#include "fixture.h"
#include "psci.h"
#include "sysreg.h"

#define GUEST_PC 0x40003000ull
#define ID0      FX_VCPU_ID
#define DABT_W32 ((uint64_t)ESR_EC_DABT_LOW << 26 | ESR_IL | ESR_DABT_ISV | 2u << 22 | 1u << 16 | 0x07u)

static struct vmm_exit stage2_at(uint64_t addr)
{
    return (struct vmm_exit){ .kind = VMM_EXIT_STAGE2, .addr = addr, .esr = DABT_W32 };
}

static struct vmm_exit trap_ec(unsigned ec)
{
    return (struct vmm_exit){ .kind = VMM_EXIT_TRAP, .esr = (uint64_t)ec << 26 | ESR_IL };
}

static enum exit_stat_kind classify(struct vmm_exit e)
{
    return exit_stats_classify(&e, FX_GICD, FX_GICR, 2 * VGIC_GICR_STRIDE);
}

static void classify_by_region_and_class(void **state)
{
    (void)state;
    assert_int_equal(classify(stage2_at(FX_GICD)), EXIT_STAT_GICD);
    assert_int_equal(classify(stage2_at(FX_GICD + VGIC_GICD_SIZE - 4)), EXIT_STAT_GICD);
    assert_int_equal(classify(stage2_at(FX_GICD + VGIC_GICD_SIZE)), EXIT_STAT_MMIO_OTHER);
    assert_int_equal(classify(stage2_at(FX_GICD - 4)), EXIT_STAT_MMIO_OTHER);
    assert_int_equal(classify(stage2_at(FX_GICR)), EXIT_STAT_GICR);
    assert_int_equal(classify(stage2_at(FX_GICR + 2 * VGIC_GICR_STRIDE - 4)), EXIT_STAT_GICR);
    assert_int_equal(classify(stage2_at(FX_GICR + 2 * VGIC_GICR_STRIDE)), EXIT_STAT_MMIO_OTHER);
    assert_int_equal(classify(stage2_at(0x0a000000)), EXIT_STAT_MMIO_OTHER);
    /* an instruction fetch counts by its address like a load */
    struct vmm_exit fetch = { .kind = VMM_EXIT_STAGE2,
                              .addr = FX_GICD,
                              .esr = (uint64_t)ESR_EC_IABT_LOW << 26 };
    assert_int_equal(classify(fetch), EXIT_STAT_GICD);
    /* a region at the top of the address space: base + size wraps, nothing low matches it */
    struct vmm_exit low = stage2_at(0x100);
    assert_int_equal(exit_stats_classify(&low, ~0ull - 0xff, ~0ull - 0xff, 0x20000), EXIT_STAT_MMIO_OTHER);
    struct vmm_exit top = stage2_at(~0ull - 4);
    assert_int_equal(exit_stats_classify(&top, ~0ull - 0xff, 0, 0), EXIT_STAT_GICD);

    assert_int_equal(classify(trap_ec(ESR_EC_HVC64)), EXIT_STAT_HVC);
    assert_int_equal(classify(trap_ec(ESR_EC_SMC64)), EXIT_STAT_SMC);
    assert_int_equal(classify(trap_ec(ESR_EC_SYS64)), EXIT_STAT_SYSREG);
    assert_int_equal(classify(trap_ec(ESR_EC_WFX)), EXIT_STAT_WFX);
    assert_int_equal(classify(trap_ec(ESR_EC_UNKNOWN)), EXIT_STAT_OTHER);
    assert_int_equal(classify(trap_ec(ESR_EC_HVC32)), EXIT_STAT_OTHER);
    assert_int_equal(classify((struct vmm_exit){ .kind = VMM_EXIT_VGIC_MAINT }), EXIT_STAT_VGIC_MAINT);
    assert_int_equal(classify((struct vmm_exit){ .kind = VMM_EXIT_VPPI }), EXIT_STAT_VPPI);
    assert_int_equal(classify((struct vmm_exit){ .kind = VMM_EXIT_OTHER }), EXIT_STAT_OTHER);
}

static void format_names_every_counter(void **state)
{
    (void)state;
    struct exit_stats s;
    exit_stats_clear(&s);
    for (unsigned k = 0; k < EXIT_STAT_KINDS; k++)
        for (unsigned i = 0; i <= k; i++)
            exit_stats_count(&s, (enum exit_stat_kind)k);
    exit_stats_count(&s, EXIT_STAT_KINDS); /* not a kind: dropped */
    assert_int_equal(exit_stats_total(&s), 55);
    char buf[200];
    exit_stats_format(&s, buf, sizeof(buf));
    assert_string_equal(buf, "total=55 mmio=6 gicd=1 gicr=2 mmio_other=3 vgic_maint=4 vppi=5 hvc=6 smc=7 "
                             "sysreg=8 wfx=9 other=10");
    /* a short buffer is cut, never overrun, and stays terminated */
    char small[12];
    memset(small, 'x', sizeof(small));
    exit_stats_format(&s, small, 8);
    assert_string_equal(small, "total=5");
    assert_int_equal(small[8], 'x');
    exit_stats_clear(&s);
    assert_int_equal(exit_stats_total(&s), 0);
}

static bool exit_(uint64_t label, uint64_t mr0, uint64_t addr, uint64_t esr)
{
    microkit_msginfo reply;
    return vmm_fault(&fx.vm, ID0, fake_exit(label, mr0, addr, esr), &reply);
}

static bool hvc(uint32_t fid)
{
    fp.regs[ID0][0] = fid;
    return exit_(FAULT_VCPU, GUEST_PC + 4, 0, (uint64_t)ESR_EC_HVC64 << 26 | ESR_IL);
}

static bool smc(uint32_t fid)
{
    fp.regs[ID0][0] = fid;
    return exit_(FAULT_VCPU, GUEST_PC, 0, (uint64_t)ESR_EC_SMC64 << 26 | ESR_IL);
}

/* Where in the log `needle` starts, or -1. */
static long log_at(const char *needle)
{
    const char *p = strstr(fp.log, needle);
    return p != NULL ? p - fp.log : -1;
}

static void boot_counted(void)
{
    fx_boot();
    exit_stats_clear(vmm_exit_stats()); /* one set per VMM PD: the tests share it */
}

static void power_off_prints_the_counts(void **state)
{
    (void)state;
    boot_counted();
    assert_true(exit_(FAULT_VM, GUEST_PC, FX_GICD + 4, DABT_W32));
    assert_true(exit_(FAULT_VM, GUEST_PC, FX_GICR + 0x10000, DABT_W32));
    assert_true(exit_(FAULT_VM, GUEST_PC, FX_GICR + 0x14, DABT_W32));
    assert_true(exit_(FAULT_VM, GUEST_PC, 0x0a000000, DABT_W32)); /* refused: an abort injected */
    assert_true(exit_(FAULT_VPPI, 27, 0, 0));
    assert_true(exit_(FAULT_VGIC_MAINT, 1, 0, 0));
    uint64_t sgi1r = (uint64_t)ESR_EC_SYS64 << 26 | ESR_IL | SYSREG_ICC_SGI1R_EL1 | 3u << 5;
    assert_true(exit_(FAULT_VCPU, GUEST_PC, 0, sgi1r));
    assert_true(hvc(PSCI_VERSION));
    assert_true(smc(SMCCC_VERSION_FID));
    assert_int_equal(exit_stats_total(vmm_exit_stats()), 9);
    /* a child that is not one of the guest's vCPUs is not the guest's exit */
    microkit_msginfo reply;
    assert_false(vmm_fault(&fx.vm, ID0 + 5, fake_exit(FAULT_VCPU, GUEST_PC, 0, sgi1r), &reply));
    assert_int_equal(exit_stats_total(vmm_exit_stats()), 9);

    assert_false(hvc(PSCI_SYSTEM_OFF));
    const char *line = "vmm: guest 'linux' exits: total=10 mmio=4 gicd=1 gicr=2 mmio_other=1 vgic_maint=1 "
                       "vppi=1 hvc=2 smc=1 sysreg=1 wfx=0 other=0";
    assert_int_equal(fake_log_count(line), 1);
    long counts = log_at(line), off = log_at("vmm: guest 'linux' powered off");
    assert_true(counts >= 0 && off > counts); /* the counts come before the guest is gone */
    assert_int_equal(exit_stats_total(vmm_exit_stats()), 0);
}

static void reset_starts_the_count_again(void **state)
{
    (void)state;
    boot_counted();
    assert_true(exit_(FAULT_VPPI, 27, 0, 0));
    assert_true(exit_(FAULT_VPPI, 27, 0, 0));
    assert_false(smc(PSCI_SYSTEM_RESET));
    assert_int_equal(fake_log_count("vmm: guest 'linux' exits: total=3 mmio=0 gicd=0 gicr=0 mmio_other=0 "
                                    "vgic_maint=0 vppi=2 hvc=0 smc=1 sysreg=0 wfx=0 other=0"),
                     1);
    assert_true(log_at("exits: total=3") < log_at("vmm: guest 'linux' reset: reloading"));
    /* the next boot counts from zero */
    assert_true(exit_(FAULT_VM, GUEST_PC, FX_GICD, DABT_W32));
    assert_false(hvc(PSCI_SYSTEM_OFF));
    assert_int_equal(fake_log_count("vmm: guest 'linux' exits: total=2 mmio=1 gicd=1 gicr=0 mmio_other=0 "
                                    "vgic_maint=0 vppi=0 hvc=1 smc=0 sysreg=0 wfx=0 other=0"),
                     1);
}

static void other_calls_print_nothing(void **state)
{
    (void)state;
    boot_counted();
    assert_true(hvc(PSCI_VERSION));
    assert_true(hvc(0xc2000006u)); /* unsupported: logged, but no counts */
    assert_false(hvc(PSCI_CPU_OFF));
    assert_int_equal(fake_log_count("exits:"), 0);
    assert_int_equal(exit_stats_total(vmm_exit_stats()), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(classify_by_region_and_class), cmocka_unit_test(format_names_every_counter),
        cmocka_unit_test(power_off_prints_the_counts),  cmocka_unit_test(reset_starts_the_count_again),
        cmocka_unit_test(other_calls_print_nothing),
    };
    return cmocka_run_group_tests_name("exit_stats", tests, NULL, NULL);
}

/* SMCCC 1.1 and PSCI 1.1 through SMC and HVC exits: results, argument checks, side effects. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "esr.h"
#include "fixture.h"
#include "psci.h"

#define GUEST_PC 0x40002000ull
#define ID0      FX_VCPU_ID
#define ID1      (FX_VCPU_ID + 1)

static uint64_t *regs0;

/* The guest on vCPU index 0 executes SMC #0 (smc) or HVC #0 with x0..x3. The kernel reports
 * an SMC at the SMC itself and an HVC at the next instruction. */
static bool call(bool smc, uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
    regs0[0] = fid;
    regs0[1] = a1;
    regs0[2] = a2;
    regs0[3] = a3;
    uint64_t pc = smc ? GUEST_PC : GUEST_PC + 4;
    regs0[VMM_REG_PC] = pc;
    uint64_t esr = (uint64_t)(smc ? ESR_EC_SMC64 : ESR_EC_HVC64) << 26 | ESR_IL;
    microkit_msginfo reply;
    return vmm_fault(&fx.vm, ID0, fake_exit(FAULT_VCPU, pc, 0, esr), &reply);
}

static int64_t x0(void)
{
    return (int64_t)regs0[0];
}

static void boot(void)
{
    fx_boot();
    regs0 = fp.regs[ID0];
}

/* A two-vCPU guest (two redistributor frames): index 1 is id ID1, MPIDR 0x80000001, off. */
static void boot_two_vcpus(void)
{
    fx_setup();
    fx.cfg.gicr_size = 2 * VGIC_GICR_STRIDE;
    assert_int_equal(vmm_init(&fx.vm, &fx.cfg, &fx.g), 0);
    assert_int_equal(vmm_boot(&fx.vm), 0);
    regs0 = fp.regs[ID0];
    assert_int_equal(fx.vm.num_vcpus, 2);
    assert_int_equal(fv.num_vcpus, 2);
    assert_int_equal(fp.bound[1], ID1);
    assert_int_equal(fp.regs[ID1][VMM_REG_MPIDR], 0x80000001ull);
    assert_int_equal(fp.restarts[ID1], 0);
}

static void versions(void **state)
{
    (void)state;
    boot();
    assert_true(call(true, PSCI_VERSION, 0, 0, 0));
    assert_int_equal(x0(), 0x10001);
    assert_int_equal(regs0[VMM_REG_PC], GUEST_PC + 4); /* SMC stepped over */
    assert_true(call(false, SMCCC_VERSION_FID, 0, 0, 0));
    assert_int_equal(x0(), 0x10001);
    assert_int_equal(regs0[VMM_REG_PC], GUEST_PC + 4);                    /* HVC already past: unchanged */
    assert_true(call(false, SMCCC_ARCH_FEATURES_FID, 0x80008000u, 0, 0)); /* WORKAROUND_1 */
    assert_int_equal(x0(), -1);
    assert_true(call(true, SMCCC_ARCH_FEATURES_FID, SMCCC_VERSION_FID, 0, 0));
    assert_int_equal(x0(), -1);
    assert_true(call(true, PSCI_MIGRATE_INFO_TYPE, 0, 0, 0));
    assert_int_equal(x0(), 2);
    assert_int_equal(fake_log_count("unsupported"), 0);
}

static void features(void **state)
{
    (void)state;
    boot();
    static const uint32_t yes[] = { PSCI_VERSION,           PSCI_CPU_OFF,       PSCI_CPU_ON,
                                    PSCI_CPU_ON_64,         PSCI_AFFINITY_INFO, PSCI_AFFINITY_INFO_64,
                                    PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF,    PSCI_SYSTEM_RESET,
                                    PSCI_FEATURES,          SMCCC_VERSION_FID };
    static const uint32_t no[] = { PSCI_CPU_SUSPEND, 0xc4000001u,
                                   0x84000005u,      0x8400000eu,
                                   0x84000012u,      SMCCC_ARCH_FEATURES_FID,
                                   0xc2000006u,      0 };
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        assert_true(call(true, PSCI_FEATURES, yes[i], 0, 0));
        assert_int_equal(x0(), 0);
    }
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        assert_true(call(true, PSCI_FEATURES, no[i], 0, 0));
        assert_int_equal(x0(), PSCI_NOT_SUPPORTED);
    }
    /* 32-bit convention: the upper half of x1 is not part of the argument */
    assert_true(call(true, PSCI_FEATURES, 0xffffffff00000000ull | PSCI_VERSION, 0, 0));
    assert_int_equal(x0(), 0);
}

static void unknown_function_returns_not_supported_once_logged(void **state)
{
    (void)state;
    boot();
    regs0[1] = 0x1111;
    assert_true(call(true, 0xc2000006u, 0, 0, 0)); /* the i.MX SiP version call */
    assert_int_equal(x0(), -1);
    assert_int_equal(regs0[VMM_REG_PC], GUEST_PC + 4);
    assert_int_equal(fake_log_count("vmm: guest 'linux': unsupported SMC/HVC function 0xc2000006 "
                                    "\u2192 NOT_SUPPORTED"),
                     1);
    assert_true(call(false, 0xc2000006u, 0, 0, 0));
    assert_int_equal(x0(), -1);
    assert_int_equal(fake_log_count("0xc2000006"), 1); /* one line, not one per call */
    assert_true(call(true, PSCI_CPU_SUSPEND, 0, 0, 0));
    assert_int_equal(x0(), -1);
    assert_int_equal(fake_log_count("unsupported SMC/HVC function 0x84000001"), 1);
    assert_int_equal(fp.stops[ID0], 0);
}

static void cpu_on_argument_checks(void **state)
{
    (void)state;
    boot_two_vcpus();
    uint64_t entry = FX_RAM_IPA + 0x3000;
    assert_true(call(true, PSCI_CPU_ON_64, 0x80000000ull, entry, 0)); /* itself */
    assert_int_equal(x0(), PSCI_ALREADY_ON);
    assert_true(call(true, PSCI_CPU_ON_64, 2, entry, 0)); /* no vCPU 2 */
    assert_int_equal(x0(), PSCI_INVALID_PARAMETERS);
    assert_true(call(true, PSCI_CPU_ON_64, 0x101, entry, 0)); /* Aff1 = 1: no such cluster */
    assert_int_equal(x0(), PSCI_INVALID_PARAMETERS);
    assert_true(call(true, PSCI_CPU_ON_64, 0x100000001ull, entry, 0)); /* Aff3 = 1 */
    assert_int_equal(x0(), PSCI_INVALID_PARAMETERS);
    assert_true(call(true, PSCI_CPU_ON_64, 1, 0x1000, 0)); /* entry outside RAM */
    assert_int_equal(x0(), PSCI_INVALID_ADDRESS);
    assert_true(call(true, PSCI_CPU_ON_64, 1, entry + 2, 0)); /* misaligned entry */
    assert_int_equal(x0(), PSCI_INVALID_ADDRESS);
    assert_int_equal(fp.restarts[ID1], 0);
}

static void cpu_on_starts_the_target_fresh(void **state)
{
    (void)state;
    boot_two_vcpus();
    uint64_t entry = FX_RAM_IPA + 0x3000;
    fp.regs[ID1][5] = 0x55;
    fp.regs[ID1][VMM_REG_SCTLR] = 0x30d0180d; /* left over from an earlier run */
    assert_true(call(false, PSCI_CPU_ON_64, 0x80000001ull, entry, 0xc0ffee));
    assert_int_equal(x0(), PSCI_SUCCESS);
    assert_int_equal(fp.restarts[ID1], 1);
    assert_int_equal(fp.restart_pc[ID1], entry);
    assert_int_equal(fp.regs[ID1][0], 0xc0ffee);
    assert_int_equal(fp.regs[ID1][5], 0);
    assert_int_equal(fp.regs[ID1][VMM_REG_SPSR], 0x3c5);
    assert_int_equal(fp.regs[ID1][VMM_REG_SCTLR], 0x30d00800);
    assert_int_equal(fp.regs[ID1][VMM_REG_MPIDR], 0x80000001ull);
    assert_int_equal(fp.vppi_acks[ID1], 1); /* its timer unmasked */
    /* now it is on */
    assert_true(call(true, PSCI_CPU_ON_64, 1, entry, 0));
    assert_int_equal(x0(), PSCI_ALREADY_ON);
    assert_true(call(true, PSCI_AFFINITY_INFO_64, 1, 0, 0));
    assert_int_equal(x0(), PSCI_AFFINITY_ON);
}

static void cpu_on_leaves_an_owed_timer_tick_masked(void **state)
{
    (void)state;
    boot_two_vcpus();
    microkit_msginfo reply;
    assert_true(vmm_fault(&fx.vm, ID0, fake_exit(FAULT_VPPI, 27, 0, 0), &reply));
    assert_true(call(true, PSCI_CPU_ON_64, 1, FX_RAM_IPA, 0));
    assert_int_equal(x0(), PSCI_SUCCESS);
    assert_int_equal(fp.vppi_acks[ID1], 0); /* vCPU 0's tick is still in the guest */
    fv.eoi_fn(fv.eoi_ctx, 0, 27);
    assert_int_equal(fp.vppi_acks[ID0], 2);
}

static void cpu_on_32bit_convention_masks_arguments(void **state)
{
    (void)state;
    boot_two_vcpus();
    assert_true(call(true, PSCI_CPU_ON, 0xffffffff00000001ull, 0xabcd000040003000ull, 0x1234567800000042ull));
    assert_int_equal(x0(), PSCI_SUCCESS);
    assert_int_equal(fp.restart_pc[ID1], 0x40003000);
    assert_int_equal(fp.regs[ID1][0], 0x42);
}

static void affinity_info(void **state)
{
    (void)state;
    boot_two_vcpus();
    assert_true(call(true, PSCI_AFFINITY_INFO_64, 0, 0, 0));
    assert_int_equal(x0(), PSCI_AFFINITY_ON);
    assert_true(call(true, PSCI_AFFINITY_INFO_64, 1, 0, 0));
    assert_int_equal(x0(), PSCI_AFFINITY_OFF);
    assert_true(call(true, PSCI_AFFINITY_INFO, 1, 0, 0));
    assert_int_equal(x0(), PSCI_AFFINITY_OFF);
    assert_true(call(true, PSCI_AFFINITY_INFO_64, 7, 0, 0)); /* no such vCPU */
    assert_int_equal(x0(), PSCI_INVALID_PARAMETERS);
    assert_true(call(true, PSCI_AFFINITY_INFO_64, 0, 1, 0)); /* level 1 */
    assert_int_equal(x0(), PSCI_INVALID_PARAMETERS);
}

static void cpu_off_stops_the_caller(void **state)
{
    (void)state;
    boot();
    assert_false(call(true, PSCI_CPU_OFF, 0, 0, 0)); /* no reply */
    assert_int_equal(fp.stops[ID0], 1);
    assert_false(fx.vm.vcpu[0].on);
}

static void cpu_off_releases_an_owed_timer_tick(void **state)
{
    (void)state;
    boot_two_vcpus();
    assert_true(call(true, PSCI_CPU_ON_64, 1, FX_RAM_IPA, 0));
    microkit_msginfo reply;
    assert_true(vmm_fault(&fx.vm, ID1, fake_exit(FAULT_VPPI, 27, 0, 0), &reply));
    unsigned acks = fp.vppi_acks[ID1];
    /* vCPU 1 turns itself off before the guest EOIs its tick: nobody ever will */
    fp.regs[ID1][0] = PSCI_CPU_OFF;
    uint64_t esr = (uint64_t)ESR_EC_HVC64 << 26 | ESR_IL;
    assert_false(vmm_fault(&fx.vm, ID1, fake_exit(FAULT_VCPU, GUEST_PC, 0, esr), &reply));
    assert_int_equal(fp.stops[ID1], 1);
    assert_true(fp.vppi_acks[ID1] > acks);
    assert_int_equal(fx.vm.vcpu[1].vppi_wait, 0);
    assert_true(call(true, PSCI_AFFINITY_INFO_64, 1, 0, 0));
    assert_int_equal(x0(), PSCI_AFFINITY_OFF);
}

static void system_off(void **state)
{
    (void)state;
    boot_two_vcpus();
    assert_true(call(true, PSCI_CPU_ON_64, 1, FX_RAM_IPA, 0));
    assert_false(call(true, PSCI_SYSTEM_OFF, 0, 0, 0));
    assert_int_equal(fake_log_count("vmm: guest 'linux' powered off"), 1);
    assert_int_equal(fp.stops[ID0], 1);
    assert_int_equal(fp.stops[ID1], 1);
    assert_false(fx.vm.running);
    /* a passthrough IRQ now is held (not injected) until the guest boots again */
    unsigned raises = fv.raises;
    vmm_notified(&fx.vm, FX_UART_CH);
    assert_int_equal(fv.raises, raises);
    assert_int_equal(fp.irq_acks[FX_UART_CH], 0);
}

static void system_reset_reloads_and_restarts(void **state)
{
    (void)state;
    boot();
    /* the guest ran for a while: scribbled over its kernel and DTB, took an IRQ and a timer
     * tick it never EOI'd, turned its MMU on */
    memset(fx.ram, 0x99, FX_IMAGE_SIZE);
    memset(fx.ram + (FX_DTB_IPA - FX_RAM_IPA), 0x99, FX_DTB_SIZE);
    vmm_notified(&fx.vm, FX_UART_CH);
    microkit_msginfo reply;
    assert_true(vmm_fault(&fx.vm, ID0, fake_exit(FAULT_VPPI, 27, 0, 0), &reply));
    regs0[VMM_REG_SCTLR] = 0x30d0199d;
    regs0[9] = 0x999;
    unsigned inits = fv.inits;

    assert_false(call(false, PSCI_SYSTEM_RESET, 0, 0, 0));
    assert_int_equal(fake_log_count("vmm: guest 'linux' reset: reloading"), 1);
    assert_int_equal(fp.stops[ID0], 1);
    assert_int_equal(fp.restarts[ID0], 2); /* boot, then reset */
    assert_int_equal(fp.restart_pc[ID0], FX_RAM_IPA);
    assert_int_equal(regs0[0], FX_DTB_IPA);
    assert_int_equal(regs0[1], 0);
    assert_int_equal(regs0[9], 0);
    assert_int_equal(regs0[VMM_REG_SPSR], 0x3c5);
    assert_int_equal(regs0[VMM_REG_SCTLR], 0x30d00800);
    assert_memory_equal(fx.ram, fx.kernel, FX_KERNEL_FILE);
    assert_memory_equal(fx.ram + (FX_DTB_IPA - FX_RAM_IPA), fx.dtb, FX_DTB_SIZE);
    /* interrupts the old guest left pending are released, the vGIC starts over */
    assert_int_equal(fp.irq_acks[FX_UART_CH], 1);
    /* boot's start, the tick the stopped CPU owed, the unmask after the stop and the start */
    assert_int_equal(fp.vppi_acks[ID0], 4);
    assert_int_equal(fx.vm.vcpu[0].vppi_wait, 0);
    assert_int_equal(fp.vppi_last[ID0], 27);
    assert_int_equal(fv.inits, inits + 1);
    assert_ptr_equal(fv.eoi_fn, vmm_eoi);
    assert_true(fx.vm.running);
    assert_true(fx.vm.vcpu[0].on);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(versions),
        cmocka_unit_test(features),
        cmocka_unit_test(unknown_function_returns_not_supported_once_logged),
        cmocka_unit_test(cpu_on_argument_checks),
        cmocka_unit_test(cpu_on_starts_the_target_fresh),
        cmocka_unit_test(cpu_on_leaves_an_owed_timer_tick_masked),
        cmocka_unit_test(cpu_on_32bit_convention_masks_arguments),
        cmocka_unit_test(affinity_info),
        cmocka_unit_test(cpu_off_stops_the_caller),
        cmocka_unit_test(cpu_off_releases_an_owed_timer_tick),
        cmocka_unit_test(system_off),
        cmocka_unit_test(system_reset_reloads_and_restarts),
    };
    return cmocka_run_group_tests_name("psci", tests, NULL, NULL);
}

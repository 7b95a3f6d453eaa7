/* Exit dispatch other than MMIO and SMCCC, interrupts in and out, configuration and boot. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "esr.h"
#include "fixture.h"
#include "sysreg.h"

#define GUEST_PC 0x40004000ull
#define ID0      FX_VCPU_ID

static uint64_t sys64(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2, unsigned rt,
                      bool read)
{
    return (uint64_t)ESR_EC_SYS64 << 26 | ESR_IL | SYSREG_KEY(op0, op1, crn, crm, op2) | (uint64_t)rt << 5 |
           (read ? 1u : 0u);
}

static bool exit_(uint64_t label, uint64_t mr0, uint64_t addr, uint64_t esr)
{
    microkit_msginfo reply = 0x1234;
    bool r = vmm_fault(&fx.vm, ID0, fake_exit(label, mr0, addr, esr), &reply);
    assert_int_equal(reply, 0); /* an empty reply message */
    return r;
}

static void init_and_boot(void **state)
{
    (void)state;
    fx_boot();
    assert_int_equal(fp.bound[0], FX_VCPU_ID);
    assert_int_equal(fp.regs[ID0][VMM_REG_MPIDR], 0x80000000ull);
    assert_int_equal(fv.inits, 1);
    assert_int_equal(fv.gicd, FX_GICD);
    assert_int_equal(fv.gicr, FX_GICR);
    assert_int_equal(fv.num_vcpus, 1);
    assert_ptr_equal(fv.eoi_fn, vmm_eoi);
    assert_int_equal(fp.restarts[ID0], 1);
    assert_int_equal(fp.restart_pc[ID0], FX_RAM_IPA);
    assert_int_equal(fp.regs[ID0][0], FX_DTB_IPA);
    assert_int_equal(fp.regs[ID0][VMM_REG_SPSR], 0x3c5);
    assert_int_equal(fp.regs[ID0][VMM_REG_SCTLR], 0x30d00800);
    assert_int_equal(fp.synced, FX_IMAGE_SIZE + FX_DTB_SIZE + FX_INITRD_SIZE);
    assert_int_equal(fake_log_count("vmm: guest 'linux': booting: kernel 0x40000000-0x40020000 (copied), "
                                    "DTB 0x40f00000, initrd 0x40800000-0x40801000"),
                     1);
}

static void config_errors(void **state)
{
    (void)state;
    fx_setup();
    fx.cfg.magic = 0x12345678;
    assert_int_not_equal(vmm_init(&fx.vm, &fx.cfg, &fx.g), 0);
    /* no guest name to trust: the PD's */
    assert_int_equal(
        fake_log_count("vmm: PD 'vmm_test': configuration magic is 0x12345678, expected 0x434d4d56"), 1);
    assert_int_equal(fv.inits, 0);
    /* the PD keeps running with no guest: later events find nothing and touch nothing */
    fx.cfg.num_irqs = 100000;
    assert_int_not_equal(vmm_boot(&fx.vm), 0);
    vmm_notified(&fx.vm, FX_UART_CH);
    microkit_msginfo reply;
    assert_false(vmm_fault(&fx.vm, ID0, fake_exit(FAULT_VM, 0, 0, 0), &reply));
    assert_int_equal(fv.raises + fp.restarts[ID0] + fp.stops[ID0], 0);

    fx_setup();
    fx.cfg.version = 7;
    assert_int_equal(vmm_config_check(&fx.cfg), VMM_CONFIG_ERR_VERSION);
    assert_int_equal(
        fake_log_count("vmm: guest 'linux': configuration version 7, but this VMM understands version 4"), 1);

    fx_setup();
    fx.cfg.irqs[0].intid = 27; /* a PPI cannot be passed through */
    assert_int_equal(vmm_config_check(&fx.cfg), VMM_CONFIG_ERR_IRQ);
    assert_int_equal(fake_log_count("vmm: guest 'linux': passthrough IRQ 0 has INTID 27 on channel 5"), 1);

    fx_setup();
    fx.cfg.num_irqs = 17;
    assert_int_equal(vmm_config_check(&fx.cfg), VMM_CONFIG_ERR_IRQS);
    fx_setup();
    fx.cfg.vcpu_id = 62;
    assert_int_equal(vmm_config_check(&fx.cfg), VMM_CONFIG_ERR_VCPU);
    fx_setup();
    fx.cfg.ram_size = 0;
    assert_int_equal(vmm_config_check(&fx.cfg), VMM_CONFIG_ERR_RAM);
    fx_setup();
    fx.cfg.gicr_size = 0x30000; /* not whole frames */
    assert_int_equal(vmm_config_check(&fx.cfg), VMM_CONFIG_ERR_GICR);
    assert_int_equal(fake_log_count("vmm: guest 'linux': redistributor area of 0x30000 bytes"), 1);
    fx.cfg.gicr_size = 9 * VGIC_GICR_STRIDE; /* more vCPUs than the vGIC has */
    assert_int_equal(vmm_config_check(&fx.cfg), VMM_CONFIG_ERR_GICR);
    fx.cfg.gicr_size = 0;
    assert_int_equal(vmm_config_check(&fx.cfg), VMM_CONFIG_ERR_GICR);
    fx.cfg.gicr_size = 2 * VGIC_GICR_STRIDE;
    fx.cfg.vcpu_id = 61; /* ids 61 and 62: one too many (Microkit vCPU ids are 0..61) */
    assert_int_equal(vmm_config_check(&fx.cfg), VMM_CONFIG_ERR_GICR);
}

static void boot_failure_is_reported(void **state)
{
    (void)state;
    fx_setup();
    fx.cfg.initrd_ipa = FX_DTB_IPA - 0x800;
    assert_int_equal(vmm_init(&fx.vm, &fx.cfg, &fx.g), 0);
    assert_int_not_equal(vmm_boot(&fx.vm), 0);
    assert_int_equal(fake_log_count("vmm: guest 'linux': initrd 0x40eff800-0x40f00800 overlaps the "
                                    "DTB at 0x40f00000"),
                     1);
    assert_int_equal(fp.restarts[ID0], 0);
}

static void sgi1r_write_goes_to_the_vgic(void **state)
{
    (void)state;
    fx_boot();
    fp.regs[ID0][7] = 0x0001000000010001ull;
    assert_true(exit_(FAULT_VCPU, GUEST_PC, 0, sys64(3, 0, 12, 11, 5, 7, false)));
    assert_int_equal(fv.sgi1r_writes, 1);
    assert_int_equal(fv.sgi1r_vcpu, 0);
    assert_int_equal(fv.sgi1r_value, 0x0001000000010001ull);
    assert_int_equal(fp.regs[ID0][VMM_REG_PC], GUEST_PC + 4);
    /* from XZR */
    assert_true(exit_(FAULT_VCPU, GUEST_PC, 0, sys64(3, 0, 12, 11, 5, 31, false)));
    assert_int_equal(fv.sgi1r_value, 0);
    assert_int_equal(fake_log_count("system register"), 0);
}

static void other_sysregs_read_zero_and_ignore_writes(void **state)
{
    (void)state;
    fx_boot();
    fp.regs[ID0][3] = 0xdead;
    /* MRS x3, S3_0_C15_C2_1 (an IMPLEMENTATION DEFINED register) */
    assert_true(exit_(FAULT_VCPU, GUEST_PC, 0, sys64(3, 0, 15, 2, 1, 3, true)));
    assert_int_equal(fp.regs[ID0][3], 0);
    assert_int_equal(fp.regs[ID0][VMM_REG_PC], GUEST_PC + 4);
    assert_int_equal(fake_log_count("vmm: guest 'linux': trapped read of system register "
                                    "S3_0_C15_C2_1 at pc 0x40004000: returns 0"),
                     1);
    /* again: no second line */
    assert_true(exit_(FAULT_VCPU, GUEST_PC, 0, sys64(3, 0, 15, 2, 1, 3, true)));
    assert_int_equal(fake_log_count("S3_0_C15_C2_1"), 1);
    /* MSR S3_1_C15_C2_0, x4: ignored, logged once */
    fp.regs[ID0][4] = 0x1234;
    assert_true(exit_(FAULT_VCPU, GUEST_PC + 8, 0, sys64(3, 1, 15, 2, 0, 4, false)));
    assert_int_equal(fp.regs[ID0][4], 0x1234);
    assert_int_equal(fp.regs[ID0][VMM_REG_PC], GUEST_PC + 12);
    assert_int_equal(fake_log_count("trapped write to system register S3_1_C15_C2_0 at pc "
                                    "0x40004008: ignored"),
                     1);
    /* a read of SGI1R (write-only) is just another register */
    assert_true(exit_(FAULT_VCPU, GUEST_PC, 0, sys64(3, 0, 12, 11, 5, 2, true)));
    assert_int_equal(fv.sgi1r_writes, 0);
    assert_int_equal(fake_log_count("read of system register S3_0_C12_C11_5"), 1);
}

static void wfi_is_stepped_over(void **state)
{
    (void)state;
    fx_boot();
    assert_true(exit_(FAULT_VCPU, GUEST_PC, 0, (uint64_t)ESR_EC_WFX << 26 | ESR_IL));
    assert_int_equal(fp.regs[ID0][VMM_REG_PC], GUEST_PC + 4);
}

static void unknown_trap_stops_the_guest(void **state)
{
    (void)state;
    fx_boot();
    assert_false(exit_(FAULT_VCPU, GUEST_PC, 0, (uint64_t)ESR_EC_UNKNOWN << 26 | ESR_IL));
    assert_int_equal(fake_log_count("vmm: guest 'linux': unhandled trap: EC 0x00 (ESR 0x2000000) "
                                    "at pc 0x40004000"),
                     1);
    assert_int_equal(fp.stops[ID0], 1);
    fx_boot();
    assert_false(exit_(FAULT_UNDEF, GUEST_PC, 0, 0));
    assert_int_equal(fake_log_count("exit the VMM does not handle (fault label 2)"), 1);
    assert_int_equal(fp.stops[ID0], 1);
}

static void fault_from_a_stranger(void **state)
{
    (void)state;
    fx_boot();
    microkit_msginfo reply;
    assert_false(vmm_fault(&fx.vm, 9, fake_exit(FAULT_VM, 0, 0, 0), &reply));
    assert_int_equal(fake_log_count("fault from child 9, which is not one of this guest's vCPUs"), 1);
    assert_int_equal(fp.stops[9], 0);
}

static void maintenance_goes_to_the_vgic(void **state)
{
    (void)state;
    fx_boot();
    assert_true(exit_(FAULT_VGIC_MAINT, 3, 0, 0));
    assert_int_equal(fv.maints, 1);
    assert_int_equal(fv.maint_vcpu, 0);
    assert_int_equal(fv.maint_lr, 3);
}

static void virtual_timer_is_acked_after_eoi(void **state)
{
    (void)state;
    fx_boot();
    /* a fresh vCPU unmasks its timer once, whatever the last run left */
    assert_int_equal(fp.vppi_acks[ID0], 1);
    assert_int_equal(fp.vppi_last[ID0], 27);
    assert_true(exit_(FAULT_VPPI, 27, 0, 0));
    assert_int_equal(fv.raises, 1);
    assert_int_equal(fv.raise_vcpu, 0);
    assert_int_equal(fv.raise_intid, 27);
    assert_int_equal(fp.vppi_acks[ID0], 1); /* not before the guest is done with it */
    fv.eoi_fn(fv.eoi_ctx, 0, 27);
    assert_int_equal(fp.vppi_acks[ID0], 2);
    assert_int_equal(fp.vppi_last[ID0], 27);
    fv.eoi_fn(fv.eoi_ctx, 0, 27); /* an EOI without a kernel PPI behind it */
    assert_int_equal(fp.vppi_acks[ID0], 2);
}

static void passthrough_irq_is_acked_after_eoi(void **state)
{
    (void)state;
    fx_boot();
    vmm_notified(&fx.vm, FX_UART_CH);
    assert_int_equal(fv.raises, 1);
    assert_int_equal(fv.raise_intid, FX_UART_INTID);
    assert_int_equal(fp.irq_acks[FX_UART_CH], 0);
    fv.eoi_fn(fv.eoi_ctx, 0, 40); /* some other SPI */
    assert_int_equal(fp.irq_acks[FX_UART_CH], 0);
    fv.eoi_fn(fv.eoi_ctx, 0, FX_UART_INTID);
    assert_int_equal(fp.irq_acks[FX_UART_CH], 1);
    fv.eoi_fn(fv.eoi_ctx, 0, FX_UART_INTID); /* no second ack without a second IRQ */
    assert_int_equal(fp.irq_acks[FX_UART_CH], 1);
}

static void notification_on_a_strange_channel(void **state)
{
    (void)state;
    fx_boot();
    vmm_notified(&fx.vm, 9);
    vmm_notified(&fx.vm, 9);
    assert_int_equal(fv.raises, 0);
    assert_int_equal(
        fake_log_count("vmm: guest 'linux': notification on channel 9, which no device of this guest "
                       "handles: ignored"),
        1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_and_boot),
        cmocka_unit_test(config_errors),
        cmocka_unit_test(boot_failure_is_reported),
        cmocka_unit_test(sgi1r_write_goes_to_the_vgic),
        cmocka_unit_test(other_sysregs_read_zero_and_ignore_writes),
        cmocka_unit_test(wfi_is_stepped_over),
        cmocka_unit_test(unknown_trap_stops_the_guest),
        cmocka_unit_test(fault_from_a_stranger),
        cmocka_unit_test(maintenance_goes_to_the_vgic),
        cmocka_unit_test(virtual_timer_is_acked_after_eoi),
        cmocka_unit_test(passthrough_irq_is_acked_after_eoi),
        cmocka_unit_test(notification_on_a_strange_channel),
    };
    return cmocka_run_group_tests_name("exits", tests, NULL, NULL);
}

/*
 * MMIO emulation: every load/store form that sets ISV, with the syndrome built as the hardware
 * builds it (ESR_EL2 data abort from a lower EL), decoded, then run through the VMM's stage-2
 * handler against the fake vGIC to check the register write-back and the PC step; and what
 * cannot be emulated stopping a guest configured with on_foreign_access="stop" (test_abort.c
 * has the default, an injected abort).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "esr.h"
#include "fixture.h"
#include "mmio.h"

#define DFSC_TRANSLATION_L3 0x07u
#define GUEST_PC            0x40001000ull
#define GICD_IPA            (FX_GICD + 0x100)

enum { SF_W = 0, SF_X = 1 };

static uint64_t dabt(unsigned sas, bool sse, unsigned rt, bool sf, bool ar, bool write)
{
    return (uint64_t)ESR_EC_DABT_LOW << 26 | ESR_IL | ESR_DABT_ISV | (uint64_t)sas << 22 |
           (sse ? ESR_DABT_SSE : 0) | (uint64_t)rt << 16 | (sf ? ESR_DABT_SF : 0) | (ar ? ESR_DABT_AR : 0) |
           (write ? ESR_DABT_WNR : 0) | DFSC_TRANSLATION_L3;
}

struct form {
    const char *insn;
    unsigned sas;
    bool sse, sf, ar, write;
    unsigned size;
    uint64_t in;       /* load: the device's data; store: the register's value */
    uint64_t expected; /* load: the register afterwards; store: the data written */
};

static const struct form forms[] = {
    /* loads, zero-extending */
    { "LDRB W", 0, false, SF_W, false, false, 1, 0xabcdef81, 0x81 },
    { "LDRH W", 1, false, SF_W, false, false, 2, 0xabcd8001, 0x8001 },
    { "LDR W", 2, false, SF_W, false, false, 4, 0x1122334480000001ull, 0x80000001 },
    { "LDR X", 3, false, SF_X, false, false, 8, 0x8877665544332211ull, 0x8877665544332211ull },
    /* loads, sign-extending, negative and positive values */
    { "LDRSB W -", 0, true, SF_W, false, false, 1, 0x80, 0xffffff80 },
    { "LDRSB W +", 0, true, SF_W, false, false, 1, 0x17f, 0x7f },
    { "LDRSB X -", 0, true, SF_X, false, false, 1, 0xfe, 0xfffffffffffffffeull },
    { "LDRSB X +", 0, true, SF_X, false, false, 1, 0x01, 0x01 },
    { "LDRSH W -", 1, true, SF_W, false, false, 2, 0x8001, 0xffff8001 },
    { "LDRSH W +", 1, true, SF_W, false, false, 2, 0x17fff, 0x7fff },
    { "LDRSH X -", 1, true, SF_X, false, false, 2, 0xffff, 0xffffffffffffffffull },
    { "LDRSH X +", 1, true, SF_X, false, false, 2, 0x1234, 0x1234 },
    { "LDRSW X -", 2, true, SF_X, false, false, 4, 0x80000000, 0xffffffff80000000ull },
    { "LDRSW X +", 2, true, SF_X, false, false, 4, 0xffffffff7fffffffull, 0x7fffffff },
    /* load-acquire (ISV is set for these too) */
    { "LDAR W", 2, false, SF_W, true, false, 4, 0xcafef00d, 0xcafef00d },
    { "LDARB W", 0, false, SF_W, true, false, 1, 0x1ff, 0xff },
    /* stores: only the low `size` bytes of the register leave */
    { "STRB W", 0, false, SF_W, false, true, 1, 0x1122334455667788ull, 0x88 },
    { "STRH W", 1, false, SF_W, false, true, 2, 0x1122334455667788ull, 0x7788 },
    { "STR W", 2, false, SF_W, false, true, 4, 0x1122334455667788ull, 0x55667788 },
    { "STR X", 3, false, SF_X, false, true, 8, 0x1122334455667788ull, 0x1122334455667788ull },
    { "STLR X", 3, false, SF_X, true, true, 8, 0xdeadbeefdeadbeefull, 0xdeadbeefdeadbeefull },
};

static const unsigned rts[] = { 0, 1, 5, 17, 30, 31 };

static void decode_every_form(void **state)
{
    (void)state;
    for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
        for (size_t r = 0; r < sizeof(rts) / sizeof(rts[0]); r++) {
            const struct form *t = &forms[f];
            struct mmio_access a;
            uint64_t esr = dabt(t->sas, t->sse, rts[r], t->sf, t->ar, t->write);
            assert_int_equal(mmio_decode(esr, &a), MMIO_OK);
            assert_int_equal(a.size, t->size);
            assert_int_equal(a.sign_extend, t->sse);
            assert_int_equal(a.reg64, t->sf);
            assert_int_equal(a.acquire_release, t->ar);
            assert_int_equal(a.write, t->write);
            assert_int_equal(a.reg, rts[r]);
            if (t->write)
                assert_int_equal(mmio_store_data(&a, t->in), rts[r] == 31 ? 0 : t->expected);
            else
                assert_int_equal(mmio_load_result(&a, t->in), t->expected);
        }
    }
}

/* The same forms end to end: exit message -> vmm_fault -> fake vGIC -> registers. */
static void emulate_every_form(void **state)
{
    (void)state;
    for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
        for (size_t r = 0; r < sizeof(rts) / sizeof(rts[0]); r++) {
            const struct form *t = &forms[f];
            unsigned rt = rts[r];
            fx_boot();
            uint64_t *regs = fp.regs[FX_VCPU_ID];
            for (unsigned i = 0; i < 31; i++)
                regs[i] = 0x5a5a5a5a5a5a5a5aull + i; /* old values a load must replace */
            if (t->write && rt != 31)
                regs[rt] = t->in;
            fv.read_value = t->in;
            microkit_msginfo reply;
            uint64_t esr = dabt(t->sas, t->sse, rt, t->sf, t->ar, t->write);
            uint64_t msg = fake_exit(FAULT_VM, GUEST_PC, GICD_IPA, esr);
            assert_true(vmm_fault(&fx.vm, FX_VCPU_ID, msg, &reply));
            assert_int_equal(regs[VMM_REG_PC], GUEST_PC + 4);
            assert_int_equal(fv.mmio_ipa, GICD_IPA);
            assert_int_equal(fv.mmio_vcpu, 0);
            assert_int_equal(fv.mmio_size, t->size);
            assert_int_equal(fv.mmio_write, t->write);
            if (t->write) {
                assert_int_equal(fv.mmio_value, rt == 31 ? 0 : t->expected);
            } else if (rt != 31) {
                assert_int_equal(regs[rt], t->expected);
            }
            /* No other general register changed (a load to XZR changed none at all). */
            for (unsigned i = 0; i < 31; i++)
                if (i != rt)
                    assert_int_equal(regs[i], 0x5a5a5a5a5a5a5a5aull + i);
            if (t->write && rt != 31)
                assert_int_equal(regs[rt], t->in);
        }
    }
}

/* A vGIC write that changes what decides the timer PPI's delivery reaches the kernel (it
 * injects that interrupt itself); a read, or a write that changes nothing, does not. */
static void timer_ppi_state_follows_vgic_writes(void **state)
{
    (void)state;
    fx_boot();
    microkit_msginfo reply;
    uint64_t *regs = fp.regs[FX_VCPU_ID];
    regs[VMM_REG_VTIMER_IRQ] = 0x5a; /* anything the VMM did not write */
    fv.ppi_delivery[0] = VGIC_PPI_CAN_TAKE | 0xa0u << VGIC_PPI_PRIO_SHIFT;
    uint64_t msg = fake_exit(FAULT_VM, GUEST_PC, GICD_IPA, dabt(2, false, 3, SF_W, false, false));
    assert_true(vmm_fault(&fx.vm, FX_VCPU_ID, msg, &reply));
    assert_int_equal(regs[VMM_REG_VTIMER_IRQ], 0x5a); /* a read changes nothing */
    msg = fake_exit(FAULT_VM, GUEST_PC, GICD_IPA, dabt(2, false, 3, SF_W, false, true));
    assert_true(vmm_fault(&fx.vm, FX_VCPU_ID, msg, &reply));
    assert_int_equal(regs[VMM_REG_VTIMER_IRQ], VGIC_PPI_CAN_TAKE | 0xa0u << VGIC_PPI_PRIO_SHIFT);
    regs[VMM_REG_VTIMER_IRQ] = 0x5a;
    assert_true(vmm_fault(&fx.vm, FX_VCPU_ID, msg, &reply));
    assert_int_equal(regs[VMM_REG_VTIMER_IRQ], 0x5a); /* unchanged: not sent again */
    fv.ppi_delivery[0] = 0;                           /* the guest disabled it */
    assert_true(vmm_fault(&fx.vm, FX_VCPU_ID, msg, &reply));
    assert_int_equal(regs[VMM_REG_VTIMER_IRQ], 0);
    /* A reboot's fresh vGIC has it disabled: the kernel hears so again. */
    fv.ppi_delivery[0] = VGIC_PPI_CAN_TAKE;
    assert_true(vmm_fault(&fx.vm, FX_VCPU_ID, msg, &reply));
    fv.ppi_delivery[0] = 0;
    vmm_reset(&fx.vm);
    assert_int_equal(regs[VMM_REG_VTIMER_IRQ], 0);
}

/* The guest of on_foreign_access="stop": what the VMM cannot do stops it. */
static void boot_stopping(void)
{
    fx_setup();
    fx.cfg.flags = VMM_CONFIG_F_STOP_ON_FOREIGN;
    assert_int_equal(vmm_init(&fx.vm, &fx.cfg, &fx.g), 0);
    assert_int_equal(vmm_boot(&fx.vm), 0);
}

static void no_syndrome_stops_the_guest(void **state)
{
    (void)state;
    boot_stopping();
    microkit_msginfo reply;
    /* e.g. STP x0, x1, [x2]: a data abort without ISV */
    uint64_t esr = (uint64_t)ESR_EC_DABT_LOW << 26 | ESR_IL | ESR_DABT_WNR | DFSC_TRANSLATION_L3;
    uint64_t msg = fake_exit(FAULT_VM, GUEST_PC, GICD_IPA, esr);
    fp.mr[FAULT_MR_INSN] = 0xa9000440; /* what the kernel read at the PC */
    assert_false(vmm_fault(&fx.vm, FX_VCPU_ID, msg, &reply));
    assert_int_equal(fake_log_count("vmm: guest 'linux': write of IPA 0x8000100 at pc 0x40001000 "
                                    "by instruction 0xa9000440, a load/store pair (LDP/STP): "
                                    "cannot be emulated (no syndrome, ISV=0)"),
                     1);
    assert_int_equal(fake_log_count("vmm: guest 'linux' stopped"), 1);
    assert_int_equal(fp.stops[FX_VCPU_ID], 1);
    assert_int_equal(fv.mmio_calls, 0);
    assert_false(fx.vm.running);
}

static void unclaimed_ipa_stops_the_guest(void **state)
{
    (void)state;
    boot_stopping();
    microkit_msginfo reply;
    uint64_t msg = fake_exit(FAULT_VM, GUEST_PC, 0x9000000, dabt(2, false, 3, SF_W, false, false));
    assert_false(vmm_fault(&fx.vm, FX_VCPU_ID, msg, &reply));
    assert_int_equal(fake_log_count("vmm: guest 'linux': unhandled stage-2 fault at IPA 0x9000000 "
                                    "(read, 4 bytes) pc 0x40001000"),
                     1);
    assert_int_equal(fp.stops[FX_VCPU_ID], 1);
    assert_int_equal(fp.regs[FX_VCPU_ID][VMM_REG_PC], FX_RAM_IPA); /* not stepped */

    boot_stopping();
    msg = fake_exit(FAULT_VM, GUEST_PC, 0x9000010, dabt(0, false, 3, SF_W, false, true));
    assert_false(vmm_fault(&fx.vm, FX_VCPU_ID, msg, &reply));
    assert_int_equal(fake_log_count("unhandled stage-2 fault at IPA 0x9000010 (write, 1 bytes) "
                                    "pc 0x40001000"),
                     1);
}

static void instruction_fetch_and_table_walk_faults(void **state)
{
    (void)state;
    boot_stopping();
    microkit_msginfo reply;
    uint64_t msg =
        fake_exit(FAULT_VM, 0x50000000, 0x50000000, (uint64_t)ESR_EC_IABT_LOW << 26 | ESR_IL | 0x07);
    assert_false(vmm_fault(&fx.vm, FX_VCPU_ID, msg, &reply));
    assert_int_equal(fake_log_count("unhandled stage-2 fault at IPA 0x50000000 (instruction fetch)"), 1);

    boot_stopping();
    msg = fake_exit(FAULT_VM, GUEST_PC, 0x60000000,
                    (uint64_t)ESR_EC_DABT_LOW << 26 | ESR_IL | ESR_DABT_S1PTW | 0x07);
    assert_false(vmm_fault(&fx.vm, FX_VCPU_ID, msg, &reply));
    assert_int_equal(fake_log_count("(stage-1 page-table walk)"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decode_every_form),
        cmocka_unit_test(emulate_every_form),
        cmocka_unit_test(timer_ppi_state_follows_vgic_writes),
        cmocka_unit_test(no_syndrome_stops_the_guest),
        cmocka_unit_test(unclaimed_ipa_stops_the_guest),
        cmocka_unit_test(instruction_fetch_and_table_walk_faults),
    };
    return cmocka_run_group_tests_name("mmio", tests, NULL, NULL);
}

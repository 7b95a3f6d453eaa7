/*
 * The default answer to an access the VMM cannot satisfy: a synchronous external abort taken
 * by the guest at EL1. The register state after the entry is checked against values worked
 * out by hand from the Arm ARM (ESR_EL1 EC/IL/ISS, FAR_EL1, ELR_EL1, SPSR_EL1, PSTATE, vector),
 * for both kinds of abort from EL0, EL1 with SP_EL1, EL1 with SP_EL0 and AArch32 EL0; then end
 * to end through vmm_fault, with the log line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "esr.h"
#include "fixture.h"
#include "inject.h"

#define VBAR 0x40080800ull
#define PC   0x40001000ull
#define ID   FX_VCPU_ID

static struct vmm_abort_entry entry(uint64_t spsr, uint64_t vbar, const struct vmm_abort *a)
{
    struct vmm_abort_entry e;
    assert_true(vmm_abort_entry(spsr, vbar, PC, a, &e));
    assert_int_equal(e.elr, PC);
    assert_int_equal(e.spsr, spsr);
    assert_int_equal(e.pstate, 0x3c5); /* EL1h, DAIF masked */
    return e;
}

static void data_abort_from_el1(void **state)
{
    (void)state;
    struct vmm_abort a = { 0 }; /* a read, FAR unknown */
    struct vmm_abort_entry e = entry(0x60000005, VBAR, &a);
    assert_int_equal(e.esr, 0x96000410); /* EC 0x25, IL, FnV, DFSC 0x10 */
    assert_int_equal(e.far, 0);
    assert_int_equal(e.pc, VBAR + 0x200); /* current EL with SP_ELx */

    a = (struct vmm_abort){ .write = true, .far_valid = true, .far = 0xffff800008001000ull };
    e = entry(0x3c5, VBAR, &a);
    assert_int_equal(e.esr, 0x96000050); /* WnR, FAR valid */
    assert_int_equal(e.far, 0xffff800008001000ull);

    a = (struct vmm_abort){ .cache_op = true };
    e = entry(0x3c5, VBAR, &a);
    assert_int_equal(e.esr, 0x96000550); /* CM, reported with WnR */

    e = entry(0x4, VBAR, &(struct vmm_abort){ 0 }); /* EL1t */
    assert_int_equal(e.esr, 0x96000410);
    assert_int_equal(e.pc, VBAR + 0x000);
}

static void data_abort_from_el0(void **state)
{
    (void)state;
    struct vmm_abort a = { .write = true, .far_valid = true, .far = 0x7fff1000 };
    struct vmm_abort_entry e = entry(0x80000000, VBAR, &a);
    assert_int_equal(e.esr, 0x92000050); /* EC 0x24 */
    assert_int_equal(e.far, 0x7fff1000);
    assert_int_equal(e.pc, VBAR + 0x400); /* lower EL, AArch64 */

    e = entry(0x10, VBAR, &(struct vmm_abort){ 0 }); /* AArch32 EL0 (usr) */
    assert_int_equal(e.esr, 0x92000410);
    assert_int_equal(e.pc, VBAR + 0x600);
}

static void instruction_aborts(void **state)
{
    (void)state;
    struct vmm_abort a = { .insn = true, .far_valid = true, .far = PC, .write = true };
    struct vmm_abort_entry e = entry(0x0, VBAR, &a);
    assert_int_equal(e.esr, 0x82000010); /* EC 0x20, IL, IFSC 0x10; no WnR in an IABT */
    assert_int_equal(e.far, PC);
    assert_int_equal(e.pc, VBAR + 0x400);
    e = entry(0x345, VBAR, &a);
    assert_int_equal(e.esr, 0x86000010); /* EC 0x21 */
    assert_int_equal(e.pc, VBAR + 0x200);
}

static void vector_base_and_bad_pstate(void **state)
{
    (void)state;
    struct vmm_abort_entry e = entry(0x5, VBAR | 0x7ff, &(struct vmm_abort){ 0 });
    assert_int_equal(e.pc, VBAR + 0x200);                                       /* VBAR_EL1[10:0] are RES0 */
    assert_false(vmm_abort_entry(0x9, VBAR, PC, &(struct vmm_abort){ 0 }, &e)); /* EL2h */
    assert_false(vmm_abort_entry(0xd, VBAR, PC, &(struct vmm_abort){ 0 }, &e)); /* EL3h */
}

static uint64_t dabt_isv(unsigned sas, unsigned rt, bool write)
{
    return (uint64_t)ESR_EC_DABT_LOW << 26 | ESR_IL | ESR_DABT_ISV | (uint64_t)sas << 22 |
           (uint64_t)rt << 16 | (write ? ESR_DABT_WNR : 0) | 0x07;
}

static bool s2_fault(uint64_t pc, uint64_t ipa, uint64_t esr, uint64_t spsr)
{
    microkit_msginfo reply;
    uint64_t msg = fake_exit(FAULT_VM, pc, ipa, esr);
    fp.mr[FAULT_MR_SPSR] = spsr;
    return vmm_fault(&fx.vm, ID, msg, &reply);
}

static void boot(void)
{
    fx_boot();
    fp.regs[ID][VMM_REG_VBAR_EL1] = VBAR;
    fp.regs[ID][3] = 0x1234; /* Rt of the loads below: must not change */
}

static void foreign_read_injects_abort(void **state)
{
    (void)state;
    boot();
    /* FnV: the hardware could not tell the VA, so neither can the guest's FAR_EL1. */
    assert_true(s2_fault(PC, 0xa000000, dabt_isv(2, 3, false) | ESR_DABT_FNV, 0x60000005));
    uint64_t *r = fp.regs[ID];
    assert_int_equal(r[VMM_REG_ESR_EL1], 0x96000410);
    assert_int_equal(r[VMM_REG_FAR_EL1], 0);
    assert_int_equal(r[VMM_REG_ELR_EL1], PC);
    assert_int_equal(r[VMM_REG_SPSR_EL1], 0x60000005);
    assert_int_equal(r[VMM_REG_SPSR], 0x3c5);
    assert_int_equal(r[VMM_REG_PC], VBAR + 0x200);
    assert_int_equal(r[3], 0x1234);
    assert_int_equal(fake_log_count("vmm: guest 'linux': unhandled stage-2 fault at IPA 0xa000000 "
                                    "(read, 4 bytes) pc 0x40001000: synchronous external abort "
                                    "injected"),
                     1);
    assert_int_equal(fp.stops[ID], 0);
    assert_true(fx.vm.running);
    /* The same access again: injected again, not logged again. */
    r[VMM_REG_PC] = 0;
    assert_true(s2_fault(PC, 0xa000000, dabt_isv(2, 3, false), 0x60000005));
    assert_int_equal(r[VMM_REG_PC], VBAR + 0x200);
    assert_int_equal(fake_log_count("synchronous external abort injected"), 1);
}

static void foreign_write_from_el0_with_far(void **state)
{
    (void)state;
    boot();
    microkit_msginfo reply;
    uint64_t msg = fake_exit(FAULT_VM, 0x400123, 0xa000010, dabt_isv(0, 3, true));
    fp.mr[FAULT_MR_SPSR] = 0x80000000;
    fp.far = 0x7f00000010ull;
    assert_true(vmm_fault(&fx.vm, ID, msg, &reply));
    uint64_t *r = fp.regs[ID];
    assert_int_equal(r[VMM_REG_ESR_EL1], 0x92000050);
    assert_int_equal(r[VMM_REG_FAR_EL1], 0x7f00000010ull);
    assert_int_equal(r[VMM_REG_ELR_EL1], 0x400123);
    assert_int_equal(r[VMM_REG_SPSR_EL1], 0x80000000);
    assert_int_equal(r[VMM_REG_PC], VBAR + 0x400);
    assert_int_equal(fake_log_count("unhandled stage-2 fault at IPA 0xa000010 (write, 1 bytes) pc "
                                    "0x400123: synchronous external abort injected"),
                     1);
}

static void foreign_fetch_injects_prefetch_abort(void **state)
{
    (void)state;
    boot();
    assert_true(s2_fault(0xa000000, 0xa000000, (uint64_t)ESR_EC_IABT_LOW << 26 | ESR_IL | 0x07, 0x3c5));
    uint64_t *r = fp.regs[ID];
    assert_int_equal(r[VMM_REG_ESR_EL1], 0x86000010);
    assert_int_equal(r[VMM_REG_FAR_EL1], 0xa000000);
    assert_int_equal(r[VMM_REG_ELR_EL1], 0xa000000);
    assert_int_equal(r[VMM_REG_PC], VBAR + 0x200);
    assert_int_equal(fake_log_count("unhandled stage-2 fault at IPA 0xa000000 (instruction fetch) "
                                    "pc 0xa000000: synchronous external abort injected"),
                     1);
}

/* An emulated region accessed with an instruction that has no syndrome (LDP) gets the abort too. */
static void undecodable_access_injects_abort(void **state)
{
    (void)state;
    boot();
    uint64_t esr = (uint64_t)ESR_EC_DABT_LOW << 26 | ESR_IL | ESR_DABT_FNV | 0x07; /* ISV = 0, read, no VA */
    microkit_msginfo reply;
    uint64_t msg = fake_exit(FAULT_VM, PC, FX_GICD, esr);
    fp.mr[FAULT_MR_INSN] = 0xa9400440; /* ldp x0, x1, [x2] */
    assert_true(vmm_fault(&fx.vm, ID, msg, &reply));
    assert_int_equal(fv.mmio_calls, 0);
    assert_int_equal(fp.regs[ID][VMM_REG_ESR_EL1], 0x96000010 | ESR_DABT_FNV);
    assert_int_equal(fp.regs[ID][VMM_REG_PC], VBAR + 0x200);
    assert_int_equal(fake_log_count("read of IPA 0x8000000 at pc 0x40001000 by instruction "
                                    "0xa9400440, a load/store pair (LDP/STP): cannot be emulated "
                                    "(no syndrome, ISV=0): synchronous external abort injected"),
                     1);
}

static void what_cannot_be_injected_stops(void **state)
{
    (void)state;
    boot();
    /* A stage-1 table walk outside RAM: the guest's own page tables are broken. */
    assert_false(
        s2_fault(PC, 0x60000000, (uint64_t)ESR_EC_DABT_LOW << 26 | ESR_IL | ESR_DABT_S1PTW | 0x07, 0x3c5));
    assert_int_equal(fake_log_count("(stage-1 page-table walk) pc 0x40001000"), 1);
    assert_int_equal(fp.stops[ID], 1);

    boot();
    assert_false(s2_fault(PC, 0xa000000, dabt_isv(2, 3, false), 0x9)); /* "EL2": not a guest state */
    assert_int_equal(fake_log_count("cannot inject an abort at PSTATE 0x9"), 1);
    assert_int_equal(fake_log_count("vmm: guest 'linux' stopped"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(data_abort_from_el1),
        cmocka_unit_test(data_abort_from_el0),
        cmocka_unit_test(instruction_aborts),
        cmocka_unit_test(vector_base_and_bad_pstate),
        cmocka_unit_test(foreign_read_injects_abort),
        cmocka_unit_test(foreign_write_from_el0_with_far),
        cmocka_unit_test(foreign_fetch_injects_prefetch_abort),
        cmocka_unit_test(undecodable_access_injects_abort),
        cmocka_unit_test(what_cannot_be_injected_stops),
    };
    return cmocka_run_group_tests_name("injected aborts", tests, NULL, NULL);
}

/*
 * The Microkit vCPU calls (SYS_VCPU_* in pd_abi.h). Like the other calls, each checks its
 * arguments first and prints a named diagnostic instead of making a call the kernel would
 * refuse; which vCPUs a PD owns is not patched in, so only the kernel checks ownership.
 */
#include <microkit.h>
#include <microkit_sys.h>

#include "runtime.h"

#define GIC_MAX_INTID 1019u /* 1020..1023 are special INTIDs, never injected */
#define GIC_MAX_LRS   16u   /* ICH_LR<n>_EL2 exist for n < 16 at most */
#define GIC_FIRST_PPI 16u
#define GIC_FIRST_SPI 32u

/* Up to five arguments: SYS_VCPU_INJECT uses x1..x5, the rest fewer. */
static inline struct sys_result vcpu_call(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                                          uint64_t a5)
{
    register uint64_t x0 __asm__("x0") = nr;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    register uint64_t x4 __asm__("x4") = a4;
    register uint64_t x5 __asm__("x5") = a5;
    __asm__ volatile("hvc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                     :
                     : "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
                       "memory", "cc");
    return (struct sys_result){ x0, x1, x2 };
}

static bool vcpu_ok(const char *func, microkit_child vcpu)
{
    if (vcpu <= SYS_MAX_VCPU_ID)
        return true;
    mk_diag(func, "invalid vCPU", vcpu);
    return false;
}

/* pd_abi.h numbers x0..x30, SP_EL1, PC, SPSR, SP_EL0, then EL1 system registers from 40, and
 * the pseudo-register VCPU_REG_VTIMER_IRQ. */
static bool reg_ok(const char *func, seL4_Word reg)
{
    if (reg <= VCPU_REG_SP_EL0 || (reg >= VCPU_REG_SCTLR && reg < VCPU_REG_COUNT) ||
        reg == VCPU_REG_VTIMER_IRQ || reg == VCPU_REG_LR_BUSY)
        return true;
    mk_diag(func, "invalid vCPU register", reg);
    return false;
}

static bool status_ok(const char *func, uint64_t status, uint64_t arg)
{
    switch (status) {
    case SYS_OK: return true;
    case SYS_ERR_CHILD: mk_diag(func, "kernel refused vCPU", arg); break;
    case SYS_ERR_BUSY: mk_diag(func, "list register still holds a live interrupt:", arg); break;
    default: mk_diag(func, "kernel refused the call, status", status); break;
    }
    return false;
}

void microkit_vcpu_restart(microkit_child vcpu, seL4_Word entry_point)
{
    if (vcpu_ok("microkit_vcpu_restart", vcpu))
        status_ok("microkit_vcpu_restart", vcpu_call(SYS_VCPU_RESTART, vcpu, entry_point, 0, 0, 0).x0, vcpu);
}

void microkit_vcpu_stop(microkit_child vcpu)
{
    if (vcpu_ok("microkit_vcpu_stop", vcpu))
        status_ok("microkit_vcpu_stop", vcpu_call(SYS_VCPU_STOP, vcpu, 0, 0, 0, 0).x0, vcpu);
}

/* 1 placed (quiet: and the kernel honoured the flag), 0 placed reporting its EOI, -1 not placed. */
static int inject(const char *func, microkit_child vcpu, seL4_Uint16 irq, seL4_Uint8 priority,
                  seL4_Uint8 group, seL4_Uint8 index, uint64_t flags)
{
    if (!vcpu_ok(func, vcpu))
        return -1;
    if (irq > GIC_MAX_INTID) {
        mk_diag(func, "invalid IRQ", irq);
        return -1;
    }
    if (group > 1) {
        mk_diag(func, "invalid group", group);
        return -1;
    }
    if (index >= GIC_MAX_LRS) {
        mk_diag(func, "invalid list register", index);
        return -1;
    }
    struct sys_result r = vcpu_call(SYS_VCPU_INJECT, vcpu, irq, priority, group | flags, index);
    if (!status_ok(func, r.x0, index))
        return -1;
    return r.x1 == 1;
}

seL4_Bool microkit_vcpu_arm_inject_irq(microkit_child vcpu, seL4_Uint16 irq, seL4_Uint8 priority,
                                       seL4_Uint8 group, seL4_Uint8 index)
{
    return inject("microkit_vcpu_arm_inject_irq", vcpu, irq, priority, group, index, 0) >= 0;
}

int microkit_vcpu_arm_inject_irq_quiet(microkit_child vcpu, seL4_Uint16 irq, seL4_Uint8 priority,
                                       seL4_Uint8 group, seL4_Uint8 index)
{
    return inject("microkit_vcpu_arm_inject_irq_quiet", vcpu, irq, priority, group, index, VCPU_INJECT_QUIET);
}

void microkit_vcpu_arm_ack_vppi(microkit_child vcpu, seL4_Word irq)
{
    static const char func[] = "microkit_vcpu_arm_ack_vppi";
    if (!vcpu_ok(func, vcpu))
        return;
    if (irq < GIC_FIRST_PPI || irq >= GIC_FIRST_SPI) {
        mk_diag(func, "not a PPI:", irq);
        return;
    }
    status_ok(func, vcpu_call(SYS_VCPU_ACK_VPPI, vcpu, irq, 0, 0, 0).x0, vcpu);
}

seL4_Word microkit_vcpu_arm_read_reg(microkit_child vcpu, seL4_Word reg)
{
    static const char func[] = "microkit_vcpu_arm_read_reg";
    if (!vcpu_ok(func, vcpu) || !reg_ok(func, reg))
        return 0;
    struct sys_result r = vcpu_call(SYS_VCPU_READ, vcpu, reg, 0, 0, 0);
    return status_ok(func, r.x0, vcpu) ? r.x1 : 0;
}

void microkit_vcpu_arm_write_reg(microkit_child vcpu, seL4_Word reg, seL4_Word value)
{
    static const char func[] = "microkit_vcpu_arm_write_reg";
    if (vcpu_ok(func, vcpu) && reg_ok(func, reg))
        status_ok(func, vcpu_call(SYS_VCPU_WRITE, vcpu, reg, value, 0, 0).x0, vcpu);
}

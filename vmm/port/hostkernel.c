/*
 * The VMM port for this project's host kernel (pd_abi.h): guest registers through
 * SYS_VCPU_READ/WRITE (microkit_vcpu_arm_read_reg/write_reg reach x0..x30, PC and SPSR here),
 * exits from the fault message registers, list registers through SYS_VCPU_INJECT. The only
 * VMM file that knows pd_abi.h.
 */
#include <microkit.h>

#include "vgic.h"
#include "vmm_port.h"

/* The vGIC fills the list registers the kernel leaves to the VMM; the next one is the kernel's. */
_Static_assert(VGIC_NUM_LRS == VCPU_INJECT_LRS, "the vGIC uses exactly the VMM's list registers");
/* vgic_ppi_delivery's value is VCPU_REG_VTIMER_IRQ's layout. */
_Static_assert(VGIC_PPI_CAN_TAKE == VTIMER_IRQ_ENABLED && VGIC_PPI_PRIO_SHIFT == VTIMER_IRQ_PRIO_SHIFT,
               "one layout for the virtual timer's delivery state");

/*
 * The exit being handled. Registers the exit message carried are read from here, and writes
 * to the exiting vCPU are held back and sent with the reply (VCPU_REPLY_SET_REGS), so a typical
 * exit (an emulated load: write the result, step the PC) costs no kernel calls besides the
 * reply itself. A held write goes straight into the reply's (VCPU_REG_*, value) pair in the
 * message registers: decode_exit has taken everything it needs from the exit message by then,
 * and nothing the VMM calls while handling an exit fills the IPC buffer (it makes no
 * protected calls), so the reply is ready when the handler returns.
 */
#define MAX_HELD 16 /* pairs in mr[0..32) */
#define NUM_REGS (VMM_REG_VTIMER_IRQ + 1)
_Static_assert(NUM_REGS <= 64, "known_mask and held_mask have one bit per register");
_Static_assert(2 * MAX_HELD <= PD_MAX_MRS, "the held pairs fit in the message registers");

/* enum vmm_reg -> VCPU_REG_* beyond x0..x30 (which map one to one), as a table: every held
 * write looks its register up. VCPU_REG_COUNT (refused, with a diagnostic, by libmicrokit or
 * the kernel) for a number enum vmm_reg does not name. */
static const uint8_t host_regs[NUM_REGS] = {
    [31] = VCPU_REG_COUNT,
    [VMM_REG_PC] = VCPU_REG_PC,
    [VMM_REG_SPSR] = VCPU_REG_SPSR,
    [VMM_REG_SCTLR] = VCPU_REG_SCTLR,
    [VMM_REG_MPIDR] = VCPU_REG_VMPIDR,
    [VMM_REG_ESR_EL1] = VCPU_REG_ESR,
    [VMM_REG_FAR_EL1] = VCPU_REG_FAR,
    [VMM_REG_ELR_EL1] = VCPU_REG_ELR_EL1,
    [VMM_REG_SPSR_EL1] = VCPU_REG_SPSR_EL1,
    [VMM_REG_VBAR_EL1] = VCPU_REG_VBAR,
    [VMM_REG_VTIMER_IRQ] = VCPU_REG_VTIMER_IRQ,
};
_Static_assert(VCPU_REG_COUNT <= 255 && VCPU_REG_VTIMER_IRQ <= 255, "host register numbers fit in a byte");

static unsigned host_reg(unsigned reg)
{
    if (reg <= 30)
        return VCPU_REG_X0 + reg;
    return reg < NUM_REGS ? host_regs[reg] : VCPU_REG_COUNT;
}

static struct {
    bool active;
    unsigned vcpu;
    uint64_t known_mask; /* bit r: value[r] holds register r, unless held_mask has it */
    uint64_t held_mask;  /* bit r: register r was written; its value is pairs[slot[r]] */
    unsigned num_held;   /* pairs[0..num_held), in the order first written */
    uint8_t slot[NUM_REGS];
    uint64_t value[NUM_REGS];
} exit_regs;

/* The message registers, read and written directly: this file is the host-specific one, and
 * the exit path runs for every trapped guest access. Not volatile: the kernel only changes
 * them inside a call, and every call's asm clobbers memory. The reply's pairs start at mr[0]. */
#ifdef VMM_HOST_TEST
/* The host unit test (tests/vmm/test_port_hostkernel.c) supplies the IPC buffer as an array. */
extern uint64_t vmm_test_ipc_buf[PD_MAX_MRS];
#define IPC_BUF vmm_test_ipc_buf
#else
#define IPC_BUF PD_IPC_BUF_VADDR
#endif
static uint64_t *const mrs = (uint64_t *)IPC_BUF;
struct reg_pair {
    uint64_t reg; /* VCPU_REG_* */
    uint64_t value;
};
static struct reg_pair *const pairs = (struct reg_pair *)IPC_BUF;

static bool exiting(unsigned vcpu)
{
    return exit_regs.active && exit_regs.vcpu == vcpu;
}

static void know(unsigned reg, uint64_t value)
{
    exit_regs.value[reg] = value;
    exit_regs.known_mask |= 1ull << reg;
}

void vmm_port_flush(unsigned vcpu)
{
    if (!exiting(vcpu))
        return;
    for (unsigned i = 0; i < exit_regs.num_held; i++)
        microkit_vcpu_arm_write_reg(vcpu, pairs[i].reg, pairs[i].value);
    /* Reads of these registers now ask the kernel, which has the values written. */
    exit_regs.known_mask &= ~exit_regs.held_mask;
    exit_regs.num_held = 0;
    exit_regs.held_mask = 0;
}

/* A register this exit does not know: the kernel's answer, remembered while the exit lasts.
 * Out of line, like the other kernel calls here, so that the paths answered from the exit
 * make no calls (and save no registers). */
static __attribute__((noinline)) uint64_t read_from_kernel(unsigned vcpu, unsigned reg)
{
    uint64_t v = microkit_vcpu_arm_read_reg(vcpu, host_reg(reg));
    if (exiting(vcpu) && reg < NUM_REGS)
        know(reg, v);
    return v;
}

uint64_t vmm_port_reg_read(unsigned vcpu, unsigned reg)
{
    if (exiting(vcpu) && reg < NUM_REGS) {
        uint64_t bit = 1ull << reg;
        if (exit_regs.held_mask & bit)
            return pairs[exit_regs.slot[reg]].value; /* written during this exit */
        if (exit_regs.known_mask & bit)
            return exit_regs.value[reg];
    }
    return read_from_kernel(vcpu, reg);
}

/* A write to the exiting vCPU, with a pair free if it needs one: its pair in the reply, a new
 * one if the register has none. */
static void hold(unsigned reg, uint64_t value)
{
    uint64_t bit = 1ull << reg;
    if (exit_regs.held_mask & bit) {
        pairs[exit_regs.slot[reg]].value = value;
        return;
    }
    unsigned i = exit_regs.num_held++;
    exit_regs.slot[reg] = (uint8_t)i;
    exit_regs.held_mask |= bit;
    pairs[i] = (struct reg_pair){ host_reg(reg), value };
}

/* All MAX_HELD pairs taken: the held writes are made now, then this one is held. */
static __attribute__((noinline, cold)) void write_after_flush(unsigned vcpu, unsigned reg, uint64_t value)
{
    vmm_port_flush(vcpu);
    vmm_port_reg_write(vcpu, reg, value); /* a pair is free now */
}

void vmm_port_reg_write(unsigned vcpu, unsigned reg, uint64_t value)
{
    if (!exiting(vcpu) || reg >= NUM_REGS)
        microkit_vcpu_arm_write_reg(vcpu, host_reg(reg), value);
    else if (exit_regs.num_held == MAX_HELD && !(exit_regs.held_mask & (1ull << reg)))
        write_after_flush(vcpu, reg, value);
    else
        hold(reg, value);
}

bool vmm_port_finish_exit(bool resume, microkit_msginfo *reply)
{
    if (!exit_regs.active)
        return resume;
    if (!resume)
        vmm_port_flush(exit_regs.vcpu);
    else if (exit_regs.num_held)
        *reply = microkit_msginfo_new(VCPU_REPLY_SET_REGS, (seL4_Uint16)(2 * exit_regs.num_held));
    exit_regs.active = false;
    return resume;
}

void vmm_port_reg_reset(unsigned vcpu)
{
    for (unsigned r = 0; r < VCPU_REG_COUNT; r++) {
        if (r > VCPU_REG_SP_EL0 && r < VCPU_REG_SCTLR)
            continue; /* unnumbered gap */
        if (r == VCPU_REG_VMPIDR || r == VCPU_REG_CNTVOFF)
            continue; /* identity of the vCPU and its counter, not state of the run */
        microkit_vcpu_arm_write_reg(vcpu, r, r == VCPU_REG_SCTLR ? VMM_SCTLR_RESET : 0);
    }
}

/* The registers the exit message carries (pd_abi.h: FAULT_MR_RT, FAULT_MR_X0). */
static void learn_exit_regs(unsigned vcpu, uint64_t label, const struct vmm_exit *e)
{
    exit_regs.active = true;
    exit_regs.vcpu = vcpu;
    exit_regs.held_mask = 0;
    exit_regs.num_held = 0;
    if (label != FAULT_VM && label != FAULT_VCPU) {
        exit_regs.known_mask = 0;
        return;
    }
    exit_regs.value[VMM_REG_PC] = e->pc;
    exit_regs.value[VMM_REG_SPSR] = e->spsr;
    exit_regs.known_mask = 1ull << VMM_REG_PC | 1ull << VMM_REG_SPSR;
    unsigned ec = (unsigned)(e->esr >> 26) & 0x3f;
    unsigned rt = 31;
    if (label == FAULT_VM && (e->esr & (1u << 24))) /* ISV: SRT names the register */
        rt = (e->esr >> 16) & 0x1f;
    else if (ec == 0x18) /* trapped system register: Rt */
        rt = (e->esr >> 5) & 0x1f;
    if (rt != 31)
        know(rt, mrs[FAULT_MR_RT]);
    if (label == FAULT_VCPU && (ec == 0x16 || ec == 0x17)) /* HVC, SMC: the SMCCC arguments */
        for (unsigned r = 0; r < 4; r++)
            know(VMM_REG_X0 + r, mrs[FAULT_MR_X0 + r]);
}

void vmm_port_decode_exit(unsigned vcpu, microkit_msginfo msginfo, struct vmm_exit *e)
{
    uint64_t label = microkit_msginfo_get_label(msginfo);
    *e = (struct vmm_exit){
        .label = label,
        .pc = mrs[FAULT_MR_PC],
        .addr = mrs[FAULT_MR_ADDR],
        .esr = mrs[FAULT_MR_ESR],
        .spsr = mrs[FAULT_MR_SPSR],
        .insn = (uint32_t)mrs[FAULT_MR_INSN],
    };
    switch (label) {
    case FAULT_VM:
        e->kind = VMM_EXIT_STAGE2;
        e->far = mrs[FAULT_MR_FAR]; /* the VA (FAR_EL2) as well as the IPA */
        break;
    case FAULT_VCPU: e->kind = VMM_EXIT_TRAP; break;
    case FAULT_VGIC_MAINT:
        e->kind = VMM_EXIT_VGIC_MAINT;
        e->lr = (unsigned)e->pc; /* mr[0] carries the list register here */
        break;
    case FAULT_VPPI:
        e->kind = VMM_EXIT_VPPI;
        e->intid = (uint32_t)e->pc; /* and the INTID here */
        break;
    default: e->kind = VMM_EXIT_OTHER; break;
    }
    learn_exit_regs(vcpu, label, e);
}

#define MAX_BOUND VGIC_MAX_VCPUS
static unsigned vcpu_ids[MAX_BOUND];

void vmm_port_bind_vcpu(unsigned index, unsigned vcpu)
{
    if (index < MAX_BOUND)
        vcpu_ids[index] = vcpu;
}

int vgic_port_write_lr(unsigned vcpu, unsigned lr, uint32_t intid, uint8_t priority)
{
    if (vcpu >= MAX_BOUND)
        return -1;
    /* Group 1: the only group a Linux guest uses (and the only one the vGIC delivers). */
    return microkit_vcpu_arm_inject_irq(vcpu_ids[vcpu], (seL4_Uint16)intid, priority, 1, (seL4_Uint8)lr) ? 0
                                                                                                         : -1;
}

int vgic_port_write_lr_quiet(unsigned vcpu, unsigned lr, uint32_t intid, uint8_t priority)
{
    if (vcpu >= MAX_BOUND)
        return -1;
    return microkit_vcpu_arm_inject_irq_quiet(vcpu_ids[vcpu], (seL4_Uint16)intid, priority, 1,
                                              (seL4_Uint8)lr);
}

uint32_t vgic_port_lr_busy(unsigned vcpu)
{
    if (vcpu >= MAX_BOUND)
        return ~0u;
    return (uint32_t)microkit_vcpu_arm_read_reg(vcpu_ids[vcpu], VCPU_REG_LR_BUSY);
}

#ifndef VMM_HOST_TEST /* AArch64 cache maintenance: not in the host unit test */
void vmm_port_sync_guest_memory(const void *va, uint64_t size)
{
    /* The VMM's stage-1 is off with HCR_EL2.DC set, so its writes may sit in the data cache;
     * the guest starts with its MMU off and reads memory as non-cacheable. */
    uint64_t ctr;
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    uint64_t line = 4ull << ((ctr >> 16) & 0xf); /* DminLine: log2 of words */
    uint64_t p = (uint64_t)(uintptr_t)va & ~(line - 1);
    uint64_t end = (uint64_t)(uintptr_t)va + size;
    for (; p < end; p += line)
        __asm__ volatile("dc cvac, %0" : : "r"(p) : "memory");
    __asm__ volatile("dsb sy\n\tic iallu\n\tdsb sy\n\tisb" : : : "memory");
}
#endif

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

/* enum vmm_reg -> VCPU_REG_* */
static unsigned host_reg(unsigned reg)
{
    if (reg <= 30)
        return VCPU_REG_X0 + reg;
    switch (reg) {
    case VMM_REG_PC: return VCPU_REG_PC;
    case VMM_REG_SPSR: return VCPU_REG_SPSR;
    case VMM_REG_SCTLR: return VCPU_REG_SCTLR;
    case VMM_REG_MPIDR: return VCPU_REG_VMPIDR;
    case VMM_REG_ESR_EL1: return VCPU_REG_ESR;
    case VMM_REG_FAR_EL1: return VCPU_REG_FAR;
    case VMM_REG_ELR_EL1: return VCPU_REG_ELR_EL1;
    case VMM_REG_SPSR_EL1: return VCPU_REG_SPSR_EL1;
    case VMM_REG_VBAR_EL1: return VCPU_REG_VBAR;
    case VMM_REG_VTIMER_IRQ: return VCPU_REG_VTIMER_IRQ;
    default: return VCPU_REG_COUNT; /* refused, with a diagnostic, by libmicrokit */
    }
}

/*
 * The exit being handled. Registers the exit message carried are read from here, and writes
 * to the exiting vCPU are held back and sent with the reply (VCPU_REPLY_SET_REGS), so a typical
 * exit (an emulated load: write the result, step the PC) costs no kernel calls besides the
 * reply itself.
 */
#define MAX_HELD 16
#define NUM_REGS (VMM_REG_VTIMER_IRQ + 1)
_Static_assert(NUM_REGS <= 64, "known_mask and held_mask have one bit per register");

static struct {
    bool active;
    unsigned vcpu;
    uint64_t known_mask; /* bit r: value[r] holds register r */
    uint64_t held_mask;  /* bit r: register r was written and is held back */
    uint64_t value[NUM_REGS];
    unsigned num_held;
    unsigned held[MAX_HELD]; /* registers written, in order; values are in value[] */
} exit_regs;

/* The message registers, read and written directly: this file is the host-specific one, and
 * the exit path runs for every trapped guest access. */
static volatile uint64_t *const mrs = (volatile uint64_t *)PD_IPC_BUF_VADDR;

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
        microkit_vcpu_arm_write_reg(vcpu, host_reg(exit_regs.held[i]), exit_regs.value[exit_regs.held[i]]);
    exit_regs.num_held = 0;
    exit_regs.held_mask = 0;
}

uint64_t vmm_port_reg_read(unsigned vcpu, unsigned reg)
{
    if (exiting(vcpu) && reg < NUM_REGS && (exit_regs.known_mask & (1ull << reg)))
        return exit_regs.value[reg];
    uint64_t v = microkit_vcpu_arm_read_reg(vcpu, host_reg(reg));
    if (exiting(vcpu) && reg < NUM_REGS)
        know(reg, v);
    return v;
}

void vmm_port_reg_write(unsigned vcpu, unsigned reg, uint64_t value)
{
    if (!exiting(vcpu) || reg >= NUM_REGS) {
        microkit_vcpu_arm_write_reg(vcpu, host_reg(reg), value);
        return;
    }
    if (!(exit_regs.held_mask & (1ull << reg))) {
        if (exit_regs.num_held == MAX_HELD)
            vmm_port_flush(vcpu);
        exit_regs.held[exit_regs.num_held++] = reg;
        exit_regs.held_mask |= 1ull << reg;
    }
    know(reg, value);
}

bool vmm_port_finish_exit(bool resume, microkit_msginfo *reply)
{
    if (exit_regs.active && resume && exit_regs.num_held) {
        for (unsigned i = 0; i < exit_regs.num_held; i++) {
            mrs[2 * i] = host_reg(exit_regs.held[i]);
            mrs[2 * i + 1] = exit_regs.value[exit_regs.held[i]];
        }
        *reply = microkit_msginfo_new(VCPU_REPLY_SET_REGS, 2 * exit_regs.num_held);
    } else if (exit_regs.active) {
        vmm_port_flush(exit_regs.vcpu);
    }
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
    exit_regs.known_mask = 0;
    exit_regs.held_mask = 0;
    exit_regs.num_held = 0;
    if (label != FAULT_VM && label != FAULT_VCPU)
        return;
    know(VMM_REG_PC, e->pc);
    know(VMM_REG_SPSR, e->spsr);
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

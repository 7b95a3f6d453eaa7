/*
 * The VMM port for this project's host kernel (pd_abi.h): guest registers through
 * SYS_VCPU_READ/WRITE (microkit_vcpu_arm_read_reg/write_reg reach x0..x30, PC and SPSR here),
 * exits from the fault message registers, list registers through SYS_VCPU_INJECT. The only
 * VMM file that knows pd_abi.h.
 */
#include <microkit.h>

#include "vgic.h"
#include "vmm_port.h"

/* enum vmm_reg -> VCPU_REG_* */
static unsigned host_reg(unsigned reg)
{
    if (reg <= 30)
        return VCPU_REG_X0 + reg;
    switch (reg) {
    case VMM_REG_PC:
        return VCPU_REG_PC;
    case VMM_REG_SPSR:
        return VCPU_REG_SPSR;
    case VMM_REG_SCTLR:
        return VCPU_REG_SCTLR;
    case VMM_REG_MPIDR:
        return VCPU_REG_VMPIDR;
    default:
        return VCPU_REG_COUNT; /* refused, with a diagnostic, by libmicrokit */
    }
}

uint64_t vmm_port_reg_read(unsigned vcpu, unsigned reg)
{
    return microkit_vcpu_arm_read_reg(vcpu, host_reg(reg));
}

void vmm_port_reg_write(unsigned vcpu, unsigned reg, uint64_t value)
{
    microkit_vcpu_arm_write_reg(vcpu, host_reg(reg), value);
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

void vmm_port_decode_exit(microkit_msginfo msginfo, struct vmm_exit *e)
{
    uint64_t label = microkit_msginfo_get_label(msginfo);
    *e = (struct vmm_exit){
        .label = label,
        .pc = microkit_mr_get(FAULT_MR_PC),
        .addr = microkit_mr_get(FAULT_MR_ADDR),
        .esr = microkit_mr_get(FAULT_MR_ESR),
        .spsr = microkit_mr_get(FAULT_MR_SPSR),
    };
    switch (label) {
    case FAULT_VM:
        e->kind = VMM_EXIT_STAGE2;
        break;
    case FAULT_VCPU:
        e->kind = VMM_EXIT_TRAP;
        break;
    case FAULT_VGIC_MAINT:
        e->kind = VMM_EXIT_VGIC_MAINT;
        e->lr = (unsigned)e->pc; /* mr[0] carries the list register here */
        break;
    case FAULT_VPPI:
        e->kind = VMM_EXIT_VPPI;
        e->intid = (uint32_t)e->pc; /* and the INTID here */
        break;
    default:
        e->kind = VMM_EXIT_OTHER;
        break;
    }
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
    return microkit_vcpu_arm_inject_irq(vcpu_ids[vcpu], (seL4_Uint16)intid, priority, 1,
                                        (seL4_Uint8)lr) ? 0 : -1;
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

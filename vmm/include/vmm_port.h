/*
 * What the VMM core needs from its host beyond microkit.h: reading and writing a vCPU's
 * registers, decoding an exit message, and making freshly copied guest memory visible to a
 * guest whose MMU is off. vmm/port/hostkernel.c implements it for this project's kernel; a
 * port for a real seL4 Microkit SDK would use seL4_TCB_{Read,Write}Registers and the VCPU
 * registers instead. The core never includes pd_abi.h.
 */
#ifndef VMM_PORT_H
#define VMM_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include <microkit.h>

/* Guest registers, numbered independently of any host. */
enum vmm_reg {
    VMM_REG_X0 = 0, /* x0..x30 are 0..30 */
    VMM_REG_PC = 32,
    VMM_REG_SPSR,    /* the guest's PSTATE */
    VMM_REG_SCTLR,   /* SCTLR_EL1 */
    VMM_REG_MPIDR,   /* the MPIDR_EL1 the guest reads (VMPIDR_EL2) */
    VMM_REG_ESR_EL1, /* the EL1 exception registers, for injecting an exception */
    VMM_REG_FAR_EL1,
    VMM_REG_ELR_EL1,
    VMM_REG_SPSR_EL1,
    VMM_REG_VBAR_EL1,
    /* Not a CPU register: the host's copy of what vgic_ppi_delivery says of the virtual timer
     * PPI, for a host that injects that interrupt itself. Not reset by vmm_port_reg_reset. */
    VMM_REG_VTIMER_IRQ,
};

#define VMM_SCTLR_RESET 0x30d00800ull /* SCTLR_EL1 reset value: RES1 bits, MMU and caches off */

/* `vcpu` in these calls is the Microkit vCPU id. */
uint64_t vmm_port_reg_read(unsigned vcpu, unsigned reg);
void vmm_port_reg_write(unsigned vcpu, unsigned reg, uint64_t value);
/* Every register to its reset value (SCTLR_EL1 0x30d00800, everything else 0) except the
 * MPIDR and the virtual counter offset, which belong to the vCPU rather than its run, and
 * VMM_REG_VTIMER_IRQ, which mirrors the vGIC. */
void vmm_port_reg_reset(unsigned vcpu);

enum vmm_exit_kind {
    VMM_EXIT_STAGE2,     /* stage-2 abort: pc, addr (IPA), esr */
    VMM_EXIT_TRAP,       /* HVC, SMC, system register, WFx...: pc, esr */
    VMM_EXIT_VGIC_MAINT, /* the guest EOI'd list register lr */
    VMM_EXIT_VPPI,       /* virtual PPI intid fired (masked until acked) */
    VMM_EXIT_OTHER,      /* anything else: label, pc, addr, esr */
};

struct vmm_exit {
    enum vmm_exit_kind kind;
    uint64_t label; /* the host's own code, for messages */
    uint64_t pc;    /* where the vCPU resumes if the VMM replies without changing it */
    uint64_t addr;
    uint64_t esr;
    uint64_t spsr;
    unsigned lr;
    uint32_t intid;
    uint32_t insn; /* stage-2 abort without syndrome: the instruction, or 0 if unknown */
    uint64_t far;  /* stage-2 abort: the faulting virtual address (UNKNOWN if the ESR has FnV) */
};

/* Decodes the exit of Microkit vCPU `vcpu`. Until vmm_port_finish_exit, register reads of that
 * vCPU may be answered from the exit message and writes may be held back for the reply. */
void vmm_port_decode_exit(unsigned vcpu, microkit_msginfo msginfo, struct vmm_exit *e);
/* Ends the exit: with resume, held-back writes travel in *reply; without, they are made now. */
bool vmm_port_finish_exit(bool resume, microkit_msginfo *reply);
/* Makes held-back writes to `vcpu` now: before it is restarted or stopped. */
void vmm_port_flush(unsigned vcpu);

/* Tells the port which Microkit vCPU id is vGIC vCPU index `index` (for vgic_port_write_lr). */
void vmm_port_bind_vcpu(unsigned index, unsigned vcpu);

/* After the VMM wrote [va, va+size) of guest RAM: make it visible to a guest that runs with
 * its MMU and caches off (clean to the point of coherency), and drop stale instructions. */
void vmm_port_sync_guest_memory(const void *va, uint64_t size);

#endif

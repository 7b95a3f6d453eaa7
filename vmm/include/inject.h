/*
 * Exceptions the VMM injects into its guest: a synchronous external abort at the access the
 * VMM could not satisfy, taken to EL1 exactly as the hardware would take it (Arm ARM D1.3,
 * "Exception entry"), so the guest's kernel handles it like any bus error.
 */
#ifndef VMM_INJECT_H
#define VMM_INJECT_H

#include <stdbool.h>
#include <stdint.h>

struct vmm;

/* What the abort reports. */
struct vmm_abort {
    bool insn;      /* instruction fetch (else data access) */
    bool write;     /* data: WnR */
    bool cache_op;  /* data: a cache maintenance instruction (CM) */
    bool far_valid; /* far is the faulting virtual address (else ESR.FnV = 1) */
    uint64_t far;
};

/* The EL1 registers after the exception entry. */
struct vmm_abort_entry {
    uint64_t esr, far, elr, spsr; /* ESR_EL1, FAR_EL1, ELR_EL1, SPSR_EL1 */
    uint64_t pstate, pc;          /* the vCPU's new PSTATE and PC */
};

/* The entry for a guest running with PSTATE `spsr` at `pc`, vectors at `vbar`. False if that
 * PSTATE is not one an EL1 guest can be in (EL2 or EL3). */
bool vmm_abort_entry(uint64_t spsr, uint64_t vbar, uint64_t pc, const struct vmm_abort *a,
                     struct vmm_abort_entry *out);

/* Injects the abort into vCPU index at pc (whose PSTATE was spsr). False, with nothing
 * written, if it cannot be (see vmm_abort_entry). */
bool vmm_inject_abort(struct vmm *vm, unsigned index, uint64_t pc, uint64_t spsr, const struct vmm_abort *a);

#endif

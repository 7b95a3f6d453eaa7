/* Virtual CPUs: the EL1 and virtual GIC state of a guest, and its exits to the owning VMM. */
#ifndef VCPU_H
#define VCPU_H
#include "types.h"
#include "pd_abi.h"
#include "deadline.h"

#define VCPU_NUM_LRS 4               /* list registers the kernel manages (ICH_VTR_EL2 says at least this) */
#define VTIMER_LR    VCPU_INJECT_LRS /* the kernel's own, after the VMM's (vtimer_lr.c) */
_Static_assert(VTIMER_LR < VCPU_NUM_LRS, "the kernel's list register is one of those it saves");
#define VTIMER_INTID    27
#define GIC_MAINT_INTID 25

/* Saved while the vCPU is not loaded on the CPU; indexed by VCPU_REG_* - VCPU_REG_SCTLR. */
struct vcpu_state {
    uint64_t el1[VCPU_REG_COUNT - 40];
    uint64_t sp_el0;
    uint64_t ich_lr[VCPU_NUM_LRS];
    uint64_t ich_vmcr, ich_ap0r0, ich_ap1r0;
    bool vppi_pending;         /* the virtual timer fired while the vCPU could not take an exit */
    bool vtimer_masked;        /* its virtual timer fired and is not acked yet (VMM or EOI) */
    uint64_t vtimer_irq;       /* VCPU_REG_VTIMER_IRQ as the VMM last wrote it (vtimer_lr.c) */
    struct dl_entry vtimer_dl; /* its timer's deadline while it is switched out (vtimer.c) */
    /* injections by a VMM on another core while this vCPU ran: its core writes them to the
     * list registers before it next enters the guest (or to the save area when it leaves) */
    uint64_t lr_pending[VCPU_NUM_LRS];
    unsigned lr_pending_mask;
};

struct pd;
void vcpu_reset(struct pd *v);
void vcpu_park(struct pd *v);         /* PDs run next: move what they would disturb */
void vcpu_unpark(struct pd *v);       /* ...and back */
void vcpu_save_parked(struct pd *v);  /* the rest of a parked vCPU to its save area */
void vcpu_load(struct pd *v);         /* all of the save area into the CPU, unparked */
void vcpu_park_timer(struct pd *v);   /* CNTV_CTL/CVAL to the save area, the timer off */
void vcpu_unpark_timer(struct pd *v); /* ...and back */
void vcpu_el1_for_pds(void);          /* the EL2/EL1 settings native PDs run with */
/* A synchronous exception taken from a guest (arch); true if it switched to the VMM itself
 * (fastpath.c), so the scheduler has nothing to pick. */
bool vcpu_handle_exit(struct pd *v);
/* A trapped TLBI of a VM on one core (pd->tlbi_local), done on this core; false if none. */
bool vcpu_tlbi_local(struct pd *v, uint64_t esr);
void vcpu_handle_serror(struct pd *v);
/* What an exit becomes (core/vcpu.c, from the arch's decoding): a message to the VMM... */
void vcpu_exit_to_vmm(struct pd *v, uint64_t label, const uint64_t mr[FAULT_MR_COUNT]);
/* ...or a wait: WFI sleeps unless an interrupt is pending, WFE is a yield. */
void vcpu_wait(struct pd *v, bool wfe);
/* The VMM replied to v's exit: its register writes, then v resumes (or takes a held exit). */
void vcpu_reply(struct pd *vmm, struct pd *v, uint64_t msginfo);
/* The register writes a VMM's reply carries (VCPU_REPLY_SET_REGS), into v. */
void vcpu_reply_regs(struct pd *vmm, struct pd *v, uint64_t msginfo);
void vcpu_handle_maintenance(void);
void vcpu_vtimer_fired(struct pd *v); /* its virtual timer fired: tell its VMM */
void vcpu_syscall(struct pd *vmm, uint64_t *x);
void vcpu_do_restart_or_stop(struct pd *v, bool restart, uint64_t pc);
/* Hardware access for the running vCPU (arch/aarch64/vcpu_regs.c). */
uint64_t vcpu_read_eisr(void);
uint64_t vcpu_read_lr(unsigned n);
void vcpu_write_lr(unsigned n, uint64_t value);
uint32_t vcpu_fetch_insn(uint64_t va);
void vcpu_vtimer_off(void); /* CNTV_CTL_EL0 = 0 in the CPU */
/* Its injections from another core, into the live list registers (v is loaded and unparked),
 * or into the save area (v is not loaded anywhere). */
void vcpu_apply_pending_lrs(struct pd *v, bool live);
#endif

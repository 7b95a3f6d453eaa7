/*
 * Moving a vCPU's EL1, virtual timer and GIC virtual interface state between the CPU and its
 * save area, and the trap settings guests and native PDs run with. The scheduler (sched.c)
 * decides when: parked while PDs run, saved in full when another vCPU runs or the VMM needs
 * the save area. The virtual timer moves on its own (vcpu_park_timer): it stays in the CPU
 * while only the vCPU's VMM runs, and goes to the save area before any other PD runs.
 */
#include "ich_lr.h"
#include "mmu.h"
#include "pd.h"
#include "sysreg.h"

#define ICH_HCR_EL2   S3_4_C12_C11_0
#define ICH_VMCR_EL2  S3_4_C12_C11_7
#define ICH_AP0R0_EL2 S3_4_C12_C8_0
#define ICH_AP1R0_EL2 S3_4_C12_C9_0
#define ICH_LR0_EL2   S3_4_C12_C12_0
#define ICH_LR1_EL2   S3_4_C12_C12_1
#define ICH_LR2_EL2   S3_4_C12_C12_2
#define ICH_LR3_EL2   S3_4_C12_C12_3
#define ICH_HCR_EN    1ul

/* Guests: EL1 AArch64 with stage 2; physical interrupts to EL2; SMC, WFI/WFE, set/way and
 * implementation-defined registers trapped. The guest owns its EL1 system registers. */
#define HCR_VM                                                                                               \
    ((1ul << 0) | (1ul << 1) | (1ul << 3) | (1ul << 4) | (1ul << 5) | (1ul << 13) | (1ul << 14) |            \
     (1ul << 19) | (1ul << 20) | (1ul << 22) | (1ul << 31))
/* Native PDs: as guests, plus stage-1-off memory is cacheable (DC) and the EL1 registers other
 * PDs rely on are trapped on write (TVM) so no PD can change them for the others. */
#define HCR_DC          (1ul << 12)
#define HCR_PD          (HCR_VM | HCR_DC | (1ul << 26))
#define HCR_VI          (1ul << 7)                   /* a virtual IRQ is pending for EL1 */
#define HCR_TTLB        (1ul << 25)                  /* trap TLB maintenance (vcpu_tlbi.c) */
#define SCTLR_EL1_PD    (0x30d00800ul | (1ul << 12)) /* stage-1 off, I-cache on, no align check */
#define SCTLR_EL1_RESET 0x30d00800ul                 /* architectural reset: MMU and caches off */
#define CPACR_EL1_FPEN  (3ul << 20)

#define EL1(v, reg) ((v)->vcpu.el1[VCPU_REG_##reg - VCPU_REG_SCTLR])

void vcpu_el1_for_pds(void)
{
    sysreg_write(hcr_el2, HCR_PD);
    sysreg_write(sctlr_el1, SCTLR_EL1_PD);
    sysreg_write(cpacr_el1, CPACR_EL1_FPEN);
    sysreg_write(vbar_el1, PD_VECTORS_VADDR);
    sysreg_write(ICH_HCR_EL2, 0); /* no virtual interrupts for native PDs */
    isb();
}

void vcpu_reset(struct pd *v)
{
    memset(&v->vcpu, 0, sizeof(v->vcpu));
    EL1(v, SCTLR) = SCTLR_EL1_RESET;
    EL1(v, VMPIDR) = (1ul << 31) | v->desc->child_id; /* Aff0 = vCPU id */
}

/*
 * Parking: between two runs of the same vCPU, native PDs (its VMM, mostly) run with stage-1 off,
 * so most of the guest's EL1 state can stay in the CPU. Only the registers the PD environment
 * overwrites (SCTLR, VBAR, CPACR) or that a PD could clobber (by taking an EL1 exception or
 * writing thread registers) move to the save area, and the virtual CPU interface is disabled
 * so no PD can see the guest's interrupts.
 */
void vcpu_park(struct pd *v)
{
    EL1(v, SCTLR) = sysreg_read(sctlr_el1);
    EL1(v, VBAR) = sysreg_read(vbar_el1);
    EL1(v, CPACR) = sysreg_read(cpacr_el1);
    EL1(v, ELR_EL1) = sysreg_read(elr_el1);
    EL1(v, SPSR_EL1) = sysreg_read(spsr_el1);
    EL1(v, ESR) = sysreg_read(esr_el1);
    EL1(v, FAR) = sysreg_read(far_el1);
    EL1(v, TPIDR_EL1) = sysreg_read(tpidr_el1);
    EL1(v, TPIDR_EL0) = sysreg_read(tpidr_el0);
    EL1(v, TPIDRRO_EL0) = sysreg_read(tpidrro_el0);
    vcpu_el1_for_pds();
}

/* The virtual timer moves on its own (sched.c, vtimer.c): it may stay in the CPU while only the
 * vCPU's VMM runs. Native PDs otherwise run with it off. */
void vcpu_park_timer(struct pd *v)
{
    uint64_t cntv_ctl = sysreg_read(cntv_ctl_el0);
    EL1(v, CNTV_CTL) = cntv_ctl;
    EL1(v, CNTV_CVAL) = sysreg_read(cntv_cval_el0);
    if (cntv_ctl) {
        sysreg_write(cntv_ctl_el0, 0);
        isb();
    }
}

void vcpu_unpark_timer(struct pd *v)
{
    sysreg_write(cntv_cval_el0, EL1(v, CNTV_CVAL));
    sysreg_write(cntv_ctl_el0, EL1(v, CNTV_CTL));
}

/*
 * A list register that holds a pending interrupt should make the CPU take a virtual IRQ. The
 * GIC signals that itself on a machine that wires its virtual-interrupt output to the CPU, but
 * QEMU's imx8mp-evk does not (only IRQ and FIQ are wired; PLATFORM-FACTS.md), so the guest would
 * never see an interrupt. HCR_EL2.VI raises the same virtual IRQ, OR'd with the GIC's: it is set
 * while some list register is pending, decided when the guest is entered and whenever a list
 * register changes (the EOI maintenance exit every injected interrupt brings). Between the
 * guest's acknowledge of its last pending interrupt and that EOI, VI may stay set: the guest
 * runs its handler with IRQs masked, so it sees at most a spurious 1023 from ICV_IAR1. A guest
 * that masks a pending interrupt by priority (ICC_PMR, Linux only with pseudo-NMIs) rather than
 * PSTATE.I would take spurious interrupts on such a machine until it unmasks it.
 * Native PDs (HCR_EL2.DC set) never get it.
 */
static void sync_virq(void)
{
    uint64_t hcr = sysreg_read(hcr_el2);
    if (hcr & HCR_DC)
        return;
    /* one read per statement: cppcheck cannot parse an expression of several */
    uint64_t lrs = sysreg_read(ICH_LR0_EL2);
    lrs |= sysreg_read(ICH_LR1_EL2);
    lrs |= sysreg_read(ICH_LR2_EL2);
    lrs |= sysreg_read(ICH_LR3_EL2);
    uint64_t want = ich_lr_is_pending(lrs) ? (hcr | HCR_VI) : (hcr & ~HCR_VI);
    if (want != hcr) {
        sysreg_write(hcr_el2, want);
        isb();
    }
}

void vcpu_unpark(struct pd *v)
{
    sysreg_write(hcr_el2, HCR_VM | (v->tlbi_local ? HCR_TTLB : 0));
    sysreg_write(sctlr_el1, EL1(v, SCTLR));
    sysreg_write(vbar_el1, EL1(v, VBAR));
    sysreg_write(cpacr_el1, EL1(v, CPACR));
    sysreg_write(elr_el1, EL1(v, ELR_EL1));
    sysreg_write(spsr_el1, EL1(v, SPSR_EL1));
    sysreg_write(esr_el1, EL1(v, ESR));
    sysreg_write(far_el1, EL1(v, FAR));
    sysreg_write(tpidr_el1, EL1(v, TPIDR_EL1));
    sysreg_write(tpidr_el0, EL1(v, TPIDR_EL0));
    sysreg_write(tpidrro_el0, EL1(v, TPIDRRO_EL0));
    sysreg_write(ICH_HCR_EL2, ICH_HCR_EN);
    isb();
    sync_virq();
}

/* The rest of a parked vCPU's state, to the save area: another vCPU needs the CPU, or the
 * VMM reads or writes its EL1 or interrupt state. */
void vcpu_save_parked(struct pd *v)
{
    EL1(v, TTBR0) = sysreg_read(ttbr0_el1);
    EL1(v, TTBR1) = sysreg_read(ttbr1_el1);
    EL1(v, TCR) = sysreg_read(tcr_el1);
    EL1(v, MAIR) = sysreg_read(mair_el1);
    EL1(v, AMAIR) = sysreg_read(amair_el1);
    EL1(v, CONTEXTIDR) = sysreg_read(contextidr_el1);
    EL1(v, AFSR0) = sysreg_read(afsr0_el1);
    EL1(v, AFSR1) = sysreg_read(afsr1_el1);
    EL1(v, PAR) = sysreg_read(par_el1);
    EL1(v, CNTKCTL) = sysreg_read(cntkctl_el1);
    EL1(v, CSSELR) = sysreg_read(csselr_el1);
    v->vcpu.sp_el0 = sysreg_read(sp_el0);
    v->vcpu.ich_vmcr = sysreg_read(ICH_VMCR_EL2);
    v->vcpu.ich_ap0r0 = sysreg_read(ICH_AP0R0_EL2);
    v->vcpu.ich_ap1r0 = sysreg_read(ICH_AP1R0_EL2);
    v->vcpu.ich_lr[0] = sysreg_read(ICH_LR0_EL2);
    v->vcpu.ich_lr[1] = sysreg_read(ICH_LR1_EL2);
    v->vcpu.ich_lr[2] = sysreg_read(ICH_LR2_EL2);
    v->vcpu.ich_lr[3] = sysreg_read(ICH_LR3_EL2);
}

/* Everything from the save area into the CPU, leaving the vCPU unparked (ready to enter). */
void vcpu_load(struct pd *v)
{
    sysreg_write(ttbr0_el1, EL1(v, TTBR0));
    sysreg_write(ttbr1_el1, EL1(v, TTBR1));
    sysreg_write(tcr_el1, EL1(v, TCR));
    sysreg_write(mair_el1, EL1(v, MAIR));
    sysreg_write(amair_el1, EL1(v, AMAIR));
    sysreg_write(contextidr_el1, EL1(v, CONTEXTIDR));
    sysreg_write(afsr0_el1, EL1(v, AFSR0));
    sysreg_write(afsr1_el1, EL1(v, AFSR1));
    sysreg_write(par_el1, EL1(v, PAR));
    sysreg_write(cntvoff_el2, EL1(v, CNTVOFF));
    sysreg_write(cntkctl_el1, EL1(v, CNTKCTL));
    sysreg_write(csselr_el1, EL1(v, CSSELR));
    sysreg_write(vmpidr_el2, EL1(v, VMPIDR));
    sysreg_write(sp_el0, v->vcpu.sp_el0);
    sysreg_write(ICH_VMCR_EL2, v->vcpu.ich_vmcr);
    sysreg_write(ICH_AP0R0_EL2, v->vcpu.ich_ap0r0);
    sysreg_write(ICH_AP1R0_EL2, v->vcpu.ich_ap1r0);
    sysreg_write(ICH_LR0_EL2, v->vcpu.ich_lr[0]);
    sysreg_write(ICH_LR1_EL2, v->vcpu.ich_lr[1]);
    sysreg_write(ICH_LR2_EL2, v->vcpu.ich_lr[2]);
    sysreg_write(ICH_LR3_EL2, v->vcpu.ich_lr[3]);
    vcpu_unpark_timer(v);
    vcpu_unpark(v);
}

/* The instruction at guest virtual address va of the running vCPU, translated through both of
 * its stages; 0 if it is not mapped or not in RAM (reading a device could have effects). */
uint32_t vcpu_fetch_insn(uint64_t va)
{
    uint64_t saved = sysreg_read(par_el1); /* the guest's, clobbered by AT */
    __asm__ volatile("at s12e1r, %0" : : "r"(va));
    isb();
    uint64_t par = sysreg_read(par_el1);
    sysreg_write(par_el1, saved);
    if (par & 1)
        return 0;
    uint64_t pa = (par & 0x0000fffffffff000ul) | (va & 0xfff);
    return mmu_is_ram(pa, 4) && !(pa & 3) ? *(volatile uint32_t *)pa : 0;
}

uint64_t vcpu_read_eisr(void)
{
    return sysreg_read(S3_4_C12_C11_3); /* ICH_EISR_EL2 */
}

uint64_t vcpu_read_lr(unsigned n)
{
    switch (n) {
    case 0: return sysreg_read(ICH_LR0_EL2);
    case 1: return sysreg_read(ICH_LR1_EL2);
    case 2: return sysreg_read(ICH_LR2_EL2);
    default: return sysreg_read(ICH_LR3_EL2);
    }
}

void vcpu_write_lr(unsigned n, uint64_t value)
{
    switch (n) {
    case 0: sysreg_write(ICH_LR0_EL2, value); break;
    case 1: sysreg_write(ICH_LR1_EL2, value); break;
    case 2: sysreg_write(ICH_LR2_EL2, value); break;
    case 3: sysreg_write(ICH_LR3_EL2, value); break;
    }
    isb();
    sync_virq();
}

void vcpu_vtimer_off(void)
{
    sysreg_write(cntv_ctl_el0, 0);
    isb();
}

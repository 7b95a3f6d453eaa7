/* The CPU operations the kernel's core uses (arch.h), for AArch64 at EL2. */
#include "arch.h"
#include "mmu.h"
#include "pd.h"
#include "sysreg.h"

NORETURN void arch_halt(void)
{
    for (;;)
        __asm__ volatile("wfe");
}

void arch_wait_for_interrupt(void)
{
    wfi();
}

uint64_t arch_this_mpidr(void)
{
    return sysreg_read(mpidr_el1) & 0xff00ffffffull;
}

uint64_t arch_counter_hz(void)
{
    return sysreg_read(cntfrq_el0);
}

void arch_enter_pd(struct pd *next, bool as_changed)
{
    if (as_changed) {
        sysreg_write(vttbr_el2, next->vttbr);
        sysreg_write(vtcr_el2, stage2_vtcr(next->is_vcpu)); /* the start level of its table */
        sysreg_write(cnthctl_el2, next->cnthctl);
        /* VBAR_EL1 cannot be trapped on writes; reset it so no PD can redirect another's faults */
        if (!next->is_vcpu)
            sysreg_write(vbar_el1, PD_VECTORS_VADDR);
        isb();
    }
    sysreg_write(tpidr_el2, (uint64_t)&next->ctx); /* what entry.S saves to and restores from */
}

/* CPTR_EL2: guests may write CPACR_EL1, PDs may not (TCPAC); TFP traps FP/SIMD use. */
#define CPTR_VM  0x33fful
#define CPTR_PD  (CPTR_VM | (1ul << 31))
#define CPTR_TFP (1ul << 10)

uint64_t arch_trap_setting(const struct pd *next, bool fp_live)
{
    return (next->is_vcpu ? CPTR_VM : CPTR_PD) | (fp_live ? 0 : CPTR_TFP);
}

void arch_write_traps(uint64_t setting)
{
    sysreg_write(cptr_el2, setting);
    isb();
}

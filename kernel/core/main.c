/* Boot: check the boot image, bring up the MMU, GIC and timer, create every PD, run. */
#include "bootimg.h"
#include "console.h"
#include "gic.h"
#include "mmu.h"
#include "pd.h"
#include "sched.h"
#include "sysreg.h"
#include "timer.h"

/* Patched by the image tool; in .data so that it is part of the file, not cleared .bss. */
__attribute__((section(".data"))) uint64_t boot_sysimg_pa = 0;

/* PDs: EL1 AArch64 with stage-2; physical IRQs/FIQs/SErrors to EL2; stage-1-off memory is
 * normal cacheable (DC); trap SMC, WFI/WFE, set/way cache ops, implementation-defined and
 * virtual-memory-control registers, so no PD can change EL1 state another PD relies on. */
#define HCR_PD ((1ul << 0) | (1ul << 1) | (1ul << 3) | (1ul << 4) | (1ul << 5) | (1ul << 12) | \
                (1ul << 13) | (1ul << 14) | (1ul << 19) | (1ul << 20) | (1ul << 22) |        \
                (1ul << 26) | (1ul << 31))
#define CPTR_EL2_VALUE (0x33fful | (1ul << 31)) /* FP allowed, CPACR_EL1 writes trapped */
#define SCTLR_EL1_PD   (0x30d00800ul | (1ul << 12)) /* stage-1 off, I-cache on, no align check */
#define CPACR_EL1_FPEN (3ul << 20)

static void el2_setup(void)
{
    sysreg_write(hcr_el2, HCR_PD);
    sysreg_write(cptr_el2, CPTR_EL2_VALUE);
    sysreg_write(sctlr_el1, SCTLR_EL1_PD);
    sysreg_write(cpacr_el1, CPACR_EL1_FPEN);
    sysreg_write(vbar_el1, PD_VECTORS_VADDR);
    isb();
}

NORETURN void kmain(uint64_t dtb)
{
    const struct sysimg_header *raw = (const void *)boot_sysimg_pa;
    if (!raw || raw->magic != SYSIMG_MAGIC)
        for (;;) /* no description, so no console to complain on */
            __asm__ volatile("wfe");
    console_init(raw->uart_kind, raw->uart_base);
    kprintf("kernel: starting at EL2 (DTB at 0x%lx, system description at 0x%lx)\n", dtb,
            boot_sysimg_pa);
    const struct sysimg_header *h = bootimg_check(boot_sysimg_pa);
    mmu_el2_enable(h->ram_base, h->ram_size);
    bootimg_zero(h);
    el2_setup();
    gic_init(h->gicd_base, h->gicr_base, h->gicr_size);
    timer_init(h->timer_irq);
    stage2_init_regs();
    pds_init(h);
    kprintf("kernel: %u protection domains ready\n", num_pds);
    schedule();
    ctx_enter();
}

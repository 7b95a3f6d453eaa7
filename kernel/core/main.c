/* Boot: check the boot image, bring up the MMU, GIC and timer, create every PD, start the
 * other cores, run. */
#include "bootimg.h"
#include "console.h"
#include "cpu.h"
#include "gic.h"
#include "klock.h"
#include "klog.h"
#include "mmu.h"
#include "pd.h"
#include "sched.h"
#include "arch.h"
#include "trap.h"
#include "timer.h"

/* Patched by the image tool; in .data so that it is part of the file, not cleared .bss. */
__attribute__((section(".data"))) uint64_t boot_sysimg_pa = 0;

NORETURN void kmain(uint64_t dtb)
{
    const struct sysimg_header *raw = (const void *)boot_sysimg_pa;
    if (!raw || raw->magic != SYSIMG_MAGIC)
        arch_halt(); /* no description, so no console to complain on */
    console_init(raw->uart_kind, raw->uart_base);
    kprintf("kernel: starting at EL2 (DTB at 0x%lx, system description at 0x%lx)\n", dtb, boot_sysimg_pa);
    const struct sysimg_header *h = bootimg_check(boot_sysimg_pa);
    mmu_el2_enable(h->ram_base, h->ram_size);
    smp_init(h);     /* before gic_init: it wakes every core's redistributor */
    bootimg_zero(h); /* the page-table pool among the rest */
    gic_init(h->gicd_base, h->gicr_base, h->gicr_size); /* first: enables ICH_* access */
    vcpu_el1_for_pds();
    timer_init(h->timer_irq);
    stage2_init_regs();
    pds_init(h);
    vm_irqs_init();
    kprintf("kernel: %u protection domains ready\n", num_pds);
    klog_init(h);
    klock_take(); /* the other cores wait on it until the PDs may run */
    smp_boot(h);
    klog_start(); /* from here on the UART's driver PD may run */
    kernel_leave();
    klock_drop();
    ctx_enter();
}

/*
 * Counts of a guest's exits to its VMM, by kind, for the benchmark (scripts/bench.py reads the
 * line at power-off or reset). WFI/WFE never reach the VMM (the kernel handles them), and
 * passthrough interrupts arrive as notifications, not exits: neither is counted here.
 */
#ifndef VMM_EXIT_STATS_H
#define VMM_EXIT_STATS_H

#include <stddef.h>
#include <stdint.h>

struct vmm;
struct vmm_exit;

enum exit_stat_kind {
    EXIT_STAT_GICD,       /* stage-2 fault in the vGIC distributor frame */
    EXIT_STAT_GICR,       /* ... in one of the vGIC redistributor frames */
    EXIT_STAT_MMIO_OTHER, /* ... anywhere else: another device of the MMIO table (virtIO), or refused */
    EXIT_STAT_VGIC_MAINT, /* the guest EOI'd a list register the vGIC asked to hear about */
    EXIT_STAT_VPPI,       /* the kernel's virtual PPI (the guest's virtual timer) */
    EXIT_STAT_HVC,        /* HVC64: SMCCC and PSCI calls */
    EXIT_STAT_SMC,        /* SMC64: the same through the other conduit */
    EXIT_STAT_SYSREG,     /* trapped MSR/MRS (ICC_SGI1R_EL1 writes: the guest's IPIs) */
    EXIT_STAT_WFX,        /* a WFI/WFE the kernel passed on (it should not) */
    EXIT_STAT_OTHER,      /* any other trap class or exit label */
    EXIT_STAT_KINDS,
};

struct exit_stats {
    uint64_t n[EXIT_STAT_KINDS];
};

/* Which kind exit `e` is. gicr_size is the redistributors' whole area (one frame per vCPU). */
enum exit_stat_kind exit_stats_classify(const struct vmm_exit *e, uint64_t gicd_ipa, uint64_t gicr_ipa,
                                        uint64_t gicr_size);
void exit_stats_count(struct exit_stats *s, enum exit_stat_kind kind);
void exit_stats_clear(struct exit_stats *s);
uint64_t exit_stats_total(const struct exit_stats *s);
/* "total=N mmio=N gicd=N gicr=N mmio_other=N vgic_maint=N vppi=N hvc=N smc=N sysreg=N wfx=N
 * other=N" into buf (always terminated); mmio is gicd + gicr + mmio_other. */
void exit_stats_format(const struct exit_stats *s, char *buf, size_t len);

/* The VMM's counts: one guest per VMM PD, so one set. */
struct exit_stats *vmm_exit_stats(void);
/* Counts one exit of the guest (exits.c, before it is handled). */
void vmm_exit_stats_note(const struct vmm *vm, const struct vmm_exit *e);
/* Prints "vmm: guest 'NAME' exits: <counts>" and starts counting again from zero: called when
 * the guest powers off or resets, so each boot's line covers that boot alone. */
void vmm_exit_stats_report(const struct vmm *vm);

#endif

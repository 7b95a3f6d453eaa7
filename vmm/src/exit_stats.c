/* Counting a guest's exits by kind, and the line that reports them (exit_stats.h). */
#include <stdio.h>

#include "esr.h"
#include "exit_stats.h"
#include "vgic.h"
#include "vmm.h"
#include "vmm_log.h"
#include "vmm_port.h"

typedef unsigned long long ull;

/* An address test that cannot overflow: base + size may wrap for a hostile configuration. */
static int in_range(uint64_t addr, uint64_t base, uint64_t size)
{
    return addr >= base && addr - base < size;
}

static enum exit_stat_kind classify_trap(uint64_t esr)
{
    switch (esr_ec(esr)) {
    case ESR_EC_HVC64: return EXIT_STAT_HVC;
    case ESR_EC_SMC64: return EXIT_STAT_SMC;
    case ESR_EC_SYS64: return EXIT_STAT_SYSREG;
    case ESR_EC_WFX: return EXIT_STAT_WFX;
    default: return EXIT_STAT_OTHER;
    }
}

enum exit_stat_kind exit_stats_classify(const struct vmm_exit *e, uint64_t gicd_ipa, uint64_t gicr_ipa,
                                        uint64_t gicr_size)
{
    switch (e->kind) {
    case VMM_EXIT_STAGE2:
        if (in_range(e->addr, gicd_ipa, VGIC_GICD_SIZE))
            return EXIT_STAT_GICD;
        if (in_range(e->addr, gicr_ipa, gicr_size))
            return EXIT_STAT_GICR;
        return EXIT_STAT_MMIO_OTHER;
    case VMM_EXIT_TRAP: return classify_trap(e->esr);
    case VMM_EXIT_VGIC_MAINT: return EXIT_STAT_VGIC_MAINT;
    case VMM_EXIT_VPPI: return EXIT_STAT_VPPI;
    case VMM_EXIT_OTHER: break;
    }
    return EXIT_STAT_OTHER;
}

void exit_stats_count(struct exit_stats *s, enum exit_stat_kind kind)
{
    if ((unsigned)kind < EXIT_STAT_KINDS)
        s->n[kind]++;
}

void exit_stats_clear(struct exit_stats *s)
{
    *s = (struct exit_stats){ 0 };
}

uint64_t exit_stats_total(const struct exit_stats *s)
{
    uint64_t t = 0;
    for (unsigned k = 0; k < EXIT_STAT_KINDS; k++)
        t += s->n[k];
    return t;
}

void exit_stats_format(const struct exit_stats *s, char *buf, size_t len)
{
    const uint64_t *n = s->n;
    uint64_t mmio = n[EXIT_STAT_GICD] + n[EXIT_STAT_GICR] + n[EXIT_STAT_MMIO_OTHER];
    if (len == 0)
        return;
    snprintf(buf, len,
             "total=%llu mmio=%llu gicd=%llu gicr=%llu mmio_other=%llu vgic_maint=%llu vppi=%llu hvc=%llu "
             "smc=%llu sysreg=%llu wfx=%llu other=%llu",
             (ull)exit_stats_total(s), (ull)mmio, (ull)n[EXIT_STAT_GICD], (ull)n[EXIT_STAT_GICR],
             (ull)n[EXIT_STAT_MMIO_OTHER], (ull)n[EXIT_STAT_VGIC_MAINT], (ull)n[EXIT_STAT_VPPI],
             (ull)n[EXIT_STAT_HVC], (ull)n[EXIT_STAT_SMC], (ull)n[EXIT_STAT_SYSREG], (ull)n[EXIT_STAT_WFX],
             (ull)n[EXIT_STAT_OTHER]);
}

/* A VMM PD runs one guest (vmm/program/vmm.c), so its counts need no place in struct vmm. */
static struct exit_stats counts;

struct exit_stats *vmm_exit_stats(void)
{
    return &counts;
}

void vmm_exit_stats_note(const struct vmm *vm, const struct vmm_exit *e)
{
    const struct vmm_config *c = vm->config;
    exit_stats_count(&counts, exit_stats_classify(e, c->gicd_ipa, c->gicr_ipa, c->gicr_size));
}

void vmm_exit_stats_report(const struct vmm *vm)
{
    char line[200];
    exit_stats_format(&counts, line, sizeof(line));
    vmm_print("vmm: guest '%s' exits: %s\n", vm->name, line);
    exit_stats_clear(&counts);
}

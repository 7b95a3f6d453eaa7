/* <protection_domain> and its children: program_image, map, irq, setvar, nested PDs and its
 * virtual machine (<virtual_machine> or <linux_vm>). */
#include <stdlib.h>

#include "names.h"
#include "parse.h"
#include "pd_abi.h"

#define STACK_MAX 0x100000ull

static int parse_irq(struct ctx *c, xmlNodePtr n, struct sd_pd *pd)
{
    static const char *const attrs[] = { "irq", "id", "trigger", NULL };
    struct sd_irq *irq = VEC_PUSH(pd->irqs);
    irq->line = xa_line(n);
    uint64_t v = 0;
    char *trigger = NULL;
    if (xa_allowed(c->file, n, attrs) || xa_u64(c->file, n, "irq", true, &v) ||
        parse_channel_id(c, n, &irq->id) || xa_str(c->file, n, "trigger", false, &trigger) ||
        for_children(c, n, NULL, NULL)) {
        free(trigger);
        return -1;
    }
    int rc = 0;
    if (trigger && strcmp(trigger, "level") && strcmp(trigger, "edge"))
        rc = err_at(c->file, irq->line, "<irq> attribute trigger=\"%s\" must be \"level\" or \"edge\"",
                    trigger);
    irq->edge = trigger && !strcmp(trigger, "edge");
    free(trigger);
    if (rc)
        return rc;
    if (v < 16 || v > 1019)
        return err_at(c->file, irq->line, "IRQ %llu out of range: must be a PPI or SPI INTID (16..1019)",
                      (unsigned long long)v);
    irq->irq = (uint32_t)v;
    return 0;
}

static int parse_setvar(struct ctx *c, xmlNodePtr n, struct sd_pd *pd)
{
    static const char *const attrs[] = { "symbol", "region_paddr", NULL };
    struct sd_setvar *sv = VEC_PUSH(pd->setvars);
    sv->line = xa_line(n);
    if (xa_allowed(c->file, n, attrs) || xa_str(c->file, n, "symbol", true, &sv->symbol) ||
        xa_str(c->file, n, "region_paddr", true, &sv->region) || for_children(c, n, NULL, NULL))
        return -1;
    return 0;
}

static int parse_program_image(struct ctx *c, xmlNodePtr n, struct sd_pd *pd)
{
    static const char *const attrs[] = { "path", NULL };
    if (pd->image)
        return err_at(c->file, xa_line(n), "PD '%s' has more than one <program_image> (first on line %ld)",
                      pd->name, pd->image_line);
    pd->image_line = xa_line(n);
    if (xa_allowed(c->file, n, attrs) || xa_str(c->file, n, "path", true, &pd->image) ||
        for_children(c, n, NULL, NULL))
        return -1;
    return 0;
}

static int pd_child(struct ctx *c, xmlNodePtr parent, xmlNodePtr ch, void *arg)
{
    size_t idx = (size_t)(uintptr_t)arg;
    /* c->sys->pds may move while children are added, so look the PD up each time */
#define PD (&c->sys->pds.v[idx])
    if (is(ch, "program_image"))
        return parse_program_image(c, ch, PD);
    if (is(ch, "map"))
        return parse_map(c, ch, VEC_PUSH(PD->maps), true);
    if (is(ch, "irq"))
        return parse_irq(c, ch, PD);
    if (is(ch, "setvar"))
        return parse_setvar(c, ch, PD);
    if (is(ch, "protection_domain"))
        return parse_pd(c, ch, (int)idx);
    if (is(ch, "virtual_machine"))
        return parse_vm(c, ch, idx);
    if (is(ch, "linux_vm"))
        return parse_guest(c, ch, idx);
#undef PD
    return unknown_child(c, parent, ch);
}

int parse_budget(struct ctx *c, xmlNodePtr n, const char *what, const char *budget_attr,
                 const char *period_attr, uint32_t *budget_us, uint32_t *period_us)
{
    uint64_t budget = 0, period = 0;
    if (xa_u64(c->file, n, budget_attr, false, &budget) || xa_u64(c->file, n, period_attr, false, &period))
        return -1;
    if (!xa_has(n, period_attr))
        period = budget;
    if (xa_has(n, period_attr) && !xa_has(n, budget_attr))
        return err_at(c->file, xa_line(n), "%s: %s without %s", what, period_attr, budget_attr);
    if (period > SYSIMG_PERIOD_MAX_US || budget > period || (xa_has(n, budget_attr) && budget == 0))
        return err_at(c->file, xa_line(n),
                      "%s: %s %llu and %s %llu (microseconds) must be 0 < %s <= %s <= %u", what, budget_attr,
                      (unsigned long long)budget, period_attr, (unsigned long long)period, budget_attr,
                      period_attr, SYSIMG_PERIOD_MAX_US);
    *budget_us = budget < period ? (uint32_t)budget : 0; /* a budget of the whole period is no limit */
    *period_us = budget < period ? (uint32_t)period : 0;
    return 0;
}

static int pd_values(struct ctx *c, xmlNodePtr n, struct sd_pd *pd)
{
    uint64_t prio = 0, id = 0;
    bool passive = false;
    if (xa_u64(c->file, n, "priority", false, &prio) ||
        xa_u64(c->file, n, "stack_size", false, &pd->stack_size) ||
        xa_bool(c->file, n, "passive", &passive) ||
        parse_budget(c, n, "protection domain", "budget", "period", &pd->budget_us, &pd->period_us) ||
        xa_u64(c->file, n, "cpu", false, &pd->cpu))
        return -1;
    if (name_check(c->file, pd->line, "protection domain", pd->name, SYSIMG_NAME_LEN - 1))
        return -1;
    if (prio > 254)
        return err_at(c->file, pd->line, "PD '%s': priority %llu out of range 0..254", pd->name,
                      (unsigned long long)prio);
    pd->priority = (unsigned)prio;
    if (passive)
        return err_at(c->file, pd->line, "PD '%s': passive PDs are not supported", pd->name);
    if (pd->stack_size == 0 || pd->stack_size % PAGE_4K || pd->stack_size > STACK_MAX)
        return err_at(c->file, pd->line,
                      "PD '%s': stack_size 0x%llx must be a non-zero multiple of 0x1000 and at most 0x%llx",
                      pd->name, (unsigned long long)pd->stack_size, STACK_MAX);
    if (pd->parent < 0 && xa_has(n, "id"))
        return err_at(c->file, pd->line,
                      "PD '%s': attribute 'id' is only allowed on a child protection_domain", pd->name);
    if (pd->parent >= 0) {
        if (!xa_has(n, "id"))
            return err_at(c->file, pd->line, "child PD '%s' is missing required attribute 'id'", pd->name);
        if (xa_u64(c->file, n, "id", true, &id))
            return -1;
        if (id >= SYSIMG_MAX_CHANNELS)
            return err_at(c->file, pd->line, "child PD '%s': id %llu out of range 0..%u", pd->name,
                          (unsigned long long)id, SYSIMG_MAX_CHANNELS - 1);
        pd->child_id = (unsigned)id;
    }
    return 0;
}

int parse_pd(struct ctx *c, xmlNodePtr n, int parent)
{
    static const char *const attrs[] = { "name",   "priority", "stack_size", "passive", "budget",
                                         "period", "id",       "cpu",        NULL };
    if (c->sys->pds.n >= SYSIMG_MAX_PDS)
        return err_at(c->file, xa_line(n), "too many protection domains: at most %u are supported",
                      SYSIMG_MAX_PDS);
    size_t idx = c->sys->pds.n;
    struct sd_pd *pd = VEC_PUSH(c->sys->pds);
    pd->line = xa_line(n);
    pd->parent = parent;
    pd->vm = -1;
    pd->stack_size = PD_STACK_SIZE_DEFAULT;
    if (xa_allowed(c->file, n, attrs) || xa_str(c->file, n, "name", true, &pd->name) || pd_values(c, n, pd) ||
        for_children(c, n, pd_child, (void *)(uintptr_t)idx))
        return -1;
    pd = &c->sys->pds.v[idx];
    if (!pd->image)
        return err_at(c->file, pd->line, "PD '%s' has no <program_image>", pd->name);
    return 0;
}

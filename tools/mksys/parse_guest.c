/* <linux_vm> and its <passthrough> children. Only recorded here; guest.c expands them. */
#include <stdlib.h>

#include "guest.h"
#include "parse.h"

static int parse_passthrough(struct ctx *c, xmlNodePtr n, struct sd_guest *g)
{
    static const char *const attrs[] = { "node", "irq_id", NULL };
    struct sd_passthrough *p = VEC_PUSH(g->pt);
    p->line = xa_line(n);
    p->has_irq_id = xa_has(n, "irq_id");
    if (xa_allowed(c->file, n, attrs) || xa_str(c->file, n, "node", true, &p->node) ||
        for_children(c, n, NULL, NULL))
        return -1;
    uint64_t id = 0;
    if (p->has_irq_id && xa_u64(c->file, n, "irq_id", true, &id))
        return -1;
    if (id >= SYSIMG_MAX_CHANNELS)
        return err_at(c->file, p->line, "<passthrough> irq_id %llu out of range 0..%u",
                      (unsigned long long)id, SYSIMG_MAX_CHANNELS - 1);
    p->irq_id = (unsigned)id;
    return 0;
}

static int guest_child(struct ctx *c, xmlNodePtr parent, xmlNodePtr ch, void *arg)
{
    if (is(ch, "passthrough"))
        return parse_passthrough(c, ch, &c->sys->guests.v[(size_t)(uintptr_t)arg]);
    return unknown_child(c, parent, ch);
}

int parse_guest(struct ctx *c, xmlNodePtr n, size_t pd)
{
    static const char *const attrs[] = { "name",   "priority", "ram_base", "ram_size",          "kernel",
                                         "initrd", "bootargs", "vcpus",    "on_foreign_access", "vtimer",
                                         NULL };
    size_t idx = c->sys->guests.n;
    struct sd_guest *g = VEC_PUSH(c->sys->guests);
    g->line = xa_line(n);
    g->vmm = pd;
    uint64_t vcpus = 1;
    if (xa_allowed(c->file, n, attrs) || parse_vm_common(c, n, pd, &g->name, &g->priority) ||
        xa_u64(c->file, n, "ram_base", true, &g->ram_base) ||
        xa_u64(c->file, n, "ram_size", true, &g->ram_size) ||
        xa_str(c->file, n, "kernel", true, &g->kernel) || xa_str(c->file, n, "initrd", false, &g->initrd) ||
        xa_str(c->file, n, "bootargs", false, &g->bootargs) || xa_u64(c->file, n, "vcpus", false, &vcpus))
        return -1;
    if (!g->bootargs)
        g->bootargs = xstrdup("");
    if (vcpus < 1 || vcpus > SYS_VM_MAX_VCPUS)
        return err_at(c->file, g->line, "guest '%s': vcpus %llu out of range 1..%u", g->name,
                      (unsigned long long)vcpus, SYS_VM_MAX_VCPUS);
    g->vcpus = (unsigned)vcpus;
    if (parse_foreign_access(c, n, g->name, &g->stop_on_foreign) ||
        parse_vtimer(c, n, g->name, &g->vtimer_to_vmm))
        return -1;
    return for_children(c, n, guest_child, (void *)(uintptr_t)idx);
}

/* <linux_vm> and its <passthrough> children (<virtio_console>: parse_virtio.c). Only recorded
 * here; guest.c expands them. */
#include <stdlib.h>

#include "guest.h"
#include "names.h"
#include "num.h"
#include "parse.h"

/* cpus="a b c" (spaces or commas between): exactly one core per vCPU. The range is checked
 * against the board when the guest is expanded (guest.c). */
static int parse_cpus(struct ctx *c, xmlNodePtr n, struct sd_guest *g)
{
    char *v = NULL;
    if (xa_str(c->file, n, "cpus", false, &v) || !v)
        return v ? -1 : 0;
    char shown[128];
    name_printable(shown, sizeof shown, v);
    unsigned count = 0;
    int rc = 0;
    char *save = NULL;
    for (char *tok = strtok_r(v, " \t\r\n,", &save); tok && !rc; tok = strtok_r(NULL, " \t\r\n,", &save)) {
        uint64_t cpu;
        if (parse_u64(tok, &cpu)) {
            char t[64];
            name_printable(t, sizeof t, tok);
            rc = err_at(c->file, g->line, "guest '%s': cpus=\"%s\": '%s' is not a core number", g->name,
                        shown, t);
        } else if (count < g->vcpus) {
            g->cpus[count] = cpu;
        }
        count++;
    }
    free(v);
    if (!rc && count != g->vcpus)
        rc = err_at(c->file, g->line, "guest '%s': cpus=\"%s\" gives %u cores for its %u vCPU%s (one each)",
                    g->name, shown, count, g->vcpus, g->vcpus == 1 ? "" : "s");
    g->has_cpus = true;
    return rc;
}

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
    struct sd_guest *g = &c->sys->guests.v[(size_t)(uintptr_t)arg];
    if (is(ch, "passthrough"))
        return parse_passthrough(c, ch, g);
    if (is(ch, "virtio_console"))
        return parse_virtio_console(c, ch, g);
    return unknown_child(c, parent, ch);
}

int parse_guest(struct ctx *c, xmlNodePtr n, size_t pd)
{
    static const char *const attrs[] = { "name",   "priority", "ram_base", "ram_size", "kernel",
                                         "initrd", "bootargs", "vcpus",    "cpus",     "on_foreign_access",
                                         "vtimer", NULL };
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
    if (parse_cpus(c, n, g) || parse_foreign_access(c, n, g->name, &g->stop_on_foreign) ||
        parse_vtimer(c, n, g->name, &g->vtimer_to_vmm))
        return -1;
    return for_children(c, n, guest_child, (void *)(uintptr_t)idx);
}

/* <virtual_machine name [priority] [budget] [period] [vtimer]> with <vcpu id> and guest-physical <map>s. */
#include <stdlib.h>

#include "names.h"
#include "parse.h"

#define VM_NAME_MAX (SYSIMG_NAME_LEN - 4) /* room for ":62" and the NUL in vCPU names */

int parse_vm_common(struct ctx *c, xmlNodePtr n, size_t pd, char **name, unsigned *priority)
{
    struct sd_pd *p = &c->sys->pds.v[pd];
    long line = xa_line(n);
    if (p->vm_line)
        return err_at(c->file, line, "PD '%s' has more than one virtual machine (first on line %ld)", p->name,
                      p->vm_line);
    p->vm_line = line;
    uint64_t prio = 0;
    if (xa_str(c->file, n, "name", true, name) || xa_u64(c->file, n, "priority", false, &prio))
        return -1;
    /* It names its --emit-dtb file and its generated regions (names.h). */
    if (name_check(c->file, line, "virtual machine", *name, VM_NAME_MAX))
        return -1;
    if (prio > 254)
        return err_at(c->file, line, "VM '%s': priority %llu out of range 0..254", *name,
                      (unsigned long long)prio);
    *priority = (unsigned)prio;
    return 0;
}

/* What the VMM does when the guest touches an address it was not given (docs/vmm.md). */
int parse_foreign_access(struct ctx *c, xmlNodePtr n, const char *vm, bool *stop)
{
    char *v = NULL;
    *stop = false;
    if (xa_str(c->file, n, "on_foreign_access", false, &v))
        return -1;
    int rc = 0;
    if (v && !strcmp(v, "stop"))
        *stop = true;
    else if (v && strcmp(v, "abort"))
        rc = err_at(c->file, xa_line(n),
                    "guest '%s': on_foreign_access must be \"abort\" or \"stop\", not \"%s\"", vm, v);
    free(v);
    return rc;
}

/* Who delivers the guest's virtual timer interrupt: the kernel itself (default) or, with
 * vtimer="vmm", the VMM on a FAULT_VPPI exit (docs/kernel.md, "Virtual timers"). */
int parse_vtimer(struct ctx *c, xmlNodePtr n, const char *vm, bool *to_vmm)
{
    char *v = NULL;
    *to_vmm = false;
    if (xa_str(c->file, n, "vtimer", false, &v))
        return -1;
    int rc = 0;
    if (v && !strcmp(v, "vmm"))
        *to_vmm = true;
    else if (v && strcmp(v, "kernel"))
        rc = err_at(c->file, xa_line(n), "VM '%s': vtimer must be \"kernel\" or \"vmm\", not \"%s\"", vm, v);
    free(v);
    return rc;
}

static int parse_vcpu(struct ctx *c, xmlNodePtr n, struct sd_vm *vm)
{
    static const char *const attrs[] = { "id", "cpu", NULL };
    if (vm->vcpus.n == SYS_VM_MAX_VCPUS)
        return err_at(c->file, xa_line(n), "VM '%s' has more than %u vCPUs", vm->name, SYS_VM_MAX_VCPUS);
    struct sd_vcpu *v = VEC_PUSH(vm->vcpus);
    v->line = xa_line(n);
    v->cpu = c->sys->pds.v[vm->vmm].cpu; /* by default on its VMM's core */
    if (xa_allowed(c->file, n, attrs) || parse_channel_id(c, n, &v->id) ||
        xa_u64(c->file, n, "cpu", false, &v->cpu) || for_children(c, n, NULL, NULL))
        return -1;
    return 0;
}

static int vm_child(struct ctx *c, xmlNodePtr parent, xmlNodePtr ch, void *arg)
{
    struct sd_vm *vm = &c->sys->vms.v[(size_t)(uintptr_t)arg];
    if (is(ch, "vcpu"))
        return parse_vcpu(c, ch, vm);
    if (is(ch, "map"))
        return parse_map(c, ch, VEC_PUSH(vm->maps), false);
    return unknown_child(c, parent, ch);
}

int parse_vm(struct ctx *c, xmlNodePtr n, size_t pd)
{
    static const char *const attrs[] = { "name", "priority", "budget", "period", "vtimer", NULL };
    size_t idx = c->sys->vms.n;
    struct sd_vm *vm = VEC_PUSH(c->sys->vms);
    vm->line = xa_line(n);
    vm->vmm = pd;
    uint64_t ignored;
    if (xa_allowed(c->file, n, attrs) || parse_vm_common(c, n, pd, &vm->name, &vm->priority) ||
        xa_u64(c->file, n, "budget", false, &ignored) || xa_u64(c->file, n, "period", false, &ignored) ||
        parse_vtimer(c, n, vm->name, &vm->vtimer_to_vmm) ||
        for_children(c, n, vm_child, (void *)(uintptr_t)idx))
        return -1;
    vm = &c->sys->vms.v[idx];
    if (!vm->vcpus.n)
        return err_at(c->file, vm->line, "VM '%s' has no <vcpu>", vm->name);
    c->sys->pds.v[pd].vm = (int)idx;
    return 0;
}

/* Virtual machines: guest-physical maps that overlap, and a VM that could starve its VMM. */
#include "check.h"
#include "diag.h"

static int check_vm_maps(const struct sd_system *sys, const struct sd_vm *vm)
{
    for (size_t j = 0; j < vm->maps.n; j++) {
        const struct sd_map *m = &vm->maps.v[j];
        const struct sd_mr *mr = &sys->mrs.v[m->mr];
        for (size_t k = 0; k < j; k++) {
            const struct sd_map *o = &vm->maps.v[k];
            const struct sd_mr *omr = &sys->mrs.v[o->mr];
            if (ranges_overlap(m->vaddr, mr->size, o->vaddr, omr->size))
                return err_at(
                    sys->file, m->line,
                    "VM '%s': map of '%s' at 0x%llx-0x%llx overlaps map of '%s' at 0x%llx-0x%llx (line %ld)",
                    vm->name, mr->name, (unsigned long long)m->vaddr,
                    (unsigned long long)(m->vaddr + mr->size), omr->name, (unsigned long long)o->vaddr,
                    (unsigned long long)(o->vaddr + omr->size), o->line);
        }
    }
    return 0;
}

int check_vms(const struct sd_system *sys)
{
    for (size_t i = 0; i < sys->vms.n; i++) {
        const struct sd_vm *vm = &sys->vms.v[i];
        const struct sd_pd *vmm = &sys->pds.v[vm->vmm];
        /* The VMM handles the VM's exits; a guest at its priority or above would keep it waiting. */
        if (vm->priority >= vmm->priority)
            return err_at(sys->file, vm->line,
                          "VM '%s' (priority %u) must have a lower priority than its VMM '%s' (priority %u), "
                          "which handles its exits",
                          vm->name, vm->priority, vmm->name, vmm->priority);
        if (check_vm_maps(sys, vm))
            return -1;
    }
    return 0;
}

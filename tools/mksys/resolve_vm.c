/* Virtual machines: unique names, their maps' regions, vCPU ids, and where their vCPUs go in
 * the PD table (after the native PDs, one VM after another). */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "sdesc.h"
#include "sysimg.h"

static int unique_vm_names(const struct sd_system *sys)
{
    for (size_t i = 0; i < sys->vms.n; i++)
        for (size_t j = 0; j < i; j++)
            if (!strcmp(sys->vms.v[i].name, sys->vms.v[j].name))
                return err_at(sys->file, sys->vms.v[i].line,
                              "duplicate virtual machine name '%s' (first defined on line %ld)",
                              sys->vms.v[i].name, sys->vms.v[j].line);
    return 0;
}

/* Microkit gives a VMM one id space for its child PDs and its vCPUs: both arrive in fault(). */
static int check_vcpu_ids(const struct sd_system *sys, const struct sd_vm *vm)
{
    const struct sd_pd *vmm = &sys->pds.v[vm->vmm];
    for (size_t i = 0; i < vm->vcpus.n; i++) {
        const struct sd_vcpu *v = &vm->vcpus.v[i];
        for (size_t j = 0; j < i; j++)
            if (vm->vcpus.v[j].id == v->id)
                return err_at(sys->file, v->line, "VM '%s': vCPU id %u is already used on line %ld", vm->name,
                              v->id, vm->vcpus.v[j].line);
        for (size_t k = 0; k < sys->pds.n; k++) {
            const struct sd_pd *c = &sys->pds.v[k];
            if (c->parent == (int)vm->vmm && c->child_id == v->id)
                return err_at(sys->file, v->line,
                              "VM '%s': vCPU id %u is already used by child PD '%s' (line %ld) of '%s'",
                              vm->name, v->id, c->name, c->line, vmm->name);
        }
    }
    return 0;
}

int sd_resolve_vms(struct sd_system *sys)
{
    if (unique_vm_names(sys))
        return -1;
    size_t next = sys->pds.n;
    for (size_t i = 0; i < sys->vms.n; i++) {
        struct sd_vm *vm = &sys->vms.v[i];
        char who[SYSIMG_NAME_LEN + 8];
        snprintf(who, sizeof who, "VM '%s'", vm->name);
        for (size_t j = 0; j < vm->maps.n; j++)
            if (sd_resolve_map(sys, who, &vm->maps.v[j]))
                return -1;
        if (check_vcpu_ids(sys, vm))
            return -1;
        if (next + vm->vcpus.n > SYSIMG_MAX_PDS)
            return err_at(sys->file, vm->line,
                          "too many protection domains and vCPUs: %zu PDs and %zu vCPUs, at most %u in total",
                          sys->pds.n, sd_num_vcpus(sys), SYSIMG_MAX_PDS);
        vm->first_pd = (uint32_t)next;
        next += vm->vcpus.n;
    }
    return 0;
}

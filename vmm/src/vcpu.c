/* The guest's vCPUs: ids, MPIDRs, PSCI on/off state and register access through the port. */
#include "esr.h"
#include "guest_image.h"
#include "mmio.h"
#include "psci.h"
#include "vmm.h"
#include "vmm_port.h"

int vmm_vcpu_index(const struct vmm *vm, microkit_child id)
{
    for (unsigned i = 0; i < vm->num_vcpus; i++)
        if (vm->vcpu[i].id == id)
            return (int)i;
    return -1;
}

/* vCPU index i is MPIDR affinity 0.0.0.i, as the vGIC's redistributors say (GICR_TYPER). */
uint64_t vmm_vcpu_mpidr(unsigned index)
{
    return MPIDR_RES1 | index;
}

int vmm_vcpu_by_mpidr(const struct vmm *vm, uint64_t mpidr)
{
    uint64_t aff = mpidr & MPIDR_AFF_MASK;
    if (aff >= vm->num_vcpus) /* also rejects any Aff1..Aff3 bit */
        return -1;
    return (int)aff;
}

/*
 * Starting or stopping a vCPU acks its timer PPI, unless some vCPU still owes an EOI for its
 * own tick (whose ack unmasks it anyway, and which must not fire twice). A host whose one
 * timer PPI serves every vCPU of a core, and which leaves it masked when a stopped vCPU's
 * timer fires, needs this (this kernel did before per-vCPU timers: no tick after a reboot).
 * This kernel masks the PPI per vCPU and clears that at restart and stop: a no-op here.
 */
static void unmask_vtimer(struct vmm *vm, unsigned index)
{
    for (unsigned i = 0; i < vm->num_vcpus; i++)
        if ((vm->vcpu[i].vppi_wait & (1u << (VMM_VTIMER_PPI - 16))) != 0)
            return;
    microkit_vcpu_arm_ack_vppi(vm->vcpu[index].id, VMM_VTIMER_PPI);
}

void vmm_vcpu_start(struct vmm *vm, unsigned index, uint64_t pc, uint64_t arg)
{
    unsigned id = vm->vcpu[index].id;
    vmm_port_reg_reset(id);
    vmm_port_reg_write(id, VMM_REG_X0, arg);
    vmm_port_reg_write(id, VMM_REG_SPSR, GUEST_BOOT_SPSR);
    vmm_port_reg_write(id, VMM_REG_PC, pc);
    vm->vcpu[index].on = true;
    vmm_port_flush(id);
    microkit_vcpu_restart(id, pc);
    /* The restart cleared the vCPU's list registers: the vGIC forgets (re-pends) what they held,
     * then fills them anew. */
    vgic_vcpu_power(vm->vgic, index, true);
    unmask_vtimer(vm, index);
}

void vmm_vcpu_stop(struct vmm *vm, unsigned index)
{
    struct vmm_vcpu *v = &vm->vcpu[index];
    vmm_port_flush(v->id);
    microkit_vcpu_stop(v->id);
    v->on = false;
    /* No maintenance exit comes from a stopped vCPU: what its LRs held is re-pended or acked. */
    vgic_vcpu_power(vm->vgic, index, false);
    /* A stopped CPU never EOIs: a tick it owes would keep the (shared) timer PPI masked. */
    for (uint32_t bits = v->vppi_wait; bits != 0; bits &= bits - 1)
        microkit_vcpu_arm_ack_vppi(v->id, 16 + (unsigned)__builtin_ctz(bits));
    v->vppi_wait = 0;
    unmask_vtimer(vm, index);
}

void vmm_vcpu_skip(struct vmm *vm, unsigned index, uint64_t pc, uint64_t esr)
{
    vmm_port_reg_write(vm->vcpu[index].id, VMM_REG_PC, pc + esr_insn_len(esr));
}

uint64_t vmm_vcpu_reg(struct vmm *vm, unsigned index, unsigned reg)
{
    if (reg == MMIO_REG_ZR)
        return 0;
    return vmm_port_reg_read(vm->vcpu[index].id, VMM_REG_X0 + reg);
}

void vmm_vcpu_set_reg(struct vmm *vm, unsigned index, unsigned reg, uint64_t v)
{
    if (reg != MMIO_REG_ZR)
        vmm_port_reg_write(vm->vcpu[index].id, VMM_REG_X0 + reg, v);
}

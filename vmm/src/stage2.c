/*
 * Stage-2 faults: the guest touched guest-physical memory it has no mapping for. A load or
 * store with a syndrome in a range of the MMIO table (the vGIC's frames, each virtIO device's
 * window) goes to that range's device. Anything else is an access the VMM
 * cannot satisfy: by default the guest gets a synchronous external abort at it (its kernel
 * handles that like any bus error); with on_foreign_access="stop" the guest is stopped (never
 * the VMM). Either way one line names the guest, the address, the access and the PC.
 */
#include <stdarg.h>
#include <stdio.h>

#include "esr.h"
#include "inject.h"
#include "insn.h"
#include "mmio.h"
#include "vmm.h"
#include "vmm_log.h"
#include "vmm_port.h"

typedef unsigned long long ull;

#define LOG_KEY_SEA (0x41ull << 56) /* 'A': one line per faulting IPA (below 2^54) and kind of access */

/* What the guest's abort reports, from the exit: fetch or data access, direction, CM, and the
 * VA unless the hardware set FnV (a fetch faults at its own address, the PC). */
static struct vmm_abort abort_of(const struct vmm_exit *e)
{
    bool insn = esr_ec(e->esr) != ESR_EC_DABT_LOW;
    return (struct vmm_abort){
        .insn = insn,
        .write = !insn && (e->esr & ESR_DABT_WNR) != 0,
        .cache_op = !insn && (e->esr & ESR_DABT_CM) != 0,
        .far_valid = insn || (e->esr & ESR_DABT_FNV) == 0,
        .far = insn ? e->pc : e->far,
    };
}

/* An access the VMM cannot satisfy: an abort for the guest (its line printed once per IPA and
 * kind of access, so a retrying guest cannot flood the console), or the guest stopped. */
static bool refuse(struct vmm *vm, unsigned index, const struct vmm_exit *e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool refuse(struct vmm *vm, unsigned index, const struct vmm_exit *e, const char *fmt, ...)
{
    bool stop = (vm->config->flags & VMM_CONFIG_F_STOP_ON_FOREIGN) != 0;
    struct vmm_abort a = abort_of(e);
    bool injected = !stop && vmm_inject_abort(vm, index, e->pc, e->spsr, &a);
    uint64_t kind = a.insn ? 2 : a.write ? 1 : 0;
    if (injected && !vmm_log_first(vm, LOG_KEY_SEA | (e->addr & 0x3fffffffffffffull) << 2 | kind))
        return true;
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (injected) {
        vmm_log(vm, "%s: synchronous external abort injected", what);
        return true; /* the vCPU resumes in its own exception vector */
    }
    if (!stop)
        vmm_log(vm, "%s: cannot inject an abort at PSTATE 0x%llx", what, (ull)e->spsr);
    else
        vmm_log(vm, "%s", what);
    return vmm_stop_guest(vm);
}

bool vmm_stage2_fault(struct vmm *vm, unsigned index, const struct vmm_exit *e)
{
    if (esr_ec(e->esr) != ESR_EC_DABT_LOW)
        return refuse(vm, index, e, "unhandled stage-2 fault at IPA 0x%llx (instruction fetch) pc 0x%llx",
                      (ull)e->addr, (ull)e->pc);
    if ((e->esr & ESR_DABT_S1PTW) != 0) {
        /* The guest's own page tables lie outside its RAM: nothing it could recover from. */
        vmm_log(vm, "unhandled stage-2 fault at IPA 0x%llx (stage-1 page-table walk) pc 0x%llx", (ull)e->addr,
                (ull)e->pc);
        return vmm_stop_guest(vm);
    }
    struct mmio_access m;
    if (mmio_decode(e->esr, &m) != MMIO_OK)
        return refuse(vm, index, e,
                      "%s of IPA 0x%llx at pc 0x%llx by instruction 0x%08x, a %s: "
                      "cannot be emulated (no syndrome, ISV=0)",
                      m.write ? "write" : "read", (ull)e->addr, (ull)e->pc, (unsigned)e->insn,
                      insn_class(e->insn));
    const struct vmm_mmio_range *r = vmm_mmio_find(&vm->mmio, e->addr);
    if (r == NULL)
        return refuse(vm, index, e, "unhandled stage-2 fault at IPA 0x%llx (%s, %u bytes) pc 0x%llx",
                      (ull)e->addr, m.write ? "write" : "read", m.size, (ull)e->pc);
    uint64_t value = m.write ? mmio_store_data(&m, vmm_vcpu_reg(vm, index, m.reg)) : 0;
    if (!r->fn(r->ctx, index, e->addr - r->base, m.size, m.write, &value))
        return refuse(
            vm, index, e, "%s of IPA 0x%llx (%u bytes, '%s' + 0x%llx) pc 0x%llx: refused by the device",
            m.write ? "write" : "read", (ull)e->addr, m.size, r->name, (ull)(e->addr - r->base), (ull)e->pc);
    if (!m.write)
        vmm_vcpu_set_reg(vm, index, m.reg, mmio_load_result(&m, value));
    vmm_vcpu_skip(vm, index, e->pc, e->esr);
    return true;
}

/*
 * Cores: bringing up the board's other cores at boot, and one core asking another to look at
 * its PDs (a kick: an SGI that makes it enter the kernel). Other cores never wait for a kicked
 * core; what they leave it is settled by that core itself (cpu_settle) under the kernel lock.
 */
#include "cpu.h"
#include "console.h"
#include "gic.h"
#include "ipc.h"
#include "klock.h"
#include "mmu.h"
#include "pd.h"
#include "psci.h"
#include "sched.h"
#include "arch.h"
#include "trap.h"
#include "timer.h"
#include "vtimer.h"

/* kernel.ld reserves this many stack areas */
_Static_assert(SYS_MAX_CPUS == 8, "kernel.ld's .stack holds 8 areas");

struct cpu cpus[SYS_MAX_CPUS];
unsigned num_cpus = 1;

extern char __cpu_stacks[], secondary_entry[];

void cpu_kick(struct cpu *c)
{
    if (!c->kick_pending) {
        c->kick_pending = true;
        gic_send_sgi(c->mpidr, SGI_KICK);
    }
}

void cpu_leave_work(struct cpu *c)
{
    c->work = true;
    cpu_kick(c);
}

void cpu_settle(struct cpu *c)
{
    c->work = false;
    for (unsigned i = 0; i < num_pds; i++) {
        struct pd *pd = &pds[i];
        if (pd->cpu != c->idx || pd->deferred_op == OP_NONE)
            continue;
        bool restart = pd->deferred_op == OP_RESTART;
        pd->deferred_op = OP_NONE;
        if (pd->is_vcpu)
            vcpu_do_restart_or_stop(pd, restart, pd->deferred_pc);
        else if (restart)
            pd_restart(pd, pd->deferred_pc);
        else
            pd_stop(pd);
    }
    timer_wake_by(vtimer_next_deadline()); /* deadlines other cores queued here */
}

/* The stack area of core k: its first word points at the core's struct cpu (cpu.h). */
static char *stack_area(unsigned k)
{
    return __cpu_stacks + k * KSTACK_SIZE;
}

void smp_init(const struct sysimg_header *h)
{
    uint64_t me = arch_this_mpidr();
    if (h->num_cpus > 1 && h->cpu_mpidr[0] != me)
        panic("booted on MPIDR 0x%lx, but the image's core 0 is 0x%lx", me, h->cpu_mpidr[0]);
    num_cpus = h->num_cpus;
    for (unsigned k = 0; k < num_cpus; k++) {
        cpus[k].idx = k;
        cpus[k].mpidr = k == 0 ? me : h->cpu_mpidr[k];
        cpus[k].cptr_now = ~0ul;
        *(struct cpu **)stack_area(k) = &cpus[k];
    }
    cpus[0].up = true;
}

void smp_boot(const struct sysimg_header *h)
{
    for (unsigned k = 1; k < num_cpus; k++) {
        int64_t rc = psci_cpu_on(h->psci_conduit, cpus[k].mpidr, (uint64_t)secondary_entry, k);
        if (rc != 0)
            panic("core %u (MPIDR 0x%lx): PSCI CPU_ON failed with %ld", k, cpus[k].mpidr, rc);
        uint64_t give_up = timer_now() + arch_counter_hz(); /* one second */
        while (!__atomic_load_n(&cpus[k].up, __ATOMIC_ACQUIRE))
            if (timer_now() > give_up)
                panic("core %u (MPIDR 0x%lx) did not come up", k, cpus[k].mpidr);
    }
    if (num_cpus > 1)
        kprintf("kernel: %u cores up\n", num_cpus);
}

/* A secondary core, from head.S with its MMU on and its stack set: the per-core half of what
 * kmain does, then it waits for the boot core to let PDs run. */
NORETURN void ksecondary(void)
{
    struct cpu *c = this_cpu();
    gic_cpu_init();
    vcpu_el1_for_pds();
    timer_init_cpu();
    stage2_init_regs();
    __atomic_store_n(&c->up, true, __ATOMIC_RELEASE);
    klock_take();
    kernel_leave();
    klock_drop();
    ctx_enter();
}

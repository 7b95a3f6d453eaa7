/*
 * Per-core kernel state. Each core runs on its own kernel stack; the first word of that stack's
 * area points at the core's struct cpu, so this_cpu() is a mask of SP and one load. Every field
 * is read and written only with the kernel lock held (klock.h), by its own core or, for the
 * fields marked "any core", by another core acting on a PD placed here, which then kicks it.
 */
#ifndef CPU_H
#define CPU_H
#include "deadline.h"
#include "runq.h"
#include "sys_limits.h"
#include "types.h"

#define KSTACK_SIZE 0x4000ul /* per core; its area is aligned to its size */

struct pd;

struct cpu {
    unsigned idx;
    uint64_t mpidr;
    bool up;
    struct pd *cur_pd;  /* the PD this core runs or returns to; may be blocked while idle; `current` */
    bool idle;          /* waiting in the idle loop: current is not running */
    bool kick_pending;  /* an SGI is on its way: no need for another (any core) */
    bool work;          /* another core left something to settle (any core): cpu_settle */
    struct runq rq;     /* any core: a PD placed here made ready */
    uint64_t slice_gen; /* counts the time slices that ended here (sched_tick) */

    /* lazy switching (sched.c) */
    struct pd *fp_owner; /* whose FP/SIMD registers are live here */
    struct pd *el1_vcpu; /* whose EL1 and GIC virtual interface state is here */
    bool el1_parked;     /* ...parked: PDs run, its park set is in its save area */
    bool el1_timer_out;  /* ...and its virtual timer is in its save area (vtimer.c) */
    uint64_t cptr_now;

    /* the EL2 timer (timer.c) */
    uint64_t slice_end;
    uint64_t programmed;
    uint64_t run_since; /* when cur_pd was last switched to or charged (budgets, sched.c) */

    /* virtual timers of the vCPUs placed here (vtimer.c) */
    struct dl_queue vt_queue; /* any core: a switched-out vCPU's deadline */
    struct pd *vt_live;       /* whose CNTV registers are in this CPU */
    bool vt_ppi_off;          /* any core (its redistributor): the vtimer PPI is disabled */

    uint64_t gicr_sgi; /* this core's redistributor SGI/PPI frame */
};

extern struct cpu cpus[SYS_MAX_CPUS];
extern unsigned num_cpus;

#ifdef KERNEL_HOST_TEST
extern struct cpu *host_test_cpu; /* tests/kernel: the core the code under test runs on */
static inline struct cpu *this_cpu(void)
{
    return host_test_cpu;
}
#else
static inline struct cpu *this_cpu(void)
{
    uint64_t sp;
    __asm__("mov %0, sp" : "=r"(sp));                       /* not volatile: the same within one call */
    return *(struct cpu **)((sp - 1) & ~(KSTACK_SIZE - 1)); /* sp may be the area's top */
}
#endif

#define current (this_cpu()->cur_pd)

/* Another core has something for c: an SGI makes it enter the kernel (coalesced). */
void cpu_kick(struct cpu *c);
/* ...something c must settle itself (cpu_settle) before it next picks what to run. */
void cpu_leave_work(struct cpu *c);
/* Before a core picks what to run: what other cores left it (deferred PD operations, the
 * EL2 timer for deadlines they queued). */
void cpu_settle(struct cpu *c);
struct sysimg_header;
/* Boot: the cores the image lists (before gic_init, which finds their redistributors). */
void smp_init(const struct sysimg_header *h);
/* Start every other core (PSCI CPU_ON) and wait until each is up. */
void smp_boot(const struct sysimg_header *h);
#endif

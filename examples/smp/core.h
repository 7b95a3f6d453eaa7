/* Which core a PD runs on, as the test sees it: MPIDR_EL1's affinity (a native PD reads the
 * real core's MPIDR; the kernel sets VMPIDR_EL2 only for vCPUs, and there are none here). */
#ifndef SMP_CORE_H
#define SMP_CORE_H

#include <inttypes.h>
#include <stdio.h>

#include <microkit.h>

static inline uint64_t read_mpidr(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
    return v;
}

static inline uint64_t read_cntpct(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v)::"memory");
    return v;
}

static inline uint64_t read_cntfrq(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

static inline uint64_t ticks_to_us(uint64_t ticks)
{
    uint64_t freq = read_cntfrq();
    return freq ? ticks / freq * 1000000u + ticks % freq * 1000000u / freq : 0;
}

static inline void say_core(void)
{
    printf("%s: running on the core with MPIDR 0x%" PRIx64 "\n", microkit_name, read_mpidr() & 0xffffffffu);
}

#endif

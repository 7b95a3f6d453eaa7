/*
 * The CPU-bound benchmark guest (systems/qemu_virt/bench_cpu1.system and bench_cpu2.system):
 * it does a fixed amount of integer work (work.h), touching no device and taking no
 * interrupt, so it makes no exit until it is done, then powers itself off with PSCI
 * SYSTEM_OFF; its VMM prints the exit counts and "powered off" lines, whose arrival
 * scripts/bench.py times. A result other than the one the build host computed is reported
 * first, with a vendor hypervisor call the VMM does not implement and logs by its ID.
 */
#include <stdint.h>

#include "cpu_work_expected.h"
#include "work.h"

#define PSCI_SYSTEM_OFF 0x84000008ul
#define CPU_WORK_WRONG  0x8600bad0ul /* SMCCC vendor-specific hypervisor range: unimplemented */

static void hvc(uint64_t fid)
{
    register uint64_t x0 __asm__("x0") = fid;
    __asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
}

void guest_main(void)
{
    if (cpu_work(CPU_WORK_ITERATIONS) != CPU_WORK_EXPECTED)
        hvc(CPU_WORK_WRONG);
    hvc(PSCI_SYSTEM_OFF);
}

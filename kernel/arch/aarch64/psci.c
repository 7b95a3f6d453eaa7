/*
 * PSCI through the conduit the board's device tree names. The kernel runs at EL2, so only SMC
 * reaches the firmware (an HVC would trap to the kernel itself).
 */
#include "psci.h"
#include "console.h"
#include "sysimg.h"

#define PSCI_CPU_ON_64 0xc4000003ul

int64_t psci_cpu_on(uint32_t conduit, uint64_t mpidr, uint64_t entry, uint64_t context)
{
    if (conduit != SYSIMG_PSCI_SMC)
        panic("PSCI conduit %u: the kernel at EL2 can call the firmware only by SMC", conduit);
    register uint64_t x0 __asm__("x0") = PSCI_CPU_ON_64;
    register uint64_t x1 __asm__("x1") = mpidr;
    register uint64_t x2 __asm__("x2") = entry;
    register uint64_t x3 __asm__("x3") = context;
    /* SMCCC 1.0 lets the firmware clobber x4-x17 too */
    __asm__ volatile("smc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     :
                     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",
                       "x17", "memory");
    return (int64_t)x0;
}

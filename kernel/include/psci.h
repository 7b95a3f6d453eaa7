/* PSCI calls the kernel makes to the firmware (arch/aarch64/psci.c). */
#ifndef PSCI_H
#define PSCI_H
#include "types.h"

/* CPU_ON: start the core `mpidr` at EL2 at `entry` (physical, MMU off) with x0 = context. 0 on
 * success, the PSCI error code otherwise. conduit is SYSIMG_PSCI_*. */
int64_t psci_cpu_on(uint32_t conduit, uint64_t mpidr, uint64_t entry, uint64_t context);
#endif

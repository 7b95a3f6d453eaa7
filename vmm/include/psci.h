/*
 * Guest firmware calls: SMCCC 1.1 (function ID in x0, arguments x1..x3, result in x0, through
 * SMC or HVC) and the PSCI 1.1 functions a Linux guest uses to bring CPUs up and down and to
 * power off or reset. IDs and return codes are those of the Arm specifications (DEN0022, DEN0028).
 */
#ifndef VMM_PSCI_H
#define VMM_PSCI_H

#include <stdbool.h>
#include <stdint.h>

/* SMCCC */
#define SMCCC_VERSION_FID       0x80000000u
#define SMCCC_ARCH_FEATURES_FID 0x80000001u
#define SMCCC_VERSION_1_1       0x10001u
#define SMCCC_NOT_SUPPORTED     (-1)
#define SMCCC_FID_64BIT         (1u << 30) /* SMC64/HVC64 calling convention */

/* PSCI function IDs (32-bit convention 0x84.., 64-bit 0xc4..) */
#define PSCI_VERSION           0x84000000u
#define PSCI_CPU_SUSPEND       0x84000001u
#define PSCI_CPU_OFF           0x84000002u
#define PSCI_CPU_ON            0x84000003u
#define PSCI_CPU_ON_64         0xc4000003u
#define PSCI_AFFINITY_INFO     0x84000004u
#define PSCI_AFFINITY_INFO_64  0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF        0x84000008u
#define PSCI_SYSTEM_RESET      0x84000009u
#define PSCI_FEATURES          0x8400000au

#define PSCI_VERSION_1_1 0x10001u

/* PSCI return codes */
#define PSCI_SUCCESS            0
#define PSCI_NOT_SUPPORTED      (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED             (-3)
#define PSCI_ALREADY_ON         (-4)
#define PSCI_ON_PENDING         (-5)
#define PSCI_INTERNAL_FAILURE   (-6)
#define PSCI_NOT_PRESENT        (-7)
#define PSCI_DISABLED           (-8)
#define PSCI_INVALID_ADDRESS    (-9)

/* AFFINITY_INFO results */
#define PSCI_AFFINITY_ON  0
#define PSCI_AFFINITY_OFF 1

/* MIGRATE_INFO_TYPE: no Trusted OS that needs migrating. */
#define PSCI_TOS_NOT_PRESENT_MP 2

/* MPIDR affinity fields Aff3 (39:32), Aff2..Aff0 (23:0). */
#define MPIDR_AFF_MASK 0xff00ffffffull
#define MPIDR_RES1     (1ull << 31)

struct vmm;

/* One firmware call by vCPU index `vcpu` with its arguments; *result goes to x0 when the call
 * returns true (resume the caller). false: the caller was stopped (CPU_OFF, SYSTEM_OFF/RESET). */
bool psci_call(struct vmm *vm, unsigned vcpu, uint32_t fid, const uint64_t args[3], int64_t *result);
/* Whether PSCI_FEATURES reports `fid` as implemented. */
bool psci_implemented(uint32_t fid);

/* The whole SMC/HVC exit: reads x0..x3 of vCPU index `vcpu`, dispatches, writes x0.
 * Returns whether to resume the caller. */
bool vmm_smccc(struct vmm *vm, unsigned vcpu);

#endif

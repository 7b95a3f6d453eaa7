/*
 * Trapped MSR/MRS (ESR EC 0x18): the register encoding and direction from the syndrome, and
 * the handler (ICC_SGI1R_EL1 writes go to the vGIC; anything else reads 0, writes are ignored).
 */
#ifndef VMM_SYSREG_H
#define VMM_SYSREG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sysreg_access {
    unsigned op0, op1, crn, crm, op2;
    unsigned reg; /* Rt; 31 = XZR */
    bool read;    /* MRS (Direction = 1) */
};

/* Op0..Op2 packed in the ISS's own layout, so a key is comparable with the syndrome. */
#define SYSREG_KEY(op0, op1, crn, crm, op2)                                                                  \
    (((uint32_t)(op0) << 20) | ((uint32_t)(op2) << 17) | ((uint32_t)(op1) << 14) | ((uint32_t)(crn) << 10) | \
     ((uint32_t)(crm) << 1))
#define SYSREG_ICC_SGI1R_EL1 SYSREG_KEY(3, 0, 12, 11, 5)

void sysreg_decode(uint64_t esr, struct sysreg_access *a);
uint32_t sysreg_key(const struct sysreg_access *a);
/* The generic assembler name, e.g. "S3_0_C12_C11_5". */
void sysreg_name(const struct sysreg_access *a, char *buf, size_t len);

struct vmm;
/* Emulates the trapped access of vCPU index `vcpu` and steps over it. Returns true (resume). */
bool vmm_sysreg_trap(struct vmm *vm, unsigned vcpu, uint64_t esr, uint64_t pc);

#endif

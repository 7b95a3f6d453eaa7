/* Saved EL1 state of a protection domain. The layout is shared with arch/aarch64/entry.S. */
#ifndef CONTEXT_H
#define CONTEXT_H
#include "types.h"

struct ctx {
    uint64_t x[31];  /* x0..x30 */
    uint64_t sp_el1; /* offset 248 */
    uint64_t elr;    /* offset 256: PC to return to */
    uint64_t spsr;   /* offset 264 */
};

struct fpctx {
    __uint128_t q[32];
    uint64_t fpcr, fpsr;
};

void fp_save(struct fpctx *fp);
void fp_restore(const struct fpctx *fp);
/* Leaves the kernel: restores the context TPIDR_EL2 points at and erets. */
NORETURN void ctx_enter(void);

#define SPSR_EL1H_MASKED 0x3c5ul /* EL1h, DAIF masked: PDs never take interrupts at EL1 */
#endif

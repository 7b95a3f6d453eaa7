/* System register access helpers. */
#ifndef SYSREG_H
#define SYSREG_H
#include "types.h"

#define sysreg_read(r)                                                                                       \
    ({                                                                                                       \
        uint64_t v_;                                                                                         \
        __asm__ volatile("mrs %0, " #r : "=r"(v_));                                                          \
        v_;                                                                                                  \
    })
#define sysreg_write(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))
#define isb()              __asm__ volatile("isb" ::: "memory")
#define dsb(opt)           __asm__ volatile("dsb " #opt ::: "memory")
#define wfi()              __asm__ volatile("wfi" ::: "memory")

/* GICv3 CPU interface registers by encoding, so no assembler GIC support is needed. */
#define ICC_IAR1_EL1    S3_0_C12_C12_0
#define ICC_EOIR1_EL1   S3_0_C12_C12_1
#define ICC_PMR_EL1     S3_0_C4_C6_0
#define ICC_BPR1_EL1    S3_0_C12_C12_3
#define ICC_CTLR_EL1    S3_0_C12_C12_4
#define ICC_SRE_EL1     S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SRE_EL2     S3_4_C12_C9_5
#define ICC_SGI1R_EL1   S3_0_C12_C11_5

static inline uint64_t mmio_read32(uint64_t addr)
{
    return *(volatile uint32_t *)addr;
}
static inline void mmio_write32(uint64_t addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}
static inline uint64_t mmio_read64(uint64_t addr)
{
    return *(volatile uint64_t *)addr;
}
static inline void mmio_write64(uint64_t addr, uint64_t v)
{
    *(volatile uint64_t *)addr = v;
}
#endif

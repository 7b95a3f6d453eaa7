/*
 * Exception Syndrome Register fields the VMM decodes (ARM ARM, ESR_EL2): the exception class
 * and, for data aborts, the instruction syndrome that lets a trapped load or store be emulated.
 */
#ifndef VMM_ESR_H
#define VMM_ESR_H

#include <stdbool.h>
#include <stdint.h>

/* Exception classes, ESR bits 31:26. */
#define ESR_EC_UNKNOWN   0x00u
#define ESR_EC_WFX       0x01u
#define ESR_EC_HVC32     0x12u
#define ESR_EC_SMC32     0x13u
#define ESR_EC_HVC64     0x16u
#define ESR_EC_SMC64     0x17u
#define ESR_EC_SYS64     0x18u /* trapped MSR, MRS or system instruction */
#define ESR_EC_IABT_LOW  0x20u /* instruction abort from a lower EL */
#define ESR_EC_IABT_SAME 0x21u /* instruction abort taken without a change of EL */
#define ESR_EC_DABT_LOW  0x24u /* data abort from a lower EL */
#define ESR_EC_DABT_SAME 0x25u /* data abort taken without a change of EL */

#define ESR_IL (1u << 25) /* 32-bit instruction (always so for AArch64) */

/* Data abort ISS. SAS..AR are valid only when ISV is set; WnR and S1PTW always are. */
#define ESR_DABT_ISV       (1u << 24)
#define ESR_DABT_SAS_SHIFT 22         /* access size: 0 byte, 1 halfword, 2 word, 3 doubleword */
#define ESR_DABT_SSE       (1u << 21) /* sign-extend the loaded value */
#define ESR_DABT_SRT_SHIFT 16         /* transfer register, 5 bits; 31 = XZR/WZR */
#define ESR_DABT_SF        (1u << 15) /* the register is 64-bit (X), else 32-bit (W) */
#define ESR_DABT_AR        (1u << 14) /* acquire/release semantics */
#define ESR_DABT_FNV       (1u << 10) /* FAR not valid (instruction aborts too) */
#define ESR_DABT_CM        (1u << 8)  /* a cache maintenance instruction (reported with WnR = 1) */
#define ESR_DABT_S1PTW     (1u << 7)  /* stage-2 fault during a stage-1 table walk */
#define ESR_DABT_WNR       (1u << 6)  /* write, not read */
#define ESR_DABT_DFSC_MASK 0x3fu
#define ESR_FSC_SEA        0x10u /* DFSC/IFSC: synchronous external abort, not on a table walk */

static inline unsigned esr_ec(uint64_t esr)
{
    return (unsigned)(esr >> 26) & 0x3fu;
}

/* Bytes to step over the trapped instruction (the exit leaves the PC on it). */
static inline uint64_t esr_insn_len(uint64_t esr)
{
    return (esr & ESR_IL) != 0 ? 4 : 2;
}

#endif

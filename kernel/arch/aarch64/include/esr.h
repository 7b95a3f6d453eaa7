/* ESR_EL2 / ESR_EL1 fields: exception classes and the syndrome bits the kernel reads. */
#ifndef ESR_H
#define ESR_H

#define ESR_EC(esr)   (((esr) >> 26) & 0x3f)
#define EC_UNKNOWN    0x00
#define EC_WFX        0x01
#define EC_FP         0x07
#define EC_ILLEGAL    0x0e
#define EC_HVC64      0x16
#define EC_SMC64      0x17
#define EC_SYSREG     0x18
#define EC_IABT_LOWER 0x20
#define EC_IABT_SAME  0x21
#define EC_PC_ALIGN   0x22
#define EC_DABT_LOWER 0x24
#define EC_DABT_SAME  0x25
#define EC_SP_ALIGN   0x26
#define EC_SERROR     0x2f
#define EC_BRK        0x3c

#define ESR_ISV       (1u << 24) /* data abort: the syndrome describes the access */
#define ESR_WNR       (1u << 6)  /* data abort: a write */
#define ESR_WFX_WFE   1u         /* WFx trap: WFE rather than WFI */
#define FSC_ALIGNMENT 0x21
#endif

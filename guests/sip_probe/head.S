/*
 * The SiP probe guest: a minimal arm64 Image (the Linux boot-protocol header, so the VMM loads
 * it as it loads Linux) that makes the firmware call Linux's i.MX8MQ SoC driver makes, the SiP
 * "get SoC info" 0xc2000006, by SMC as that driver does, and then powers off through PSCI
 * SYSTEM_OFF if the answer was SMCCC NOT_SUPPORTED (-1). Any other answer is reported by a
 * second, different call, 0xc2000007, which the VMM logs as unsupported too, before powering
 * off (tests/system/test_passthrough.py refuses that line). Position independent: no memory
 * is touched, no stack is needed.
 */
#include "arm64_image_header.S"

    .section .text.head, "ax"
    .global _start
_start:
    arm64_image_header probe, image_end
probe:
    movz    x0, #0x0006
    movk    x0, #0xc200, lsl #16    /* IMX_SIP_GET_SOC_INFO */
    mov     x1, xzr
    mov     x2, xzr
    mov     x3, xzr
    smc     #0
    cmn     x0, #1                  /* NOT_SUPPORTED is -1 in all 64 bits */
    b.eq    off
    movz    x0, #0x0007
    movk    x0, #0xc200, lsl #16    /* "the answer was wrong", in the VMM's log */
    smc     #0
off:
    movz    x0, #0x0008
    movk    x0, #0x8400, lsl #16    /* PSCI SYSTEM_OFF */
    smc     #0
1:  wfi                             /* SYSTEM_OFF does not return */
    b       1b
    .balign 16
image_end:

/*
 * A minimal arm64 Image for the virtual-timer sleeper guest: the Linux boot-protocol header (so
 * the VMM loads it as it loads Linux), a stack and a jump to C. Runs at EL1h, MMU off, IRQs
 * masked: it waits for its timer with WFI and takes the interrupt by reading ICC_IAR1, so it
 * needs no vectors; any exception parks it (and its results then never complete).
 */
#include "arm64_image_header.S"

    .section .text.head, "ax"
    .global _start
_start:
    arm64_image_header entry, __image_end
entry:
    msr     daifset, #0xf
    ldr     x1, =__stack_top
    mov     sp, x1
    ldr     x1, =vectors
    msr     vbar_el1, x1
    isb
    bl      guest_main
1:  wfi
    b       1b
    .ltorg

    .text
    .balign 0x800
vectors:
    .rept   16
    b       .
    .balign 0x80
    .endr

/*
 * A minimal arm64 Image for the cpu_work guest: the Linux boot-protocol header (so the VMM
 * loads it as it loads Linux), a stack and a jump to C. Runs at EL1h, MMU off, interrupts
 * masked; it takes no exceptions, so any exception parks it in a loop of its vectors (and it
 * then never powers off, which the benchmark reports).
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

/*
 * The entry of the bare-metal guests written in C (vtimer_sleep, cpu_work): an arm64 Image
 * header (so the VMM loads them as it loads Linux), a stack and a jump to guest_main. They run
 * at EL1h with the MMU off and interrupts masked and take no exceptions, so their vectors only
 * park them (the system's test then sees the guest never finish).
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

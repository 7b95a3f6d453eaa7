/*
 * A minimal arm64 Image for the MMIO benchmark guest: the Linux boot-protocol header (so the
 * VMM loads it exactly as it loads Linux), then a stack, the exception vectors and a jump to
 * C. Runs at EL1h, MMU off.
 */
#include "arm64_image_header.S"

    .section .text.head, "ax"
    .global _start
_start:
    arm64_image_header entry, __image_end
entry:
    ldr     x1, =__stack_top
    mov     sp, x1
    ldr     x1, =vectors
    msr     vbar_el1, x1
    isb
    bl      guest_main
1:  wfi
    b       1b
    .ltorg

/* Synchronous exceptions from EL1 with SP_EL1 (offset 0x200) go to guest_sync(esr, elr, far,
 * x30), which returns where to resume; everything else is unexpected and parks the CPU. */
    .text
    .balign 0x800
vectors:
    .rept   4
    b       .
    .balign 0x80
    .endr
    b       sync_spx
    .balign 0x80
    .rept   11
    b       .
    .balign 0x80
    .endr

sync_spx:
    sub     sp, sp, #176
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x29, [sp, #144]
    str     x30, [sp, #160]
    mrs     x0, esr_el1
    mrs     x1, elr_el1
    mrs     x2, far_el1
    mov     x3, x30
    bl      guest_sync
    msr     elr_el1, x0
    ldp     x0, x1, [sp, #0]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x29, [sp, #144]
    ldr     x30, [sp, #160]
    add     sp, sp, #176
    eret

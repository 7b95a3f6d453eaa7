/*
 * A minimal arm64 Image for the MMIO benchmark guest: the Linux boot-protocol header (so the
 * VMM loads it exactly as it loads Linux), then a stack and a jump to C. Runs at EL1, MMU off.
 */
    .section .text.head, "ax"
    .global _start
_start:
    b       entry
    .word   0
    .quad   0                       /* text_offset: at the start of guest RAM */
    .quad   __image_end - _start    /* image_size */
    .quad   0xa                     /* little-endian, 4 KiB pages */
    .quad   0, 0, 0
    .ascii  "ARM\x64"
    .word   0
entry:
    ldr     x1, =__stack_top
    mov     sp, x1
    bl      guest_main
1:  wfi
    b       1b
    .ltorg

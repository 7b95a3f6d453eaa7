/*
 * Entry point. The first 64 bytes are the arm64 Image header, so QEMU and U-Boot's booti load the
 * image at RAM base + 2 MiB and enter it at EL2 with x0 = DTB. The image tool fills image_size.
 */
    .section .text.head, "ax"
    .global _start
_start:
    b       boot_el2                /* code0 */
    .word   0                       /* code1 */
    .quad   0x200000                /* text_offset: load at RAM base + 2 MiB */
    .quad   0                       /* image_size, patched by the image tool */
    .quad   0x2                     /* flags: little-endian, 4 KiB pages; bit 3 clear: U-Boot booti moves
                                       the image to the 2 MiB-aligned RAM base + text_offset, where it is
                                       linked (0x40200000 on QEMU virt and the i.MX8M boards) */
    .quad   0, 0, 0                 /* reserved */
    .ascii  "ARM\x64"               /* magic */
    .word   0                       /* reserved (PE header offset) */

boot_el2:
    msr     daifset, #0xf
    mov     x19, x0                 /* keep the DTB address */
    mrs     x1, CurrentEL
    cmp     x1, #(2 << 2)
    b.ne    not_el2
    /* we link at a fixed address; refuse to run anywhere else rather than fail strangely */
    adr     x1, _start
    ldr     x2, =_start
    cmp     x1, x2
    b.ne    wrong_address
    ldr     x1, =__stack_top
    mov     sp, x1
    ldr     x1, =__bss_start
    ldr     x2, =__bss_end
1:  cmp     x1, x2
    b.hs    2f
    str     xzr, [x1], #8
    b       1b
2:  ldr     x1, =el2_vectors
    msr     vbar_el2, x1
    isb
    mov     x0, x19
    bl      kmain
not_el2:
wrong_address:
3:  wfe
    b       3b
    .ltorg

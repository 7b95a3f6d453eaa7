/*
 * Entry point. The first 64 bytes are the arm64 Image header, so QEMU and U-Boot's booti load the
 * image at RAM base + 2 MiB and enter it at EL2 with x0 = DTB. The image tool fills image_size.
 */
#define KSTACK_SIZE 0x4000 /* cpu.h */

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
    ldr     x1, =__bss_start
    ldr     x2, =__bss_end
1:  cmp     x1, x2
    b.hs    2f
    str     xzr, [x1], #8
    b       1b
2:  ldr     x1, =__cpu_stacks       /* core 0's stack area: its first word -> cpus[0] */
    ldr     x2, =cpus
    str     x2, [x1]
    add     sp, x1, #KSTACK_SIZE
    ldr     x1, =el2_vectors
    msr     vbar_el2, x1
    isb
    mov     x0, x19
    bl      kmain

/*
 * Another core, started by the boot core with PSCI CPU_ON (smp.c): x0 = its index, EL2, MMU
 * off. It turns on the boot core's EL2 map (el2_mmu_regs, cleaned to memory for this read
 * with the MMU off), takes the stack area smp_init prepared for it, and goes on in C.
 */
    .global secondary_entry
secondary_entry:
    msr     daifset, #0xf
    mov     x19, x0
    ldr     x1, =el2_mmu_regs
    ldp     x2, x3, [x1]            /* MAIR, TCR */
    ldp     x4, x5, [x1, #16]       /* TTBR0, SCTLR */
    msr     mair_el2, x2
    msr     tcr_el2, x3
    msr     ttbr0_el2, x4
    isb
    tlbi    alle2
    ic      iallu
    dsb     sy
    isb
    msr     sctlr_el2, x5
    isb
    ldr     x1, =__cpu_stacks
    add     x2, x19, #1
    lsl     x2, x2, #14             /* KSTACK_SIZE */
    add     sp, x1, x2
    ldr     x1, =el2_vectors
    msr     vbar_el2, x1
    isb
    bl      ksecondary
not_el2:
wrong_address:
3:  wfe
    b       3b
    .ltorg

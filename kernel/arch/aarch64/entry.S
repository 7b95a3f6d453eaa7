/*
 * EL2 exception vectors. Exceptions from a PD (lower EL, AArch64) save the PD's registers into
 * the context TPIDR_EL2 points at, run a C handler on the core's fresh kernel stack with the
 * kernel lock held (klock.h), and leave through ctx_enter with whatever context the scheduler
 * chose. The kernel itself never takes exceptions
 * on purpose; if it does, kernel_panic_exception reports it.
 */
#define CTX_SP   248
#define CTX_ELR  256
#define CTX_SPSR 264
#define KSTACK_SIZE 0x4000 /* cpu.h */

.macro save_pd_context
    stp     x0, x1, [sp, #-16]!
    mrs     x0, tpidr_el2
    stp     x2, x3, [x0, #16]
    stp     x4, x5, [x0, #32]
    stp     x6, x7, [x0, #48]
    stp     x8, x9, [x0, #64]
    stp     x10, x11, [x0, #80]
    stp     x12, x13, [x0, #96]
    stp     x14, x15, [x0, #112]
    stp     x16, x17, [x0, #128]
    stp     x18, x19, [x0, #144]
    stp     x20, x21, [x0, #160]
    stp     x22, x23, [x0, #176]
    stp     x24, x25, [x0, #192]
    stp     x26, x27, [x0, #208]
    stp     x28, x29, [x0, #224]
    ldp     x2, x3, [sp], #16
    stp     x2, x3, [x0, #0]
    mrs     x2, sp_el1
    stp     x30, x2, [x0, #240]
    mrs     x2, elr_el2
    mrs     x3, spsr_el2
    stp     x2, x3, [x0, #CTX_ELR]
.endm

.macro vector_entry label
    .balign 0x80
    b       \label
.endm

    .section .text.vectors, "ax"
    .balign 0x800
    .global el2_vectors
el2_vectors:
    vector_entry cur_el_panic       /* current EL, SP_EL0 */
    vector_entry cur_el_panic
    vector_entry cur_el_panic
    vector_entry cur_el_panic
    vector_entry cur_el_panic       /* current EL, SP_ELx */
    vector_entry cur_el_panic
    vector_entry cur_el_panic
    vector_entry cur_el_panic
    vector_entry lower_sync         /* lower EL, AArch64 */
    vector_entry lower_irq
    vector_entry lower_irq          /* FIQ: treated as IRQ (group 0 is unused) */
    vector_entry lower_serror
    vector_entry cur_el_panic       /* lower EL, AArch32: PDs never run AArch32 */
    vector_entry cur_el_panic
    vector_entry cur_el_panic
    vector_entry cur_el_panic

lower_sync:
    save_pd_context
    bl      klock_take
    bl      handle_lower_sync
    bl      klock_drop
    b       ctx_enter

lower_irq:
    save_pd_context
    bl      klock_take
    bl      handle_lower_irq
    bl      klock_drop
    b       ctx_enter

lower_serror:
    save_pd_context
    bl      klock_take
    bl      handle_lower_serror
    bl      klock_drop
    b       ctx_enter

cur_el_panic:
    mrs     x0, esr_el2
    mrs     x1, elr_el2
    mrs     x2, far_el2
    bl      kernel_panic_exception

    .text
    .global ctx_enter
ctx_enter:
    mov     x1, sp                  /* nothing on this core's stack survives a return to a PD: */
    sub     x1, x1, #1              /* back to the top of its area (cpu.h) */
    and     x1, x1, #~(KSTACK_SIZE - 1)
    add     sp, x1, #KSTACK_SIZE
    mrs     x0, tpidr_el2
    ldp     x2, x3, [x0, #CTX_ELR]
    msr     elr_el2, x2
    msr     spsr_el2, x3
    ldp     x30, x2, [x0, #240]
    msr     sp_el1, x2
    ldp     x2, x3, [x0, #16]
    ldp     x4, x5, [x0, #32]
    ldp     x6, x7, [x0, #48]
    ldp     x8, x9, [x0, #64]
    ldp     x10, x11, [x0, #80]
    ldp     x12, x13, [x0, #96]
    ldp     x14, x15, [x0, #112]
    ldp     x16, x17, [x0, #128]
    ldp     x18, x19, [x0, #144]
    ldp     x20, x21, [x0, #160]
    ldp     x22, x23, [x0, #176]
    ldp     x24, x25, [x0, #192]
    ldp     x26, x27, [x0, #208]
    ldp     x28, x29, [x0, #224]
    ldp     x0, x1, [x0, #0]
    eret
    .ltorg

/*
 * PD entry. The kernel has set SP (to the stack top) and enabled FP/SIMD; pd.ld places this
 * first in .text so the entry is the program base. Also the restart entry point.
 */
    .section .text.start, "ax", %progbits
    .global _start
    .type _start, %function
_start:
    /* Thread pointer for picolibc's thread-local data (errno): pd.ld computes it. */
    adrp    x0, __tls_tp
    add     x0, x0, :lo12:__tls_tp
    msr     tpidr_el0, x0
    mov     x29, #0             /* end of the frame chain for debuggers */
    mov     x30, #0
    bl      microkit_run
    udf     #0                  /* microkit_run never returns */
    .size _start, . - _start

/*
 * The page of EL1 vectors the kernel maps into every PD at PD_VECTORS_VADDR. A PD runs at EL1,
 * so its own exceptions (undefined instruction, alignment fault) are taken at EL1; each stub
 * forwards the exception to the kernel with a numbered HVC, and the kernel reports it as a fault
 * of that PD.
 */
#include "pd_abi.h"

.macro stub n
    .balign 0x80
    hvc     #(PD_VEC_HVC_BASE + \n)
    b       .
.endm

    .section .rodata.pd_vectors, "a"
    .balign 0x1000
    .global pd_vectors
pd_vectors:
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    stub \n
    .endr
    .balign 0x1000

/*
 * Memory for picolibc's malloc (its sbrk takes __heap_start..__heap_end). This object is only
 * linked into PDs that call malloc, so other PDs pay nothing for it.
 */
#ifndef MICROKIT_HEAP_SIZE
#define MICROKIT_HEAP_SIZE 0x10000
#endif
    .section .bss.microkit_heap, "aw", %nobits
    .balign 16
    .global __heap_start
    .global __heap_end
__heap_start:
    .skip   MICROKIT_HEAP_SIZE
__heap_end:

/* Board facts read from the device tree (libfdt). */
#ifndef MKSYS_BOARD_H
#define MKSYS_BOARD_H

#include <stdbool.h>
#include <stdint.h>

struct board {
    uint64_t ram_base, ram_size; /* first range of the first memory node */
    uint64_t gicd_base;
    uint64_t gicr_base, gicr_size;
    uint32_t timer_irq; /* INTID of the EL2 physical timer */
    uint32_t uart_kind; /* SYSIMG_UART_* */
    uint64_t uart_base;
    uint32_t stage2_block; /* SYSIMG_S2_BLOCK_*: from the command line (its board.mk), not the tree */
    bool kernel_in_ram;    /* --kernel-in-ram, likewise (KERNEL_IN_RAM in its board.mk) */
    const char *file;      /* the DTB, for messages */
    void *fdt;             /* the whole blob, kept for guest device trees */
};

/* Errors are reported as "FILE: error: ...". */
int board_load(const char *file, struct board *b);
void board_free(struct board *b);

#endif

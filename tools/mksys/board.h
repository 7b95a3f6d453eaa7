/* Board facts read from the device tree (libfdt). */
#ifndef MKSYS_BOARD_H
#define MKSYS_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sys_limits.h"

struct board {
    uint64_t ram_base, ram_size; /* first range of the first memory node */
    uint64_t gicd_base;
    uint64_t gicr_base, gicr_size;
    uint32_t timer_irq; /* INTID of the EL2 physical timer */
    uint32_t uart_kind; /* SYSIMG_UART_* */
    uint64_t uart_base;
    uint32_t num_cpus;            /* its cores (/cpus, in order): 1 .. SYS_MAX_CPUS */
    uint64_t mpidr[SYS_MAX_CPUS]; /* core k's MPIDR affinity (its cpu node's reg) */
    uint32_t psci_conduit;        /* SYSIMG_PSCI_*: /psci method; NONE allowed for one core only */
    uint32_t stage2_block;        /* SYSIMG_S2_BLOCK_*: from the command line (its board.mk), not the tree */
    bool kernel_in_ram;           /* --kernel-in-ram, likewise (KERNEL_IN_RAM in its board.mk) */
    const char *file;             /* the DTB, for messages */
    void *fdt;                    /* the whole blob, kept for guest device trees */
};

/* Errors are reported as "FILE: error: ...". */
int board_load(const char *file, struct board *b);
void board_free(struct board *b);

/* dt_cpus.c: num_cpus, mpidr and psci_conduit (part of board_load). */
struct dtb;
int board_cpus(const struct dtb *d, struct board *b);
/* "2 cores (0..1)" or "1 core (0)", for messages about a `cpu` out of range; returns buf. */
const char *board_cores(const struct board *b, char *buf, size_t len);

#endif

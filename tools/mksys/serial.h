/* <serial>: one UART shared by client PDs through a driver PD and the TX and RX virtualisers
 * (docs/serial.md). Parsed by parse_serial.c, expanded by serial_expand.c before sd_resolve into
 * PDs, regions, maps, channels, the driver's IRQ and a configuration patched into every PD
 * (include/serial_config.h); the kernel's log ring goes into the sysimg header. */
#ifndef MKSYS_SERIAL_H
#define MKSYS_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "board.h"
#include "sdesc.h"
#include "serial_config.h"

/* Defaults and limits of the attributes (docs/system-description.md). */
#define SERIAL_BAUD_DEFAULT      115200u
#define SERIAL_BAUD_MIN          300u
#define SERIAL_BAUD_MAX          4000000u
#define SERIAL_RING_DEFAULT      0x1000u
#define SERIAL_LOG_DEFAULT       0x4000u
#define SERIAL_RING_MIN          0x100u
#define SERIAL_RING_MAX          0x100000u
#define SERIAL_DRIVER_PRIO       254u
#define SERIAL_TX_PRIO           253u
#define SERIAL_RX_PRIO           252u
#define SERIAL_REF_CLOCK_DEFAULT 24000000u

/* The generated PDs and their programs (the driver's comes from the UART's compatible). */
#define SERIAL_DRIVER_PD "serial_driver"
#define SERIAL_TX_PD     "serial_tx"
#define SERIAL_RX_PD     "serial_rx"
#define SERIAL_TX_ELF    "serial_tx.elf"
#define SERIAL_RX_ELF    "serial_rx.elf"

/* Where the expansion maps its regions in every PD it touches: one after another from here,
 * each followed by an unmapped guard page. */
#define SERIAL_VADDR 0x50000000ull

/* A driver program and how its UART's reference clock is named in `clock-names`. */
struct serial_driver_kind {
    const char *program;
    const char *clock_name;
};

/* The UART node, as serial_uart.c reads it from the board. */
struct serial_uart {
    int node;
    char path[128];      /* printable */
    char compatible[64]; /* the compatible string that chose the driver */
    const struct serial_driver_kind *drv;
    uint64_t reg_base, reg_size; /* reg entry 0 */
    uint64_t map_base, map_size; /* page-rounded */
    uint32_t intid;
    bool edge;
    uint64_t ref_clock_hz;
    char clock_source[160]; /* where ref_clock_hz came from, for --report */
    bool is_console;        /* the board's /chosen/stdout-path: the kernel's console */
};

struct serial_out {
    struct serial_uart uart;
    size_t driver_pd, tx_pd, rx_pd;
    size_t client_pd[SERIAL_MAX_CLIENTS];
    size_t uart_mr, drv_tx_mr, drv_rx_mr, tx_mr[SERIAL_MAX_CLIENTS], rx_mr[SERIAL_MAX_CLIENTS];
    bool has_log;
    size_t log_mr;
    size_t mode_mr; /* framed mode's state, shared by TX and RX */
    struct serial_driver_config drv;
    struct serial_tx_config tx;
    struct serial_rx_config rx;
    struct serial_client_config client[SERIAL_MAX_CLIENTS];
};

/* serial_uart.c: the driver program for a node's compatible (NULL if none fits). */
const struct serial_driver_kind *serial_driver_for(const void *fdt, int node, char *compat, size_t len);
/* Every driver program the table knows, NULL-terminated (for --list-inputs without a board). */
extern const char *const serial_driver_programs[];
/* Finds and reads the <serial>'s UART; errors at its line. */
int serial_uart_read(const struct sd_system *sys, const struct sd_serial *s, const struct board *b,
                     struct serial_uart *u);

/* serial_expand.c: every <serial> of sys, after guests_expand and before sd_resolve. */
int serials_expand(struct sd_system *sys, const struct board *b);

/* serial_sysimg.c: the header's log ring and UART owner (SYSIMG_NO_PARENT without a
 * <serial>); needs the layout's physical addresses. */
struct sysimg_header;
void serial_header(const struct sd_system *sys, struct sysimg_header *h);

/* emit_serial.c: the <serial> element as written, with its expansion as a comment. */
void emit_serials(FILE *f, const struct sd_system *sys);
/* report_serial.c: the serial section of --report. */
void report_serials(FILE *f, const struct sd_system *sys);

void serial_free(struct sd_serial *s);

#endif

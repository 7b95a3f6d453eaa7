/*
 * The driver's line-error report: one line when the counts changed, at most one per
 * UART_ERR_QUIET_PASSES interrupt passes, so a burst of noise on the line prints one line and
 * not one per character. Changes during the quiet time are in the next line printed.
 */
#ifndef UART_ERRORS_H
#define UART_ERRORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uart_ops.h"

#define UART_ERR_QUIET_PASSES 64u

struct uart_err_report {
    struct uart_err_counts shown; /* the counts in the last line printed */
    uint32_t quiet;               /* passes left before another line may be printed */
};

/* After one pass over the UART: true when a line is due now (then call uart_err_line). */
bool uart_err_due(struct uart_err_report *r, const struct uart_err_counts *now);

/* "<name>: rx errors: framing F parity P break B overrun O\n" into buf; starts the quiet time. */
void uart_err_line(struct uart_err_report *r, const struct uart_err_counts *now, const char *name, char *buf,
                   size_t len);

#endif

/* Rate-limited reporting of the line-error counters (uart_errors.h). */
#include <inttypes.h>
#include <stdio.h>

#include "uart_errors.h"

static bool counts_equal(const struct uart_err_counts *a, const struct uart_err_counts *b)
{
    return a->framing == b->framing && a->parity == b->parity && a->brk == b->brk && a->overrun == b->overrun;
}

bool uart_err_due(struct uart_err_report *r, const struct uart_err_counts *now)
{
    if (r->quiet > 0) {
        r->quiet--;
        return false;
    }
    return !counts_equal(&r->shown, now);
}

void uart_err_line(struct uart_err_report *r, const struct uart_err_counts *now, const char *name, char *buf,
                   size_t len)
{
    snprintf(buf, len,
             "%s: rx errors: framing %" PRIu32 " parity %" PRIu32 " break %" PRIu32 " overrun %" PRIu32 "\n",
             name, now->framing, now->parity, now->brk, now->overrun);
    r->shown = *now;
    r->quiet = UART_ERR_QUIET_PASSES;
}

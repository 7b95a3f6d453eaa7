/*
 * The few UART operations the direct baseline PD needs, polling (no interrupt): one file per
 * UART (uart_poll_pl011.c, uart_poll_imx.c), chosen by which program the system names.
 */
#ifndef SERIAL_BENCH_UART_POLL_H
#define SERIAL_BENCH_UART_POLL_H

#include <stdbool.h>
#include <stdint.h>

/* The UART's registers, mapped uncached (setvar_vaddr in the system file). */
extern uintptr_t uart_base;

void uart_poll_init(void); /* transmitter and receiver on, interrupts off */
bool uart_poll_tx_full(void);
void uart_poll_put(uint8_t c); /* after !uart_poll_tx_full() */
bool uart_poll_rx_empty(void);
uint8_t uart_poll_get(void); /* after !uart_poll_rx_empty() */

#endif

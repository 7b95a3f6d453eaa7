/* The board's console UART, transmit only (arch/aarch64/uart.c). */
#ifndef UART_H
#define UART_H
#include "types.h"

void uart_init(uint32_t kind, uint64_t base); /* kind: SYSIMG_UART_* */
void uart_tx(char c);                         /* waits while the FIFO is full */
#endif

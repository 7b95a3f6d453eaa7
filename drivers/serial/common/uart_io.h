/*
 * The register accessor of the UART drivers. The register logic (pl011.c, imx_uart.c) reaches its
 * UART only through these two calls, so the PD links the real one (uart_io_mmio.c) and the host
 * tests a simulated device (tests/serial_drivers/).
 */
#ifndef UART_IO_H
#define UART_IO_H

#include <stdint.h>

struct uart_io {
    uintptr_t base; /* start of the register frame */
};

/* A 32-bit read or write of the register at byte offset off. */
uint32_t uart_io_read(const struct uart_io *io, uint32_t off);
void uart_io_write(const struct uart_io *io, uint32_t off, uint32_t val);

#endif

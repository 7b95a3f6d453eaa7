/* The PD's register accessor: single 32-bit loads and stores on the uncached register mapping. */
#include "uart_io.h"

uint32_t uart_io_read(const struct uart_io *io, uint32_t off)
{
    return *(volatile const uint32_t *)(io->base + off);
}

void uart_io_write(const struct uart_io *io, uint32_t off, uint32_t val)
{
    *(volatile uint32_t *)(io->base + off) = val;
}

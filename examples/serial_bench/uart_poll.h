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

void uart_poll_init(void);        /* transmitter and receiver on, interrupts off */
uint32_t uart_poll_tx_room(void); /* bytes the TX FIFO surely takes now: all of it when empty */
void uart_poll_put(uint8_t c);    /* after uart_poll_tx_room() said there is room */
bool uart_poll_rx_empty(void);
uint8_t uart_poll_get(void); /* after !uart_poll_rx_empty() */

/*
 * Between two polls that found nothing to do: a few microseconds of instructions. Under QEMU
 * every device register access takes the emulator's global lock, which its main loop also needs
 * to deliver typed input to the UART; polling back to back starves it, and the baseline's echo
 * would measure that lock instead of the path (it did: 3-4 ms instead of 0.2 ms).
 */
static inline void uart_poll_pause(void)
{
    for (int i = 0; i < 1000; i++)
        __asm__ volatile("nop");
}

#endif

/* uart_poll.h for the PL011 (QEMU virt). */
#include "uart_poll.h"

#define UARTDR    0x00
#define UARTFR    0x18
#define UARTCR    0x30
#define UARTIMSC  0x38
#define FR_RXFE   (1u << 4)
#define FR_TXFF   (1u << 5)
#define FR_TXFE   (1u << 7)
#define FIFO      16u /* the smallest PL011 FIFO, as the driver assumes */
#define CR_UARTEN (1u << 0)
#define CR_TXE    (1u << 8)
#define CR_RXE    (1u << 9)

static volatile uint32_t *reg(uintptr_t off)
{
    return (volatile uint32_t *)(uart_base + off);
}

void uart_poll_init(void)
{
    *reg(UARTIMSC) = 0;
    *reg(UARTCR) = *reg(UARTCR) | CR_UARTEN | CR_TXE | CR_RXE;
}

uint32_t uart_poll_tx_room(void)
{
    uint32_t fr = *reg(UARTFR);
    if (fr & FR_TXFE)
        return FIFO;
    return (fr & FR_TXFF) ? 0 : 1;
}

void uart_poll_put(uint8_t c)
{
    *reg(UARTDR) = c;
}

bool uart_poll_rx_empty(void)
{
    return (*reg(UARTFR) & FR_RXFE) != 0;
}

uint8_t uart_poll_get(void)
{
    return (uint8_t)*reg(UARTDR);
}

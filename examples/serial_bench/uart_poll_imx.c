/* uart_poll.h for the i.MX8 UART (PLATFORM-FACTS has the registers). */
#include "uart_poll.h"

#define URXD       0x00
#define UTXD       0x40
#define UCR1       0x80
#define UCR2       0x84
#define USR2       0x98
#define UTS        0xb4
#define USR2_TXFE  (1u << 14)
#define FIFO       32u
#define UCR1_EN    (1u << 0)
#define UCR2_SRST  (1u << 0) /* 0 = in reset */
#define UCR2_RXEN  (1u << 1)
#define UCR2_TXEN  (1u << 2)
#define UCR2_WS    (1u << 5) /* 8 data bits */
#define UCR2_IRTS  (1u << 14)
#define UTS_TXFULL (1u << 4)
#define UTS_RXEMPT (1u << 5)

static volatile uint32_t *reg(uintptr_t off)
{
    return (volatile uint32_t *)(uart_base + off);
}

void uart_poll_init(void)
{
    /* Leave the baud rate as the kernel's console left it; interrupts off (UCR1 has only the
     * enable), 8N1, both directions on. */
    *reg(UCR1) = UCR1_EN;
    *reg(UCR2) = UCR2_SRST | UCR2_RXEN | UCR2_TXEN | UCR2_WS | UCR2_IRTS;
}

uint32_t uart_poll_tx_room(void)
{
    if (*reg(USR2) & USR2_TXFE)
        return FIFO;
    return (*reg(UTS) & UTS_TXFULL) ? 0 : 1;
}

void uart_poll_put(uint8_t c)
{
    *reg(UTXD) = c;
}

bool uart_poll_rx_empty(void)
{
    return (*reg(UTS) & UTS_RXEMPT) != 0;
}

uint8_t uart_poll_get(void)
{
    return (uint8_t)*reg(URXD);
}

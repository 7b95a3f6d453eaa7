/*
 * echo (core 1): owns the PL011 and its receive interrupt (INTID 33, routed to core 1 because
 * this PD is there). It echoes typed characters and, at the end of a line, reports it and
 * notifies ping on core 0.
 */
#include <stdint.h>
#include <stdio.h>

#include <microkit.h>

#include "core.h"
#include "smp.h"

/* Patched by the image tool (setvar_vaddr): where the UART registers are mapped (uncached). */
uintptr_t uart_base __attribute__((section(".data")));

/* PL011 registers and bits */
#define UARTDR    0x00
#define UARTFR    0x18
#define UARTCR    0x30
#define UARTIMSC  0x38
#define UARTICR   0x44
#define FR_RXFE   (1u << 4)
#define FR_TXFF   (1u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE    (1u << 8)
#define CR_RXE    (1u << 9)
#define INT_RX    (1u << 4) /* RXIM / RXIC */
#define INT_RT    (1u << 6) /* RTIM / RTIC: receive timeout, for input shorter than the FIFO level */

#define LINE_MAX 40

static char line[LINE_MAX + 1];
static unsigned line_len;

static volatile uint32_t *reg(uintptr_t off)
{
    return (volatile uint32_t *)(uart_base + off);
}

static void uart_put(char c)
{
    while (*reg(UARTFR) & FR_TXFF)
        ;
    *reg(UARTDR) = (uint8_t)c;
}

static void receive(char c)
{
    if (c == '\r' || c == '\n') {
        if (line_len == 0)
            return; /* the LF of a CR LF, or an empty line */
        uart_put('\r');
        uart_put('\n');
        line[line_len] = '\0';
        printf("echo: line '%s' (%u chars)\n", line, line_len);
        line_len = 0;
        microkit_notify(ECHO_CH_PING);
    } else if (line_len < LINE_MAX && c >= ' ' && c < 0x7f) {
        line[line_len++] = c;
        uart_put(c);
    }
}

void init(void)
{
    say_core();
    uint32_t cr = *reg(UARTCR);
    if ((cr & (CR_UARTEN | CR_TXE | CR_RXE)) != (CR_UARTEN | CR_TXE | CR_RXE))
        *reg(UARTCR) = cr | CR_UARTEN | CR_TXE | CR_RXE;
    *reg(UARTICR) = INT_RX | INT_RT;
    *reg(UARTIMSC) |= INT_RX | INT_RT;
    printf("echo: ready\n");
}

void notified(microkit_channel ch)
{
    if (ch != ECHO_CH_UART_IRQ) {
        printf("echo: unexpected notification on channel %u\n", ch);
        return;
    }
    while (!(*reg(UARTFR) & FR_RXFE))
        receive((char)(*reg(UARTDR) & 0xff));
    *reg(UARTICR) = INT_RX | INT_RT;
    microkit_deferred_irq_ack(ch);
}

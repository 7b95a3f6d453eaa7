/* Polled output on the board's UART (PL011 or i.MX), the kernel's only use of it: it only ever
 * transmits. */
#include "uart.h"
#include "sysimg.h"
#include "sysreg.h"

#define PL011_DR       0x00
#define PL011_FR       0x18
#define PL011_FR_TXFF  (1u << 5)
#define IMX_UTXD       0x40
#define IMX_UTS        0xb4
#define IMX_UTS_TXFULL (1u << 4)

static uint32_t uart_kind;
static uint64_t uart_base;

void uart_init(uint32_t kind, uint64_t base)
{
    uart_kind = kind;
    uart_base = base;
}

void uart_tx(char c)
{
    if (uart_kind == SYSIMG_UART_PL011) {
        while (mmio_read32(uart_base + PL011_FR) & PL011_FR_TXFF)
            ;
        mmio_write32(uart_base + PL011_DR, (uint8_t)c);
    } else if (uart_kind == SYSIMG_UART_IMX) {
        while (mmio_read32(uart_base + IMX_UTS) & IMX_UTS_TXFULL)
            ;
        mmio_write32(uart_base + IMX_UTXD, (uint8_t)c);
    }
}

/* Polled output on the board's UART: the kernel only ever transmits. */
#include "console.h"
#include "klog.h"
#include "sysreg.h"
#include "sysimg.h"

#define PL011_DR       0x00
#define PL011_FR       0x18
#define PL011_FR_TXFF  (1u << 5)
#define IMX_UTXD       0x40
#define IMX_UTS        0xb4
#define IMX_UTS_TXFULL (1u << 4)

static uint32_t uart_kind;
static uint64_t uart_base;

void console_init(uint32_t kind, uint64_t base)
{
    uart_kind = kind;
    uart_base = base;
}

static void uart_tx(char c)
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

/* A whole line on the UART directly ('\n' sent as CR LF, as a terminal wants). */
void console_write_uart(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            uart_tx('\r');
        uart_tx(s[i]);
    }
}

/* While the log ring is active, lines gather here and enter the ring whole (klog.c). */
#define LINE_MAX 256
static char line[LINE_MAX];
static size_t line_len;

void console_flush(void)
{
    if (line_len > 0)
        klog_put(line, line_len);
    line_len = 0;
}

void console_putc(char c)
{
    if (!klog_active()) {
        console_write_uart(&c, 1);
        return;
    }
    if (c == '\n')
        line[line_len++] = '\r';
    line[line_len++] = c;
    if (c == '\n' || line_len >= LINE_MAX - 1)
        console_flush();
}

void console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        console_putc(s[i]);
}

void console_panic(void)
{
    klog_panic();
    console_write_uart(line, line_len);
    line_len = 0;
}

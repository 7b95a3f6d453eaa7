/* The kernel's console: the board's UART (arch/aarch64/uart.c), or the log ring once a driver PD
 * owns the UART. */
#include "console.h"
#include "klog.h"
#include "uart.h"

void console_init(uint32_t kind, uint64_t base)
{
    uart_init(kind, base);
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

/* Line-buffered debug console on top of SYS_DBG_PUTS. */
#include <string.h>

#include <microkit_sys.h>

#include "runtime.h"

#define CONSOLE_BUF 192 /* 4 SYS_DBG_PUTS calls; longer lines go out in pieces */

static char buf[CONSOLE_BUF];
size_t mk_console_used; /* bytes in buf; runtime.h, so the event loop can test it inline */

static void send(const char *s, size_t n)
{
    while (n > 0) {
        size_t chunk = n < SYS_PUTS_MAX ? n : SYS_PUTS_MAX;
        uint64_t w[6] = { 0 };
        memcpy(w, s, chunk); /* little-endian packing, as the ABI wants */
        sys_dbg_puts(chunk, w);
        s += chunk;
        n -= chunk;
    }
}

void mk_console_flush(void)
{
    if (mk_console_used > 0) {
        send(buf, mk_console_used);
        mk_console_used = 0;
    }
}

void mk_console_break(void)
{
    if (mk_console_used > 0)
        mk_console_putc('\n');
}

void mk_console_putc(char c)
{
    buf[mk_console_used++] = c;
    if (c == '\n' || mk_console_used == sizeof(buf))
        mk_console_flush();
}

void mk_console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mk_console_putc(s[i]);
}

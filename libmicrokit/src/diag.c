/* Named diagnostics without printf, so a PD that does not use stdio does not link it. */
#include <string.h>

#include <microkit.h>

#include "runtime.h"

void mk_print_str(const char *s)
{
    mk_console_write(s, strlen(s));
}

void mk_print_dec(uint64_t v)
{
    char d[20];
    int n = 0;
    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        mk_console_putc(d[--n]);
}

void mk_print_hex(uint64_t v)
{
    mk_print_str("0x");
    for (int shift = 60; shift >= 0; shift -= 4)
        mk_console_putc("0123456789abcdef"[(v >> shift) & 0xf]);
}

void mk_diag(const char *func, const char *what, uint64_t value)
{
    mk_console_break();
    mk_print_str(func);
    mk_print_str(": PD '");
    /* The name is patched data: never trust it to be terminated. */
    mk_console_write(microkit_name, strnlen(microkit_name, MICROKIT_PD_NAME_LENGTH));
    mk_print_str("': ");
    mk_print_str(what);
    mk_console_putc(' ');
    mk_print_dec(value);
    mk_console_putc('\n');
}

/* Microkit's debug output calls. They share the line buffer with stdio so the two mix in order. */
#include <string.h>

#include <microkit.h>

#include "runtime.h"

void microkit_dbg_puts(const char *s)
{
    mk_console_write(s, strlen(s));
}

void microkit_dbg_putc(int c)
{
    mk_console_putc((char)c);
}

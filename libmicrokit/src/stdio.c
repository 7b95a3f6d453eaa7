/*
 * picolibc (tinystdio) streams: stdout and stderr go to the PD's line-buffered debug
 * console; stdin reads nothing (a PD gets input from a device or a channel, not stdio).
 */
#include <stdio.h>

#include "runtime.h"

static int console_put(char c, FILE *f)
{
    (void)f;
    mk_console_putc(c);
    return (unsigned char)c;
}

static int console_flush(FILE *f)
{
    (void)f;
    mk_console_flush();
    return 0;
}

static int no_input(FILE *f)
{
    (void)f;
    return _FDEV_EOF;
}

static FILE console_out = FDEV_SETUP_STREAM(console_put, NULL, console_flush, _FDEV_SETUP_WRITE);
static FILE console_in = FDEV_SETUP_STREAM(NULL, no_input, NULL, _FDEV_SETUP_READ);

FILE *const stdout = &console_out;
FILE *const stderr = &console_out;
FILE *const stdin = &console_in;

/* The kernel's debug console on the board UART named in the boot image. */
#ifndef CONSOLE_H
#define CONSOLE_H
#include "types.h"

void console_init(uint32_t kind, uint64_t base);
void console_putc(char c);
void console_write(const char *s, size_t n);
/* Ends a partial line: what is gathered enters the log ring now (a no-op writing the UART). */
void console_flush(void);
/* The UART itself, whoever owns it: the log ring's fallback and panic. */
void console_write_uart(const char *s, size_t n);
/* From now on only the UART: what the line holds first. */
void console_panic(void);
/* printf subset: %s %c %d %u %x %lx %lu %ld %p, with 0-padding and width (e.g. %016lx). */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
NORETURN void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif

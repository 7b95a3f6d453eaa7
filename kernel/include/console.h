/* The kernel's debug console on the board UART named in the boot image. */
#ifndef CONSOLE_H
#define CONSOLE_H
#include "types.h"

void console_init(uint32_t kind, uint64_t base);
void console_putc(char c);
void console_write(const char *s, size_t n);
/* printf subset: %s %c %d %u %x %lx %lu %ld %p, with 0-padding and width (e.g. %016lx). */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
NORETURN void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif

/* Freestanding basic types for the kernel (no C library at EL2). */
#ifndef KTYPES_H
#define KTYPES_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((uint64_t)(a)-1))
#define ARRAY_SIZE(a)  (sizeof(a) / sizeof((a)[0]))
#define PAGE_SIZE      0x1000ul
#define NORETURN       __attribute__((noreturn))

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
size_t strlen(const char *s);
void copy_words(uint64_t *dst, const uint64_t *src, size_t n); /* aligned 64-bit words */
#endif

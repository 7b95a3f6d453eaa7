/*
 * A bounded text buffer for the virtualisers' messages and banner: appends truncate at the
 * capacity and the buffer stays NUL-terminated, so no caller needs a size calculation and no
 * printf is linked into the PDs.
 */
#ifndef SERIAL_VIRT_TEXT_H
#define SERIAL_VIRT_TEXT_H

#include <stdint.h>

struct sv_text {
    char *buf;
    uint32_t cap; /* bytes at buf, the NUL included; at least 1 */
    uint32_t len; /* bytes before the NUL */
};

static inline void sv_text_init(struct sv_text *t, char *buf, uint32_t cap)
{
    t->buf = buf;
    t->cap = cap;
    t->len = 0;
    buf[0] = '\0';
}

static inline void sv_putn(struct sv_text *t, const char *s, uint32_t n)
{
    for (uint32_t i = 0; i < n && t->len + 1 < t->cap; i++)
        t->buf[t->len++] = s[i];
    t->buf[t->len] = '\0';
}

static inline void sv_puts(struct sv_text *t, const char *s)
{
    while (*s != '\0' && t->len + 1 < t->cap)
        t->buf[t->len++] = *s++;
    t->buf[t->len] = '\0';
}

static inline void sv_putu(struct sv_text *t, uint64_t v)
{
    char d[20];
    uint32_t n = 0;
    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0 && t->len + 1 < t->cap)
        t->buf[t->len++] = d[--n];
    t->buf[t->len] = '\0';
}

#endif

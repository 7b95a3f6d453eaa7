#include "num.h"

#include <string.h>

static int digit_value(char c, unsigned base)
{
    int v;
    if (c >= '0' && c <= '9')
        v = c - '0';
    else if (c >= 'a' && c <= 'f')
        v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
        v = c - 'A' + 10;
    else
        return -1;
    return v < (int)base ? v : -1;
}

int parse_u64(const char *s, uint64_t *out)
{
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    uint64_t v = 0;
    int digits = 0;
    bool prev_us = true; /* no '_' first, none doubled */
    for (; *s; s++) {
        if (*s == '_') {
            if (prev_us)
                return -1;
            prev_us = true;
            continue;
        }
        int d = digit_value(*s, base);
        if (d < 0 || v > (UINT64_MAX - (uint64_t)d) / base)
            return -1;
        v = v * base + (uint64_t)d;
        digits++;
        prev_us = false;
    }
    if (!digits || prev_us)
        return -1;
    *out = v;
    return 0;
}

int parse_bool(const char *s, bool *out)
{
    if (!strcmp(s, "true"))
        *out = true;
    else if (!strcmp(s, "false"))
        *out = false;
    else
        return -1;
    return 0;
}

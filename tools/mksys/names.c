#include "names.h"

#include <stdio.h>
#include <string.h>

#include "diag.h"

static bool safe_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-' || c == '@';
}

bool name_is_safe(const char *s)
{
    if (!s[0] || s[0] == '.' || s[0] == '-')
        return false;
    for (; *s; s++)
        if (!safe_char(*s))
            return false;
    return true;
}

int name_check(const char *file, long line, const char *what, const char *name, size_t max)
{
    char shown[80];
    name_printable(shown, sizeof shown, name);
    if (name[0] && !name_is_safe(name))
        return err_at(file, line,
                      "%s name '%s' may only use letters, digits, '_', '.', '-' and '@', and may not start "
                      "with '.' or '-'",
                      what, shown);
    if (!name[0] || strlen(name) > max) /* only safe (one-byte) characters by now */
        return err_at(file, line, "%s name '%s' must be 1..%zu characters", what, name, max);
    return 0;
}

void name_sanitize(char *s)
{
    for (char *p = s; *p; p++)
        if (!safe_char(*p) || (p == s && (*p == '.' || *p == '-')))
            *p = '_';
}

void name_printable(char *buf, size_t len, const char *s)
{
    size_t n = 0;
    for (; *s && n + 1 < len; s++)
        buf[n++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
    if (len)
        buf[n] = 0;
}

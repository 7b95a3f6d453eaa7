/*
 * Console lines of the VMM. Formatted here and written with microkit_dbg_puts, which shares
 * the PD's line buffer with printf; host tests capture them by faking microkit_dbg_puts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <microkit.h>

#include "vmm.h"
#include "vmm_log.h"

#define LINE_MAX_LEN 256

void vmm_print(const char *fmt, ...)
{
    char line[LINE_MAX_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    microkit_dbg_puts(line);
}

/* "vmm: guest '<name>': " + the message + newline; a long message is cut, the newline kept. */
static void guest_line(const char *name, size_t name_len, const char *fmt, va_list ap)
{
    char line[LINE_MAX_LEN];
    int n = snprintf(line, sizeof(line), "vmm: guest '%.*s': ", (int)name_len, name);
    if (n >= 0 && (size_t)n < sizeof(line) - 1)
        vsnprintf(line + n, sizeof(line) - 1 - (size_t)n, fmt, ap);
    microkit_dbg_puts(line);
    microkit_dbg_puts("\n");
}

void vmm_log(const struct vmm *vm, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    guest_line(vm->name, strlen(vm->name), fmt, ap);
    va_end(ap);
}

void vmm_config_log(const struct vmm_config *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    /* patched data: the name may fill its field without a terminator */
    guest_line(c->vm_name, strnlen(c->vm_name, sizeof(c->vm_name)), fmt, ap);
    va_end(ap);
}

bool vmm_log_first(struct vmm *vm, uint64_t key)
{
    for (unsigned i = 0; i < vm->num_logged; i++)
        if (vm->logged[i] == key)
            return false;
    /* When the table is full, keep logging rather than hide a new kind of event. */
    if (vm->num_logged < VMM_LOG_SLOTS)
        vm->logged[vm->num_logged++] = key;
    return true;
}

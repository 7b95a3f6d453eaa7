/*
 * Console lines of the VMM. Formatted here and written with microkit_dbg_puts, which shares
 * the PD's line buffer with printf; host tests capture them by faking microkit_dbg_puts.
 */
#include <stdarg.h>
#include <stdio.h>

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

void vmm_log(const struct vmm *vm, const char *fmt, ...)
{
    char line[LINE_MAX_LEN];
    int n = snprintf(line, sizeof(line), "vmm: guest '%s': ", vm->name);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < sizeof(line) - 1)
        vsnprintf(line + n, sizeof(line) - 1 - (size_t)n, fmt, ap);
    va_end(ap);
    microkit_dbg_puts(line);
    microkit_dbg_puts("\n");
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

/*
 * Messages of the transport and its devices, and marking a device broken. One line each,
 * formatted here; the VMM's callback adds the guest's name and the newline.
 */
#include <stdarg.h>
#include <stdio.h>

#include "virtio_mmio.h"

#define VIRTIO_LINE_MAX 224

static void emit(struct virtio_mmio *t, const char *suffix, const char *fmt, va_list ap)
{
    char line[VIRTIO_LINE_MAX];
    if (t->log == NULL)
        return;
    int n = snprintf(line, sizeof(line), "virtio %s: ", t->ops->name);
    if (n < 0 || (size_t)n >= sizeof(line))
        n = 0;
    int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    if (m > 0 && (size_t)(n + m) < sizeof(line))
        snprintf(line + n + m, sizeof(line) - (size_t)(n + m), "%s", suffix);
    t->log(t->log_ctx, line);
}

void virtio_mmio_log(struct virtio_mmio *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(t, "", fmt, ap);
    va_end(ap);
}

void virtio_mmio_fault(struct virtio_mmio *t, const char *fmt, ...)
{
    va_list ap;
    if (t->broken)
        return;
    t->broken = true;
    t->status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
    va_start(ap, fmt);
    emit(t, ": device needs reset", fmt, ap);
    va_end(ap);
    /* The driver learns of DEVICE_NEEDS_RESET through a configuration change (2.1.2). */
    virtio_mmio_raise(t, VIRTIO_INT_CONFIG);
}

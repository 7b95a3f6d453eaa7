/*
 * A guest's virtIO console in the VMM: the virtio library's console device (virtio_console.h)
 * wired to the VMM. Guest accesses to its window come from the MMIO table; notifications from
 * the serial virtualisers (TX: room freed, RX: input waiting) from the channel table. Each
 * event ends by notifying the virtualisers the serial client says are due, once each; the
 * device's interrupt is the vGIC's SPI.
 */
#include <microkit.h>

#include "vmm_log.h"
#include "vmm_virtio.h"

/* What the device must do after any event: wake the virtualisers that asked for it. */
static void console_flush(struct vmm_console_dev *d)
{
    if (serial_client_tx_notify_due(d->serial))
        microkit_notify(d->serial->tx_channel);
    if (serial_client_rx_notify_due(d->serial))
        microkit_notify(d->serial->rx_channel);
}

static void console_irq(void *ctx)
{
    struct vmm_console_dev *d = ctx;
    if (d->vm->running) /* an off guest gets nothing; a reset starts the device afresh */
        vgic_raise(d->vm->vgic, 0, d->intid);
}

static void console_log(void *ctx, const char *line)
{
    struct vmm_console_dev *d = ctx;
    vmm_log(d->vm, "%s", line); /* the library names the device */
}

/* The window is a page; the registers take its first VIRTIO_MMIO_WINDOW bytes, the rest reads
 * as zero and ignores writes (as an unimplemented register would). */
static bool console_mmio(void *ctx, unsigned vcpu, uint64_t offset, unsigned size, bool write,
                         uint64_t *value)
{
    (void)vcpu;
    struct vmm_console_dev *d = ctx;
    if (offset < VIRTIO_MMIO_WINDOW)
        virtio_console_mmio(&d->con, offset, write, size, value);
    else if (!write)
        *value = 0;
    console_flush(d);
    return true;
}

static void console_tx_notified(void *ctx, microkit_channel ch)
{
    (void)ch;
    struct vmm_console_dev *d = ctx;
    virtio_console_tx_space(&d->con);
    console_flush(d);
}

/*
 * The host's terminal size for this client (framed mode's S frames, which the RX virtualiser
 * keeps in the RX ring): when it changed since the last look, the console gets it. 0 means no
 * size was ever set, and a half of 0 is no size a terminal has: both keep the current one.
 */
static void console_winsize(struct vmm_console_dev *d)
{
    uint32_t seq;
    uint32_t ws = serial_queue_winsize(&d->serial->rx, &seq);
    if (seq == d->winsize_seq)
        return;
    d->winsize_seq = seq;
    uint16_t cols = (uint16_t)(ws >> 16), rows = (uint16_t)ws;
    if (cols != 0 && rows != 0)
        virtio_console_set_size(&d->con, cols, rows);
}

static void console_rx_notified(void *ctx, microkit_channel ch)
{
    (void)ch;
    struct vmm_console_dev *d = ctx;
    console_winsize(d);
    virtio_console_rx_ready(&d->con);
    console_flush(d);
}

/* A guest reset: the device goes back to its reset state as if the driver wrote Status 0; the
 * serial rings keep what they hold (output already sent, input not yet read). */
static void console_reset(void *ctx)
{
    struct vmm_console_dev *d = ctx;
    uint64_t zero = 0;
    virtio_console_mmio(&d->con, VIRTIO_MMIO_STATUS, true, 4, &zero);
    console_flush(d);
}

static int console_init(struct vmm *vm, struct vmm_virtio *v, unsigned i, const struct vmm_virtio_dev *dev,
                        const struct serial_client_config *serial_cfg)
{
    if (v->have_console || dev->serial_client != 0) {
        vmm_log(vm,
                "virtIO device %u: a console on serial client %u, but this VMM is one client (0) with "
                "one console",
                i, dev->serial_client);
        return -1;
    }
    const char *err = serial_client_init(&v->serial, serial_cfg);
    if (err != NULL) {
        vmm_log(vm, "virtIO device %u: serial client configuration: %s", i, err);
        return -1;
    }
    const struct vmm_config *c = vm->config;
    struct vmm_console_dev *d = &v->console;
    d->vm = vm;
    d->serial = &v->serial;
    d->intid = dev->intid;
    vgic_set_quiet(vm->vgic, d->intid); /* nothing to ack at its EOI: spare the guest that exit */
    struct virtio_console_params p = {
        .mem = { .ipa = c->ram_ipa, .size = c->ram_size, .host = (uint8_t *)(uintptr_t)c->ram_vaddr },
        .serial = &v->serial,
        .cols = dev->cols,
        .rows = dev->rows,
        .irq = console_irq,
        .irq_ctx = d,
        .log = console_log,
        .log_ctx = d,
    };
    err = virtio_console_init(&d->con, &p);
    if (err != NULL) {
        vmm_log(vm, "virtIO device %u: console: %s", i, err);
        return -1;
    }
    v->have_console = true;
    if (vmm_mmio_register(vm, dev->mmio_ipa, dev->mmio_size, console_mmio, d, "virtio-console") != 0 ||
        vmm_channel_register(vm, v->serial.tx_channel, console_tx_notified, d, "virtio-console TX") != 0 ||
        vmm_channel_register(vm, v->serial.rx_channel, console_rx_notified, d, "virtio-console RX") != 0 ||
        vmm_reset_register(vm, console_reset, d) != 0)
        return -1;
    console_winsize(d); /* a size the host set before this VMM started */
    /* Input that arrived before the guest: stays in the RX ring, and asking for it now sets
     * the ring's flag so the RX virtualiser notifies when more comes. */
    virtio_console_rx_ready(&d->con);
    console_flush(d);
    return 0;
}

int vmm_virtio_init(struct vmm *vm, struct vmm_virtio *v, const struct serial_client_config *serial_cfg)
{
    const struct vmm_config *c = vm->config;
    __builtin_memset(v, 0, sizeof(*v));
    if (c == NULL)
        return -1;                                 /* vmm_init failed and said why */
    for (unsigned i = 0; i < c->num_virtio; i++) { /* vmm_config_check bounded num_virtio */
        const struct vmm_virtio_dev *dev = &c->virtio[i];
        if (dev->device_id != VMM_VIRTIO_CONSOLE) {
            vmm_log(vm, "virtIO device %u: device id %u is not one this VMM emulates", i, dev->device_id);
            return -1;
        }
        if (console_init(vm, v, i, dev, serial_cfg) != 0)
            return -1;
    }
    return 0;
}

/*
 * A guest's virtIO console in the VMM: the virtio library's console device (virtio_console.h)
 * wired to the VMM. Guest accesses to its window come from the MMIO table; notifications from
 * the serial virtualisers (TX: room freed, RX: input waiting or a new terminal size) from the
 * channel table, each channel belonging to one port's serial client. Each event ends by
 * notifying the virtualisers the device's clients say are due, once each; the device's
 * interrupt is the vGIC's SPI.
 */
#include <microkit.h>

#include "vmm_log.h"
#include "vmm_virtio.h"

/* What the device must do after any event: wake the virtualisers that asked for it. Any port's
 * client may be due (the control queue and a reset touch every port). */
static void console_flush(struct vmm_console_dev *d)
{
    for (unsigned i = 0; i < d->nr_ports; i++) {
        struct serial_client *s = d->serial[i];
        if (serial_client_tx_notify_due(s))
            microkit_notify(s->tx_channel);
        if (serial_client_rx_notify_due(s))
            microkit_notify(s->rx_channel);
    }
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
    struct vmm_console_port_ref *r = ctx;
    virtio_console_port_tx_space(&r->dev->con, r->port);
    console_flush(r->dev);
}

/*
 * The host's terminal size for this port's client (framed mode's S frames, which the RX
 * virtualiser keeps in the client's RX ring): when it changed since the last look, the port
 * gets it. 0 means no size was ever set, and a half of 0 is no size a terminal has: both keep
 * the current one.
 */
static void console_winsize(struct vmm_console_port_ref *r)
{
    uint32_t seq;
    uint32_t ws = serial_queue_winsize(&r->dev->serial[r->port]->rx, &seq);
    if (seq == r->winsize_seq)
        return;
    r->winsize_seq = seq;
    uint16_t cols = (uint16_t)(ws >> 16), rows = (uint16_t)ws;
    if (cols != 0 && rows != 0)
        (void)virtio_console_port_set_size(&r->dev->con, r->port, cols, rows);
}

static void console_rx_notified(void *ctx, microkit_channel ch)
{
    (void)ch;
    struct vmm_console_port_ref *r = ctx;
    console_winsize(r);
    virtio_console_port_rx_ready(&r->dev->con, r->port);
    console_flush(r->dev);
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

/* Port j's serial client: set up from its entry of the PD's configuration array, once. */
static struct serial_client *port_client(struct vmm *vm, struct vmm_virtio *v, unsigned i, unsigned j,
                                         uint32_t k, const struct serial_client_config *serial_cfg)
{
    /* vmm_config_check bounded k and kept it to one port; checked again as it is an index */
    if (k >= VMM_SERIAL_CLIENTS || v->client_used[k]) {
        vmm_log(vm, "virtIO device %u port %u: serial client %u backs another port already", i, j, k);
        return NULL;
    }
    const char *err = serial_client_init(&v->serial[k], &serial_cfg[k]);
    if (err != NULL) {
        vmm_log(vm, "virtIO device %u port %u: serial client %u configuration: %s", i, j, k, err);
        return NULL;
    }
    v->client_used[k] = true;
    return &v->serial[k];
}

static int console_register(struct vmm *vm, struct vmm_console_dev *d, const struct vmm_virtio_dev *dev)
{
    if (vmm_mmio_register(vm, dev->mmio_ipa, dev->mmio_size, console_mmio, d, "virtio-console") != 0 ||
        vmm_reset_register(vm, console_reset, d) != 0)
        return -1;
    for (unsigned j = 0; j < d->nr_ports; j++) {
        struct vmm_console_port_ref *r = &d->ref[j];
        if (vmm_channel_register(vm, d->serial[j]->tx_channel, console_tx_notified, r, "virtio-console TX") !=
                0 ||
            vmm_channel_register(vm, d->serial[j]->rx_channel, console_rx_notified, r, "virtio-console RX") !=
                0)
            return -1;
    }
    return 0;
}

static int console_init(struct vmm *vm, struct vmm_virtio *v, unsigned i, const struct vmm_virtio_dev *dev,
                        const struct serial_client_config *serial_cfg)
{
    if (v->nr_consoles == VMM_MAX_VIRTIO) { /* cannot happen: vmm_config_check bounded num_virtio */
        vmm_log(vm, "virtIO device %u: more consoles than VMM_MAX_VIRTIO", i);
        return -1;
    }
    const struct vmm_config *c = vm->config;
    struct vmm_console_dev *d = &v->console[v->nr_consoles];
    struct virtio_console_port ports[VMM_CONSOLE_PORTS];
    d->vm = vm;
    d->intid = dev->intid;
    d->nr_ports = dev->num_ports; /* vmm_config_check: 1..VMM_CONSOLE_PORTS */
    if (d->nr_ports < 1 || d->nr_ports > VMM_CONSOLE_PORTS) {
        vmm_log(vm, "virtIO device %u: %u console ports", i, dev->num_ports);
        return -1;
    }
    for (unsigned j = 0; j < d->nr_ports; j++) {
        d->serial[j] = port_client(vm, v, i, j, dev->ports[j].serial_client, serial_cfg);
        if (d->serial[j] == NULL)
            return -1;
        /* counter 0: a size set before this VMM started is taken below, as if just notified */
        d->ref[j] = (struct vmm_console_port_ref){ .dev = d, .port = j, .winsize_seq = 0 };
        ports[j] = (struct virtio_console_port){ .serial = d->serial[j],
                                                 .name = dev->ports[j].name, /* checked terminated */
                                                 .console = (dev->ports[j].flags & VMM_PORT_F_CONSOLE) != 0,
                                                 .cols = j == 0 ? dev->cols : 0,
                                                 .rows = j == 0 ? dev->rows : 0 };
    }
    vgic_set_quiet(vm->vgic, d->intid); /* nothing to ack at its EOI: spare the guest that exit */
    bool multi = (dev->flags & VMM_VIRTIO_F_MULTIPORT) != 0;
    struct virtio_console_params p = {
        .mem = { .ipa = c->ram_ipa, .size = c->ram_size, .host = (uint8_t *)(uintptr_t)c->ram_vaddr },
        .serial = d->serial[0],
        .cols = dev->cols,
        .rows = dev->rows,
        .ports = multi ? ports : NULL,
        .nr_ports = multi ? d->nr_ports : 0,
        .resize_rows_first = (dev->flags & VMM_VIRTIO_F_RESIZE_ROWS_FIRST) != 0,
        .irq = console_irq,
        .irq_ctx = d,
        .log = console_log,
        .log_ctx = d,
    };
    const char *err = virtio_console_init(&d->con, &p);
    if (err != NULL) {
        vmm_log(vm, "virtIO device %u: console: %s", i, err);
        return -1;
    }
    v->nr_consoles++;
    if (console_register(vm, d, dev) != 0)
        return -1;
    /* Input or a size that arrived before the guest: stays in the RX ring, and asking for it
     * now sets the ring's flag so the RX virtualiser notifies when more comes. */
    for (unsigned j = 0; j < d->nr_ports; j++) {
        console_winsize(&d->ref[j]);
        virtio_console_port_rx_ready(&d->con, j);
    }
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

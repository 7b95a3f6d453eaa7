/*
 * The virtIO console device on top of the transport: its description, its configuration
 * space and the transport's callbacks. Moving bytes is in console_tx.c and console_rx.c, the
 * multiport control queues in console_ctrl.c.
 */
#include "virtio_console.h"

static const char *const console_queue_names[VIRTIO_MAX_QUEUES] = {
    "receiveq",   "transmitq",   "control receiveq", "control transmitq",
    "receiveq 1", "transmitq 1", "receiveq 2",       "transmitq 2",
};
_Static_assert(VIRTIO_MAX_QUEUES == 8, "queue names");

bool console_multiport(const struct virtio_console *con)
{
    return con->multiport_offered && virtio_mmio_negotiated(&con->mmio, VIRTIO_CONSOLE_F_MULTIPORT);
}

static bool config_read(void *dev, uint32_t off, unsigned size, uint32_t *value)
{
    const struct virtio_console *con = dev;
    uint8_t cfg[VIRTIO_CONSOLE_CFG_SIZE] = { 0 }; /* emerg_wr reads as 0 */
    uint32_t v = 0;
    uint32_t nr = con->multiport_offered ? con->nr_ports : 0;
    cfg[VIRTIO_CONSOLE_CFG_COLS] = (uint8_t)con->port[0].cols;
    cfg[VIRTIO_CONSOLE_CFG_COLS + 1] = (uint8_t)(con->port[0].cols >> 8);
    cfg[VIRTIO_CONSOLE_CFG_ROWS] = (uint8_t)con->port[0].rows;
    cfg[VIRTIO_CONSOLE_CFG_ROWS + 1] = (uint8_t)(con->port[0].rows >> 8);
    for (unsigned i = 0; i < 4; i++)
        cfg[VIRTIO_CONSOLE_CFG_MAX_NR_PORTS + i] = (uint8_t)(nr >> (8 * i));
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)cfg[off + i] << (8 * i);
    *value = v;
    return true;
}

static bool config_write(void *dev, uint32_t off, unsigned size, uint32_t value)
{
    struct virtio_console *con = dev;
    if (off != VIRTIO_CONSOLE_CFG_EMERG_WR || size != 4)
        return false; /* everything else is read-only */
    if (!con->mmio.broken)
        console_emerg_write(con, (uint8_t)value);
    return true;
}

static void driver_ok(void *dev)
{
    struct virtio_console *con = dev;
    /* Output the driver queued before, and input that waited for it. */
    for (unsigned i = 0; i < con->nr_ports; i++) {
        console_tx_run(con, i);
        console_rx_run(con, i);
    }
    console_ctrl_tx_run(con);
    console_ctrl_rx_run(con);
    /* Linux reads a single port's size only on a configuration change, never at probe: without
     * this its hvc0 stays 0x0 (stty size fails) until the host's terminal is first resized. */
    if (!console_multiport(con) && virtio_mmio_negotiated(&con->mmio, VIRTIO_CONSOLE_F_SIZE))
        virtio_mmio_config_changed(&con->mmio);
}

static void queue_notify(void *dev, unsigned q)
{
    struct virtio_console *con = dev;
    if (q == VIRTIO_CONSOLE_CTRL_RXQ)
        console_ctrl_rx_run(con);
    else if (q == VIRTIO_CONSOLE_CTRL_TXQ)
        console_ctrl_tx_run(con);
    else {
        unsigned port = q < 2 ? 0 : (q - 2u) / 2u;
        if (q & 1u)
            console_tx_run(con, port);
        else
            console_rx_run(con, port);
    }
}

static void reset(void *dev)
{
    struct virtio_console *con = dev;
    /* The chains belong to the old driver; the serial rings and held emergency bytes stay. */
    for (unsigned i = 0; i < VIRTIO_CONSOLE_MAX_PORTS; i++) {
        con->port[i].tx_busy = false;
        con->port[i].rx_busy = false;
    }
    console_ctrl_reset(con);
}

static const struct virtio_device_ops console_ops = {
    .name = "console",
    .device_id = VIRTIO_ID_CONSOLE,
    .features = (1ull << VIRTIO_CONSOLE_F_SIZE) | (1ull << VIRTIO_CONSOLE_F_EMERG_WRITE),
    .num_queues = 2,
    .queue_max = VIRTIO_CONSOLE_QUEUE_MAX,
    .queue_names = console_queue_names,
    .config_size = VIRTIO_CONSOLE_CFG_SIZE,
    .config_read = config_read,
    .config_write = config_write,
    .driver_ok = driver_ok,
    .queue_notify = queue_notify,
    .reset = reset,
};

static void set_port(struct console_port *pt, struct serial_client *serial, const char *name, bool console,
                     uint16_t cols, uint16_t rows)
{
    bool sized = cols != 0 || rows != 0;
    pt->serial = serial;
    pt->console = console;
    pt->cols = sized ? cols : 80;
    pt->rows = sized ? rows : 24;
    for (unsigned i = 0; name != NULL && name[i] != '\0' && i + 1 < VIRTIO_CONSOLE_NAME_MAX; i++)
        pt->name[i] = name[i];
}

const char *virtio_console_init(struct virtio_console *con, const struct virtio_console_params *p)
{
    __builtin_memset(con, 0, sizeof(*con));
    con->ops = console_ops;
    if (p->nr_ports == 0) {
        if (p->serial == NULL)
            return "no serial client";
        con->nr_ports = 1;
        set_port(&con->port[0], p->serial, NULL, true, p->cols, p->rows);
    } else {
        if (p->ports == NULL || p->nr_ports > VIRTIO_CONSOLE_MAX_PORTS)
            return "ports: none given, or more than VIRTIO_CONSOLE_MAX_PORTS";
        for (unsigned i = 0; i < p->nr_ports; i++) {
            const char *name = p->ports[i].name;
            unsigned len = 0;
            if (p->ports[i].serial == NULL)
                return "a port without a serial client";
            while (name != NULL && name[len] != '\0' && len < VIRTIO_CONSOLE_NAME_MAX)
                len++;
            if (len >= VIRTIO_CONSOLE_NAME_MAX)
                return "a port name longer than VIRTIO_CONSOLE_NAME_MAX - 1";
            for (unsigned j = 0; j < i; j++)
                if (p->ports[j].serial == p->ports[i].serial)
                    return "two ports on one serial client";
            set_port(&con->port[i], p->ports[i].serial, name, i == 0 || p->ports[i].console, p->ports[i].cols,
                     p->ports[i].rows);
        }
        con->nr_ports = p->nr_ports;
        con->multiport_offered = true;
        con->resize_rows_first = p->resize_rows_first;
        con->ops.features |= 1ull << VIRTIO_CONSOLE_F_MULTIPORT;
        con->ops.num_queues = 2u + 2u * p->nr_ports;
    }
    const char *err =
        virtio_mmio_init(&con->mmio, &con->ops, con, &p->mem, p->irq, p->irq_ctx, p->log, p->log_ctx);
    if (err != NULL)
        return err;
    return NULL;
}

void virtio_console_mmio(struct virtio_console *con, uint64_t offset, bool write, unsigned size,
                         uint64_t *value)
{
    virtio_mmio_access(&con->mmio, offset, write, size, value);
}

void virtio_console_tx_space(struct virtio_console *con)
{
    for (unsigned i = 0; i < con->nr_ports; i++)
        console_tx_run(con, i);
}

void virtio_console_rx_ready(struct virtio_console *con)
{
    for (unsigned i = 0; i < con->nr_ports; i++)
        console_rx_run(con, i);
}

void virtio_console_port_tx_space(struct virtio_console *con, unsigned port)
{
    if (port < con->nr_ports)
        console_tx_run(con, port);
}

void virtio_console_port_rx_ready(struct virtio_console *con, unsigned port)
{
    if (port < con->nr_ports)
        console_rx_run(con, port);
}

bool virtio_console_port_set_size(struct virtio_console *con, unsigned port, uint16_t cols, uint16_t rows)
{
    if (port >= con->nr_ports)
        return false;
    struct console_port *pt = &con->port[port];
    pt->cols = cols;
    pt->rows = rows;
    if (console_multiport(con)) {
        /* Sent once the port is ready (PORT_READY queues one anyway); a newer size replaces it. */
        if (pt->ready && pt->console) {
            pt->pending |= CONSOLE_PEND_RESIZE;
            console_ctrl_rx_run(con);
        }
    } else if (port == 0) {
        virtio_mmio_config_changed(&con->mmio);
    }
    return true;
}

void virtio_console_set_size(struct virtio_console *con, uint16_t cols, uint16_t rows)
{
    virtio_console_port_set_size(con, 0, cols, rows);
}

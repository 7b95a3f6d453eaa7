/*
 * The virtIO console device on top of the transport: its description, its configuration
 * space and the transport's callbacks. Moving bytes is in console_tx.c and console_rx.c.
 */
#include "virtio_console.h"

static const char *const console_queue_names[] = { "receiveq", "transmitq" };

static bool config_read(void *dev, uint32_t off, unsigned size, uint32_t *value)
{
    const struct virtio_console *con = dev;
    uint8_t cfg[VIRTIO_CONSOLE_CFG_SIZE] = { 0 }; /* max_nr_ports and emerg_wr read as 0 */
    uint32_t v = 0;
    cfg[VIRTIO_CONSOLE_CFG_COLS] = (uint8_t)con->cols;
    cfg[VIRTIO_CONSOLE_CFG_COLS + 1] = (uint8_t)(con->cols >> 8);
    cfg[VIRTIO_CONSOLE_CFG_ROWS] = (uint8_t)con->rows;
    cfg[VIRTIO_CONSOLE_CFG_ROWS + 1] = (uint8_t)(con->rows >> 8);
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
    /* Output the driver queued before, and input that waited for it. */
    console_tx_run(dev);
    console_rx_run(dev);
}

static void queue_notify(void *dev, unsigned q)
{
    if (q == VIRTIO_CONSOLE_TXQ)
        console_tx_run(dev);
    else
        console_rx_run(dev);
}

static void reset(void *dev)
{
    struct virtio_console *con = dev;
    /* The chains belong to the old driver; the serial rings and held emergency bytes stay. */
    con->tx_busy = false;
    con->rx_busy = false;
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

const char *virtio_console_init(struct virtio_console *con, const struct virtio_console_params *p)
{
    __builtin_memset(con, 0, sizeof(*con));
    if (p->serial == NULL)
        return "no serial client";
    const char *err =
        virtio_mmio_init(&con->mmio, &console_ops, con, &p->mem, p->irq, p->irq_ctx, p->log, p->log_ctx);
    if (err != NULL)
        return err;
    con->serial = p->serial;
    bool sized = p->cols != 0 || p->rows != 0;
    con->cols = sized ? p->cols : 80;
    con->rows = sized ? p->rows : 24;
    return NULL;
}

void virtio_console_mmio(struct virtio_console *con, uint64_t offset, bool write, unsigned size,
                         uint64_t *value)
{
    virtio_mmio_access(&con->mmio, offset, write, size, value);
}

void virtio_console_tx_space(struct virtio_console *con)
{
    console_tx_run(con);
}

void virtio_console_rx_ready(struct virtio_console *con)
{
    console_rx_run(con);
}

void virtio_console_set_size(struct virtio_console *con, uint16_t cols, uint16_t rows)
{
    con->cols = cols;
    con->rows = rows;
    virtio_mmio_config_changed(&con->mmio);
}

/* The driver core (serial_drv.h): the rings on one side, struct uart_ops on the other. */
#include "serial_drv.h"

/* Drains the RX FIFO into the ring until the FIFO is empty or the ring is full; *full says
 * which (a full ring has its producer_signal set). */
static unsigned rx_pass(struct serial_drv *d, bool *full)
{
    uint32_t moved = 0;
    *full = false;
    for (;;) {
        uint32_t len;
        uint8_t *span = serial_queue_free_span(&d->rx, &len);
        if (len == 0) {
            if (serial_queue_producer_block(&d->rx)) {
                *full = true;
                break;
            }
            continue; /* the RX virtualiser freed space meanwhile */
        }
        uint32_t n = 0;
        while (n < len) {
            int c = d->ops->rx_get(&d->dev);
            if (c < 0)
                break;
            span[n++] = (uint8_t)c;
        }
        if (n > 0) {
            (void)serial_queue_produce(&d->rx, n); /* n <= the free span: cannot fail */
            moved += n;
        }
        if (n < len)
            break; /* FIFO empty */
    }
    return moved > 0 && serial_queue_producer_must_notify(&d->rx) ? SERIAL_DRV_NOTIFY_RX : 0;
}

/* One RX pass, then the RX interrupts masked when the ring is full and unmasked when not. */
static unsigned rx_service(struct serial_drv *d)
{
    bool full;
    unsigned act = rx_pass(d, &full);
    if (full != d->rx_held) {
        d->ops->rx_irq(&d->dev, !full);
        d->rx_held = full;
    }
    return act;
}

/* Copies the TX ring into the FIFO, at most one ring's worth per call so a TX virtualiser that
 * keeps adding bytes cannot keep the driver from its other work. */
static unsigned tx_pass(struct serial_drv *d)
{
    uint32_t budget = d->tx.size, moved = 0;
    bool waiting = false;
    for (;;) {
        uint32_t len;
        const uint8_t *span = serial_queue_filled_span(&d->tx, &len);
        if (len == 0) {
            if (serial_queue_consumer_block(&d->tx))
                break; /* empty: the TX virtualiser notifies when it adds bytes */
            continue;
        }
        uint32_t room = budget == 0 ? 0 : d->ops->tx_room(&d->dev);
        if (room == 0) {
            waiting = true;
            break;
        }
        uint32_t n = len < room ? len : room;
        n = n < budget ? n : budget;
        for (uint32_t i = 0; i < n; i++)
            d->ops->tx_put(&d->dev, span[i]);
        (void)serial_queue_consume(&d->tx, n); /* n <= the filled span: cannot fail */
        moved += n;
        budget -= n;
    }
    if (waiting != d->tx_irq_on) {
        d->ops->tx_irq(&d->dev, waiting);
        d->tx_irq_on = waiting;
    }
    /* A TX virtualiser waiting for space hears of it once half the ring is free, not after every
     * FIFO refill: a flood then costs one notification per half ring. Nothing is lost by waiting:
     * while bytes remain the TX interrupt stays on and brings the driver back here. */
    bool half_free = serial_queue_filled(&d->tx) <= d->tx.size / 2;
    return moved > 0 && half_free && serial_queue_consumer_must_notify(&d->tx) ? SERIAL_DRV_NOTIFY_TX : 0;
}

static unsigned err_pass(struct serial_drv *d)
{
    return uart_err_due(&d->err, &d->dev.err) ? SERIAL_DRV_REPORT : 0;
}

int serial_drv_start(struct serial_drv *d, const struct uart_ops *ops, const struct serial_driver_config *cfg,
                     const struct uart_baud *b, unsigned *act)
{
    *d = (struct serial_drv){ .ops = ops };
    d->dev.io.base = (uintptr_t)cfg->regs_vaddr;
    d->dev.ref_clock_hz = cfg->ref_clock_hz;
    d->has_rx = (cfg->flags & SERIAL_DRV_F_NO_RX) == 0;
    *act = 0;
    if (serial_queue_init(&d->tx, (void *)(uintptr_t)cfg->tx.vaddr, cfg->tx.region_size, cfg->tx.size) != 0)
        return -1;
    if (d->has_rx &&
        serial_queue_init(&d->rx, (void *)(uintptr_t)cfg->rx.vaddr, cfg->rx.region_size, cfg->rx.size) != 0)
        return -1;
    ops->setup(&d->dev, b, d->has_rx);
    *act = tx_pass(d);
    return 0;
}

unsigned serial_drv_irq(struct serial_drv *d)
{
    unsigned act = 0;
    d->ops->ack_status(&d->dev);
    if (d->has_rx && !d->rx_held)
        act |= rx_service(d);
    act |= tx_pass(d);
    return act | err_pass(d);
}

unsigned serial_drv_rx_notified(struct serial_drv *d)
{
    if (!d->has_rx)
        return 0;
    d->ops->ack_status(&d->dev);
    return rx_service(d) | err_pass(d);
}

unsigned serial_drv_tx_notified(struct serial_drv *d)
{
    return tx_pass(d);
}

void serial_drv_error_line(struct serial_drv *d, char *buf, size_t len)
{
    uart_err_line(&d->err, &d->dev.err, d->ops->name, buf, len);
}

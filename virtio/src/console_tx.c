/*
 * Guest output: transmitq chains and emergency writes into the serial TX ring. A buffer larger
 * than the ring goes in pieces; when the ring is full the chain stays half sent (not returned
 * to the guest) and serial_client_write has asked the TX virtualiser for a notification, on
 * which the VMM calls virtio_console_tx_space and this goes on where it stopped.
 */
#include "virtio_console.h"

/* Held emergency bytes first, so output keeps the order the guest wrote it in. */
static bool emerg_flush(struct virtio_console *con)
{
    if (con->emerg_len == 0)
        return true;
    uint32_t n = serial_client_write(con->port[0].serial, con->emerg, con->emerg_len);
    __builtin_memmove(con->emerg, con->emerg + n, con->emerg_len - n);
    con->emerg_len -= n;
    return con->emerg_len == 0;
}

void console_emerg_write(struct virtio_console *con, uint8_t byte)
{
    if (emerg_flush(con) && serial_client_write(con->port[0].serial, &byte, 1) == 1)
        return;
    if (con->emerg_len < VIRTIO_CONSOLE_EMERG_HOLD)
        con->emerg[con->emerg_len++] = byte;
    else if (con->emerg_lost++ == 0)
        virtio_mmio_log(&con->mmio, "emergency write: TX ring full, byte lost (counting)");
}

/* Sends the rest of pt->tx. False when the ring filled up or the chain is unusable. */
static bool send_chain(struct virtio_console *con, struct console_port *pt)
{
    for (;;) {
        uint8_t *p;
        uint32_t len;
        enum virtq_step s = virtq_span(&con->mmio, &pt->tx, false, &p, &len);
        if (s == VIRTQ_ERR) {
            pt->tx_busy = false;
            return false;
        }
        if (s == VIRTQ_END)
            return true;
        uint32_t n = serial_client_write(pt->serial, p, len);
        virtq_advance(&pt->tx, n);
        if (n < len)
            return false; /* full: producer_signal is set, the TX virtualiser will notify */
    }
}

void console_tx_run(struct virtio_console *con, unsigned port)
{
    struct console_port *pt = &con->port[port];
    /* Held emergency bytes go to port 0's ring first; they hold back port 0 only. */
    bool emerg_done = emerg_flush(con);
    if ((port == 0 && !emerg_done) || !virtio_mmio_running(&con->mmio))
        return;
    /* Without MULTIPORT only port 0 exists for the driver. */
    if (port >= con->nr_ports || (port != 0 && !console_multiport(con)))
        return;
    /* At most a queue's worth of chains: all that can be available at once. More were added
     * while this ran, and their notification comes next. */
    for (unsigned i = 0; i < VIRTIO_CONSOLE_QUEUE_MAX; i++) {
        if (!pt->tx_busy) {
            if (!virtq_pop(&con->mmio, VIRTIO_CONSOLE_PORT_TXQ(port), &pt->tx))
                return;
            pt->tx_busy = true;
        }
        if (!send_chain(con, pt))
            return;
        virtq_push(&con->mmio, &pt->tx);
        pt->tx_busy = false;
    }
}

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
    uint32_t n = serial_client_write(con->serial, con->emerg, con->emerg_len);
    __builtin_memmove(con->emerg, con->emerg + n, con->emerg_len - n);
    con->emerg_len -= n;
    return con->emerg_len == 0;
}

void console_emerg_write(struct virtio_console *con, uint8_t byte)
{
    if (emerg_flush(con) && serial_client_write(con->serial, &byte, 1) == 1)
        return;
    if (con->emerg_len < VIRTIO_CONSOLE_EMERG_HOLD)
        con->emerg[con->emerg_len++] = byte;
    else if (con->emerg_lost++ == 0)
        virtio_mmio_log(&con->mmio, "emergency write: TX ring full, byte lost (counting)");
}

/* Sends the rest of con->tx. False when the ring filled up or the chain is unusable. */
static bool send_chain(struct virtio_console *con)
{
    for (;;) {
        uint8_t *p;
        uint32_t len;
        enum virtq_step s = virtq_span(&con->mmio, &con->tx, false, &p, &len);
        if (s == VIRTQ_ERR) {
            con->tx_busy = false;
            return false;
        }
        if (s == VIRTQ_END)
            return true;
        uint32_t n = serial_client_write(con->serial, p, len);
        virtq_advance(&con->tx, n);
        if (n < len)
            return false; /* full: producer_signal is set, the TX virtualiser will notify */
    }
}

void console_tx_run(struct virtio_console *con)
{
    if (!emerg_flush(con) || !virtio_mmio_running(&con->mmio))
        return;
    /* At most a queue's worth of chains: all that can be available at once. More were added
     * while this ran, and their notification comes next. */
    for (unsigned i = 0; i < VIRTIO_CONSOLE_QUEUE_MAX; i++) {
        if (!con->tx_busy) {
            if (!virtq_pop(&con->mmio, VIRTIO_CONSOLE_TXQ, &con->tx))
                return;
            con->tx_busy = true;
        }
        if (!send_chain(con))
            return;
        virtq_push(&con->mmio, &con->tx);
        con->tx_busy = false;
    }
}

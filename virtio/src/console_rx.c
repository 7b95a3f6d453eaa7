/*
 * Guest input: bytes from the serial RX ring into receiveq buffers. Nothing is taken from the
 * ring without a buffer to put it in, so input that comes before DRIVER_OK or while the guest
 * has no buffers waits in the ring (and so, back pressure, in the RX virtualiser). A buffer is
 * returned as soon as it holds something; one taken while there is no input is kept until
 * input comes (serial_client_read then asked the RX virtualiser for a notification).
 */
#include "virtio_console.h"

/* Fills con->rx from the ring. False when the chain is unusable (fault, reset). */
static bool fill_chain(struct virtio_console *con, bool *full)
{
    *full = false;
    for (;;) {
        uint8_t *p;
        uint32_t len;
        enum virtq_step s = virtq_span(&con->mmio, &con->rx, true, &p, &len);
        if (s == VIRTQ_ERR) {
            con->rx_busy = false;
            return false;
        }
        if (s == VIRTQ_END) {
            *full = true;
            return true;
        }
        uint32_t n = serial_client_read(con->serial, p, len);
        if (n == 0)
            return true; /* no more input for now */
        virtq_advance(&con->rx, n);
    }
}

void console_rx_run(struct virtio_console *con)
{
    if (!virtio_mmio_running(&con->mmio))
        return;
    for (unsigned i = 0; i < VIRTIO_CONSOLE_QUEUE_MAX; i++) {
        bool full;
        if (!con->rx_busy) {
            if (!virtq_pop(&con->mmio, VIRTIO_CONSOLE_RXQ, &con->rx))
                return;
            con->rx_busy = true;
        }
        if (!fill_chain(con, &full))
            return;
        /* Keep an empty buffer for later input, unless it has no room at all. */
        if (con->rx.written == 0 && !full)
            return;
        virtq_push(&con->mmio, &con->rx);
        con->rx_busy = false;
    }
}

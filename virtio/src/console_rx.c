/*
 * Guest input: bytes from the serial RX ring into receiveq buffers. Nothing is taken from the
 * ring without a buffer to put it in, so input that comes before DRIVER_OK or while the guest
 * has no buffers waits in the ring (and so, back pressure, in the RX virtualiser). A buffer is
 * returned as soon as it holds something; one taken while there is no input is kept until
 * input comes (serial_client_read then asked the RX virtualiser for a notification).
 */
#include "virtio_console.h"

/* Fills pt->rx from the ring. False when the chain is unusable (fault, reset). */
static bool fill_chain(struct virtio_console *con, struct console_port *pt, bool *full)
{
    *full = false;
    for (;;) {
        uint8_t *p;
        uint32_t len;
        enum virtq_step s = virtq_span(&con->mmio, &pt->rx, true, &p, &len);
        if (s == VIRTQ_ERR) {
            pt->rx_busy = false;
            return false;
        }
        if (s == VIRTQ_END) {
            *full = true;
            return true;
        }
        uint32_t n = serial_client_read(pt->serial, p, len);
        if (n == 0)
            return true; /* no more input for now */
        virtq_advance(&pt->rx, n);
    }
}

/*
 * Input for a port goes to the guest only when the guest can take it: without MULTIPORT port 0
 * always; with it, once the driver has the port ready and open (a console port counts as open
 * once ready: Linux opens its hvc itself). Linux throws away input for a port nobody opened, so
 * until then it waits in the RX ring, as input before DRIVER_OK does.
 */
static bool port_takes_input(const struct virtio_console *con, unsigned port)
{
    const struct console_port *pt = &con->port[port];
    if (!console_multiport(con))
        return port == 0;
    return pt->ready && (pt->guest_open || pt->console);
}

void console_rx_run(struct virtio_console *con, unsigned port)
{
    struct console_port *pt = &con->port[port];
    if (!virtio_mmio_running(&con->mmio) || port >= con->nr_ports || !port_takes_input(con, port))
        return;
    for (unsigned i = 0; i < VIRTIO_CONSOLE_QUEUE_MAX; i++) {
        bool full;
        if (!pt->rx_busy) {
            if (!virtq_pop(&con->mmio, VIRTIO_CONSOLE_PORT_RXQ(port), &pt->rx))
                return;
            pt->rx_busy = true;
        }
        if (!fill_chain(con, pt, &full))
            return;
        /* Keep an empty buffer for later input, unless it has no room at all. */
        if (pt->rx.written == 0 && !full)
            return;
        virtq_push(&con->mmio, &pt->rx);
        pt->rx_busy = false;
    }
}

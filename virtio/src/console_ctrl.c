/*
 * The multiport control queues (virtIO 1.2 section 5.3.6.2), used only when
 * VIRTIO_CONSOLE_F_MULTIPORT was negotiated. The driver's messages come on the control
 * transmitq (queue 3), the device's go out on the control receiveq (queue 2).
 *
 * The handshake, as Linux drives it: the driver sends DEVICE_READY 1; the device sends
 * DEVICE_ADD for each port; the driver answers PORT_READY 1 for each; the device then sends
 * CONSOLE_PORT 1 (console ports), RESIZE (console ports), PORT_NAME (named ports) and
 * PORT_OPEN 1 (the host side is always open). The driver's PORT_OPEN says whether the guest
 * has the port open.
 *
 * The device's messages wait as per-port flags (CONSOLE_PEND_*) until the driver gives control
 * receiveq buffers, so nothing is lost and a newer RESIZE replaces an older one; they go in
 * port order, each port's in flag order.
 *
 * Checked (a driver error faults the device; anything else is logged and ignored):
 *   fault   a control message shorter than its 8 bytes
 *   fault   PORT_READY or PORT_OPEN naming a port at or beyond max_nr_ports
 *   fault   a control receiveq chain too small for the device's message
 *   log     a longer message (the rest is ignored), an unknown event or one only the device
 *           sends, DEVICE_READY 0 or a second DEVICE_READY, a port message before
 *           DEVICE_READY or for a port not added, PORT_READY 0, a second PORT_READY,
 *           a PORT_OPEN value other than 0 or 1
 * A chain on either control queue is a fault as any other malformed chain (virtq.h).
 */
#include "virtio_console.h"

static const char *event_name(uint16_t e)
{
    static const char *const names[] = { "DEVICE_READY", "DEVICE_ADD", "DEVICE_REMOVE", "PORT_READY",
                                         "CONSOLE_PORT", "RESIZE",     "PORT_OPEN",     "PORT_NAME" };
    return e < sizeof(names) / sizeof(names[0]) ? names[e] : "unknown";
}

void console_ctrl_reset(struct virtio_console *con)
{
    con->device_ready = false;
    for (unsigned i = 0; i < VIRTIO_CONSOLE_MAX_PORTS; i++) {
        struct console_port *pt = &con->port[i];
        pt->pending = 0;
        pt->added = false;
        pt->ready = false;
        pt->guest_open = false;
    }
}

static void port_ready(struct virtio_console *con, uint32_t id, uint16_t value)
{
    struct console_port *pt = &con->port[id];
    if (value == 0) {
        virtio_mmio_log(&con->mmio, "control: the driver failed to set up port %u (PORT_READY 0)", id);
        return;
    }
    if (pt->ready) {
        virtio_mmio_log(&con->mmio, "control: PORT_READY for port %u a second time, ignored", id);
        return;
    }
    pt->ready = true;
    pt->pending |= CONSOLE_PEND_OPEN;
    if (pt->console)
        pt->pending |= CONSOLE_PEND_CONSOLE | CONSOLE_PEND_RESIZE;
    if (pt->name[0] != '\0')
        pt->pending |= CONSOLE_PEND_NAME;
    console_rx_run(con, id); /* a console port takes input from now on */
}

static void port_open(struct virtio_console *con, uint32_t id, uint16_t value)
{
    if (value > 1) {
        virtio_mmio_log(&con->mmio, "control: PORT_OPEN value %u for port %u is not 0 or 1, ignored", value,
                        id);
        return;
    }
    con->port[id].guest_open = value == 1;
    if (value == 1)
        console_rx_run(con, id); /* input that waited for the guest to open the port */
}

/* One driver message of n bytes (the first 8 in msg). */
static void handle(struct virtio_console *con, const uint8_t *msg, uint32_t n)
{
    uint32_t id = (uint32_t)msg[0] | (uint32_t)msg[1] << 8 | (uint32_t)msg[2] << 16 | (uint32_t)msg[3] << 24;
    uint16_t event = (uint16_t)(msg[4] | msg[5] << 8);
    uint16_t value = (uint16_t)(msg[6] | msg[7] << 8);
    if (n > VIRTIO_CONSOLE_CTRL_SIZE)
        virtio_mmio_log(&con->mmio, "control: %s message of %u bytes, more than %u: the rest ignored",
                        event_name(event), n, VIRTIO_CONSOLE_CTRL_SIZE);
    switch (event) {
    case VIRTIO_CONSOLE_DEVICE_READY:
        if (value == 0) {
            virtio_mmio_log(&con->mmio, "control: the driver failed to set up the device (DEVICE_READY 0)");
            return;
        }
        if (con->device_ready) {
            virtio_mmio_log(&con->mmio, "control: DEVICE_READY a second time, ignored");
            return;
        }
        con->device_ready = true;
        for (unsigned i = 0; i < con->nr_ports; i++) {
            con->port[i].pending |= CONSOLE_PEND_ADD;
            con->port[i].added = true;
        }
        return;
    case VIRTIO_CONSOLE_PORT_READY:
    case VIRTIO_CONSOLE_PORT_OPEN:
        if (id >= con->nr_ports) {
            virtio_mmio_fault(&con->mmio, "control transmitq: %s for port %u, beyond max_nr_ports %u",
                              event_name(event), id, con->nr_ports);
            return;
        }
        if (!con->port[id].added) {
            virtio_mmio_log(&con->mmio, "control: %s for port %u before DEVICE_READY, ignored",
                            event_name(event), id);
            return;
        }
        if (event == VIRTIO_CONSOLE_PORT_READY)
            port_ready(con, id, value);
        else
            port_open(con, id, value);
        return;
    default:
        virtio_mmio_log(&con->mmio, "control: event %u (%s) is not one a driver sends, ignored", event,
                        event_name(event));
        return;
    }
}

void console_ctrl_tx_run(struct virtio_console *con)
{
    if (!virtio_mmio_running(&con->mmio) || !console_multiport(con))
        return;
    for (unsigned i = 0; i < VIRTIO_CONSOLE_QUEUE_MAX; i++) {
        struct virtq_chain c;
        uint8_t msg[VIRTIO_CONSOLE_CTRL_SIZE] = { 0 };
        uint32_t n = 0; /* bytes in the chain, counted up to UINT32_MAX */
        if (!virtq_pop(&con->mmio, VIRTIO_CONSOLE_CTRL_TXQ, &c))
            break;
        for (;;) {
            uint8_t *p;
            uint32_t len;
            enum virtq_step s = virtq_span(&con->mmio, &c, false, &p, &len);
            if (s == VIRTQ_ERR)
                return;
            if (s == VIRTQ_END)
                break;
            for (uint32_t k = 0; k < len && n + k < VIRTIO_CONSOLE_CTRL_SIZE; k++)
                msg[n + k] = p[k];
            n = len > UINT32_MAX - n ? UINT32_MAX : n + len;
            virtq_advance(&c, len);
        }
        virtq_push(&con->mmio, &c);
        if (n < VIRTIO_CONSOLE_CTRL_SIZE) {
            virtio_mmio_fault(&con->mmio, "control transmitq: a message of %u bytes, shorter than %u", n,
                              VIRTIO_CONSOLE_CTRL_SIZE);
            return;
        }
        handle(con, msg, n);
        if (con->mmio.broken)
            return;
    }
    console_ctrl_rx_run(con);
}

/* The next message due, built into msg; its length, or 0 when none is due. */
static uint32_t next_message(struct virtio_console *con, uint8_t *msg, unsigned *port, uint32_t *flag)
{
    for (unsigned i = 0; i < con->nr_ports; i++) {
        struct console_port *pt = &con->port[i];
        if (pt->pending == 0)
            continue;
        uint32_t f = pt->pending & -pt->pending; /* the lowest: the order of CONSOLE_PEND_* */
        uint16_t event, value = 1;
        uint32_t n = VIRTIO_CONSOLE_CTRL_SIZE;
        switch (f) {
        case CONSOLE_PEND_ADD: event = VIRTIO_CONSOLE_DEVICE_ADD; break;
        case CONSOLE_PEND_CONSOLE: event = VIRTIO_CONSOLE_CONSOLE_PORT; break;
        case CONSOLE_PEND_RESIZE:
            event = VIRTIO_CONSOLE_RESIZE;
            value = 0;
            /* struct virtio_console_resize: le16 cols, le16 rows (5.3.6.2); older Linux
             * drivers read rows first (resize_rows_first) */
            msg[8] = (uint8_t)(con->resize_rows_first ? pt->rows : pt->cols);
            msg[9] = (uint8_t)((con->resize_rows_first ? pt->rows : pt->cols) >> 8);
            msg[10] = (uint8_t)(con->resize_rows_first ? pt->cols : pt->rows);
            msg[11] = (uint8_t)((con->resize_rows_first ? pt->cols : pt->rows) >> 8);
            n += 4;
            break;
        case CONSOLE_PEND_NAME:
            event = VIRTIO_CONSOLE_PORT_NAME;
            /* the name with its NUL, as QEMU sends it (Linux takes the buffer's rest) */
            for (unsigned k = 0; k < VIRTIO_CONSOLE_NAME_MAX; k++) {
                msg[n++] = (uint8_t)pt->name[k];
                if (pt->name[k] == '\0')
                    break;
            }
            break;
        default: event = VIRTIO_CONSOLE_PORT_OPEN; break;
        }
        msg[0] = (uint8_t)i;
        msg[1] = msg[2] = msg[3] = 0;
        msg[4] = (uint8_t)event;
        msg[5] = (uint8_t)(event >> 8);
        msg[6] = (uint8_t)value;
        msg[7] = (uint8_t)(value >> 8);
        *port = i;
        *flag = f;
        return n;
    }
    return 0;
}

/* Writes msg into chain c. False when the chain ended first (after faulting) or is unusable. */
static bool put_message(struct virtio_console *con, struct virtq_chain *c, const uint8_t *msg, uint32_t n)
{
    uint32_t done = 0;
    while (done < n) {
        uint8_t *p;
        uint32_t len;
        enum virtq_step s = virtq_span(&con->mmio, c, true, &p, &len);
        if (s == VIRTQ_ERR)
            return false;
        if (s == VIRTQ_END) {
            virtio_mmio_fault(&con->mmio,
                              "control receiveq: chain %u of %u bytes is too small for a %s message of %u",
                              c->head, done, event_name((uint16_t)(msg[4] | msg[5] << 8)), n);
            return false;
        }
        uint32_t k = len < n - done ? len : n - done;
        __builtin_memcpy(p, msg + done, k);
        virtq_advance(c, k);
        done += k;
    }
    return true;
}

void console_ctrl_rx_run(struct virtio_console *con)
{
    if (!virtio_mmio_running(&con->mmio) || !console_multiport(con))
        return;
    /* Each round clears one pending flag: at most five per port. */
    for (unsigned i = 0; i < 5u * VIRTIO_CONSOLE_MAX_PORTS; i++) {
        uint8_t msg[VIRTIO_CONSOLE_CTRL_SIZE + VIRTIO_CONSOLE_NAME_MAX];
        unsigned port;
        uint32_t flag;
        struct virtq_chain c;
        uint32_t n = next_message(con, msg, &port, &flag);
        if (n == 0 || !virtq_pop(&con->mmio, VIRTIO_CONSOLE_CTRL_RXQ, &c))
            return;
        if (!put_message(con, &c, msg, n))
            return;
        con->port[port].pending &= ~flag;
        virtq_push(&con->mmio, &c);
    }
}

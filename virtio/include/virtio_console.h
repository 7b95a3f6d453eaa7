/*
 * The virtIO console device (virtIO 1.2 section 5.3). Single port: receiveq 0 and transmitq 1,
 * backed by one serial client (serial_client.h: the guest's TX and RX rings to the serial
 * virtualisers). Multiport (VIRTIO_CONSOLE_F_MULTIPORT, when the VMM gives a ports array):
 * up to VIRTIO_CONSOLE_MAX_PORTS ports, each with its own serial client, and the control
 * queues (console_ctrl.c). Offers VIRTIO_CONSOLE_F_SIZE and VIRTIO_CONSOLE_F_EMERG_WRITE.
 *
 * What the VMM calls, and when (all from its one thread):
 *   init                 virtio_console_init, with the guest's RAM, its serial client (set up
 *                        with serial_client_init), the size, and the irq and log callbacks
 *   MMIO fault           virtio_console_mmio for an access inside the device's window
 *   TX virtualiser notified (space freed in the TX ring)   virtio_console_tx_space
 *   RX virtualiser notified (input in the RX ring)         virtio_console_rx_ready
 *   after each of these  serial_client_tx_notify_due / serial_client_rx_notify_due on the
 *                        client, and notify the virtualiser each one names
 * The library never waits: a full TX ring leaves the current chain half sent (resumed by
 * virtio_console_tx_space), input without receive buffers stays in the RX ring (delivered when
 * the guest adds buffers, or at DRIVER_OK).
 */
#ifndef VIRTIO_CONSOLE_H
#define VIRTIO_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#include "serial_client.h"
#include "virtio_mmio.h"
#include "virtq.h"

#define VIRTIO_CONSOLE_F_SIZE        0
#define VIRTIO_CONSOLE_F_MULTIPORT   1 /* offered when the VMM gives a ports array */
#define VIRTIO_CONSOLE_F_EMERG_WRITE 2

/* Queues: port 0's pair, the control pair, then a pair per further port (5.3.2). */
#define VIRTIO_CONSOLE_RXQ         0u
#define VIRTIO_CONSOLE_TXQ         1u
#define VIRTIO_CONSOLE_CTRL_RXQ    2u /* control receiveq: device to driver */
#define VIRTIO_CONSOLE_CTRL_TXQ    3u /* control transmitq: driver to device */
#define VIRTIO_CONSOLE_PORT_RXQ(i) ((i) == 0 ? 0u : 2u + 2u * (unsigned)(i))
#define VIRTIO_CONSOLE_PORT_TXQ(i) (VIRTIO_CONSOLE_PORT_RXQ(i) + 1u)
#define VIRTIO_CONSOLE_QUEUE_MAX   256u /* QueueNumMax of every queue */

/* Ports: limited by the transport's VIRTIO_MAX_QUEUES (2 + 2 per port). */
#define VIRTIO_CONSOLE_MAX_PORTS ((VIRTIO_MAX_QUEUES - 2u) / 2u)
#define VIRTIO_CONSOLE_NAME_MAX  32u /* bytes of a port name, with its NUL */

/* Configuration space (struct virtio_console_config). */
#define VIRTIO_CONSOLE_CFG_COLS         0u /* le16 */
#define VIRTIO_CONSOLE_CFG_ROWS         2u /* le16 */
#define VIRTIO_CONSOLE_CFG_MAX_NR_PORTS 4u /* le32, 0 without MULTIPORT */
#define VIRTIO_CONSOLE_CFG_EMERG_WR     8u /* le32, write-only */
#define VIRTIO_CONSOLE_CFG_SIZE         12u

/* Control messages (struct virtio_console_control: le32 id, le16 event, le16 value; 5.3.6.2). */
#define VIRTIO_CONSOLE_CTRL_SIZE     8u
#define VIRTIO_CONSOLE_DEVICE_READY  0u /* driver: value 1 ready, 0 failed; id unused */
#define VIRTIO_CONSOLE_DEVICE_ADD    1u /* device: port id exists */
#define VIRTIO_CONSOLE_DEVICE_REMOVE 2u /* device: port id is gone (never sent: ports are fixed) */
#define VIRTIO_CONSOLE_PORT_READY    3u /* driver: value 1 port set up, 0 failed */
#define VIRTIO_CONSOLE_CONSOLE_PORT  4u /* device: port id is a console (hvc) */
#define VIRTIO_CONSOLE_RESIZE        5u /* device: followed by le16 cols, le16 rows */
#define VIRTIO_CONSOLE_PORT_OPEN     6u /* both: value 1 open, 0 closed */
#define VIRTIO_CONSOLE_PORT_NAME     7u /* device: followed by the name */

/* Emergency bytes written while the TX ring is full wait here; beyond this they are counted lost. */
#define VIRTIO_CONSOLE_EMERG_HOLD 64u

/* One port as the VMM describes it. */
struct virtio_console_port {
    struct serial_client *serial; /* its own serial client, already initialised */
    const char *name;             /* shown in /sys/class/virtio-ports/<vport>/name; NULL or "": none */
    bool console;                 /* an hvc console (CONSOLE_PORT sent); port 0 always is */
    uint16_t cols, rows;          /* 0, 0: 80x24 */
};

struct virtio_console_params {
    struct guest_mem mem;         /* the guest's RAM */
    struct serial_client *serial; /* single port: the guest's serial client, already initialised */
    uint16_t cols, rows;          /* single port: 0, 0: 80x24 */
    /* Multiport: nr_ports (1 to VIRTIO_CONSOLE_MAX_PORTS) ports, port i on ports[i]; then
     * serial, cols and rows above are not used and VIRTIO_CONSOLE_F_MULTIPORT is offered with
     * max_nr_ports = nr_ports. nr_ports 0: one port on serial, MULTIPORT not offered. */
    const struct virtio_console_port *ports;
    unsigned nr_ports;
    /* RESIZE's payload as Linux drivers before their 2025 fix read it: le16 rows, then
     * cols, against the specification's cols, then rows (6.1.y has the fix since a stable
     * update: Debian's 6.1.0-57 reads cols first). false: the specification's order. */
    bool resize_rows_first;
    virtio_irq_fn irq; /* inject the device's SPI */
    void *irq_ctx;
    virtio_log_fn log; /* one line without newline; the VMM adds the guest's name */
    void *log_ctx;
};

/* Control messages for one port waiting for a control receiveq buffer, sent in this order. */
#define CONSOLE_PEND_ADD     (1u << 0)
#define CONSOLE_PEND_CONSOLE (1u << 1)
#define CONSOLE_PEND_RESIZE  (1u << 2)
#define CONSOLE_PEND_NAME    (1u << 3)
#define CONSOLE_PEND_OPEN    (1u << 4)

struct console_port {
    struct serial_client *serial;
    char name[VIRTIO_CONSOLE_NAME_MAX];
    bool console;
    uint16_t cols, rows;
    struct virtq_chain tx; /* the transmitq chain being sent, while tx_busy */
    struct virtq_chain rx; /* the receiveq chain being filled, while rx_busy */
    bool tx_busy, rx_busy;
    /* multiport state, cleared by reset */
    uint32_t pending; /* CONSOLE_PEND_* */
    bool added;       /* DEVICE_ADD sent */
    bool ready;       /* the driver answered PORT_READY 1 */
    bool guest_open;  /* the driver's last PORT_OPEN value */
};

struct virtio_console {
    struct virtio_mmio mmio;      /* the transport */
    struct virtio_device_ops ops; /* this console's description (queues, features depend on ports) */
    unsigned nr_ports;            /* 1 without MULTIPORT offered */
    bool multiport_offered;
    bool device_ready;      /* the driver sent DEVICE_READY 1 (reset clears) */
    bool resize_rows_first; /* params.resize_rows_first */
    struct console_port port[VIRTIO_CONSOLE_MAX_PORTS];
    uint8_t emerg[VIRTIO_CONSOLE_EMERG_HOLD]; /* emergency bytes the TX ring had no room for */
    uint32_t emerg_len;
    uint32_t emerg_lost; /* emergency bytes dropped because the hold buffer was full too */
};

/* VMM, once. Returns NULL, or what is wrong (then con must not be used). */
const char *virtio_console_init(struct virtio_console *con, const struct virtio_console_params *p);

/* VMM, on a guest access at offset from the device's base (see virtio_mmio_access). */
void virtio_console_mmio(struct virtio_console *con, uint64_t offset, bool write, unsigned size,
                         uint64_t *value);

/* VMM, when a TX virtualiser notifies: sends what waits (emergency bytes, every port's transmitq). */
void virtio_console_tx_space(struct virtio_console *con);

/* VMM, when an RX virtualiser notifies: moves input into every port's receive buffers. */
void virtio_console_rx_ready(struct virtio_console *con);

/* The same for one port (its own serial client notified); a port out of range is ignored. */
void virtio_console_port_tx_space(struct virtio_console *con, unsigned port);
void virtio_console_port_rx_ready(struct virtio_console *con, unsigned port);

/*
 * VMM, when port 0's terminal size changes. Without MULTIPORT negotiated: new cols/rows in the
 * configuration space and a configuration interrupt. With it: a RESIZE control message.
 */
void virtio_console_set_size(struct virtio_console *con, uint16_t cols, uint16_t rows);

/*
 * VMM, when a port's terminal size changes. Port 0 as virtio_console_set_size; another port
 * gets a RESIZE control message once the driver has it ready, if it is a console port (Linux
 * resizes only hvc consoles). False for a port out of range.
 */
bool virtio_console_port_set_size(struct virtio_console *con, unsigned port, uint16_t cols, uint16_t rows);

/* ---- inside the device (console_*.c) ---- */
void console_tx_run(struct virtio_console *con, unsigned port);
void console_rx_run(struct virtio_console *con, unsigned port);
bool console_multiport(const struct virtio_console *con); /* MULTIPORT negotiated */
void console_ctrl_tx_run(struct virtio_console *con);
void console_ctrl_rx_run(struct virtio_console *con);
void console_ctrl_reset(struct virtio_console *con);
void console_emerg_write(struct virtio_console *con, uint8_t byte);

#endif

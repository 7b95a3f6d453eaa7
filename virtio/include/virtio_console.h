/*
 * The virtIO console device (virtIO 1.2 section 5.3), port 0 only: receiveq 0 and transmitq 1,
 * backed by one serial client (serial_client.h: the guest's TX and RX rings to the serial
 * virtualisers). Offers VIRTIO_CONSOLE_F_SIZE and VIRTIO_CONSOLE_F_EMERG_WRITE.
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
#define VIRTIO_CONSOLE_F_MULTIPORT   1 /* not offered */
#define VIRTIO_CONSOLE_F_EMERG_WRITE 2

#define VIRTIO_CONSOLE_RXQ       0u
#define VIRTIO_CONSOLE_TXQ       1u
#define VIRTIO_CONSOLE_QUEUE_MAX 256u /* QueueNumMax of both queues */

/* Configuration space (struct virtio_console_config). */
#define VIRTIO_CONSOLE_CFG_COLS         0u /* le16 */
#define VIRTIO_CONSOLE_CFG_ROWS         2u /* le16 */
#define VIRTIO_CONSOLE_CFG_MAX_NR_PORTS 4u /* le32, 0: no MULTIPORT */
#define VIRTIO_CONSOLE_CFG_EMERG_WR     8u /* le32, write-only */
#define VIRTIO_CONSOLE_CFG_SIZE         12u

/* Emergency bytes written while the TX ring is full wait here; beyond this they are counted lost. */
#define VIRTIO_CONSOLE_EMERG_HOLD 64u

struct virtio_console_params {
    struct guest_mem mem;         /* the guest's RAM */
    struct serial_client *serial; /* the guest's serial client, already initialised */
    uint16_t cols, rows;          /* 0, 0: 80x24 */
    virtio_irq_fn irq;            /* inject the device's SPI */
    void *irq_ctx;
    virtio_log_fn log; /* one line without newline; the VMM adds the guest's name */
    void *log_ctx;
};

struct virtio_console {
    struct virtio_mmio mmio; /* the transport */
    struct serial_client *serial;
    uint16_t cols, rows;
    struct virtq_chain tx; /* the transmitq chain being sent, while tx_busy */
    struct virtq_chain rx; /* the receiveq chain being filled, while rx_busy */
    bool tx_busy, rx_busy;
    uint8_t emerg[VIRTIO_CONSOLE_EMERG_HOLD]; /* emergency bytes the TX ring had no room for */
    uint32_t emerg_len;
    uint32_t emerg_lost; /* emergency bytes dropped because the hold buffer was full too */
};

/* VMM, once. Returns NULL, or what is wrong (then con must not be used). */
const char *virtio_console_init(struct virtio_console *con, const struct virtio_console_params *p);

/* VMM, on a guest access at offset from the device's base (see virtio_mmio_access). */
void virtio_console_mmio(struct virtio_console *con, uint64_t offset, bool write, unsigned size,
                         uint64_t *value);

/* VMM, when the TX virtualiser notifies: sends what waits (emergency bytes, the transmitq). */
void virtio_console_tx_space(struct virtio_console *con);

/* VMM, when the RX virtualiser notifies: moves input into the guest's receive buffers. */
void virtio_console_rx_ready(struct virtio_console *con);

/* VMM, when the console's size changes: new cols/rows and a configuration interrupt. */
void virtio_console_set_size(struct virtio_console *con, uint16_t cols, uint16_t rows);

/* ---- inside the device (console_*.c) ---- */
void console_tx_run(struct virtio_console *con);
void console_rx_run(struct virtio_console *con);
void console_emerg_write(struct virtio_console *con, uint8_t byte);

#endif

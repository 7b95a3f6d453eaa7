/*
 * The driver core: moves bytes between the UART (through struct uart_ops) and the two rings,
 * with RX hold-off and the queue's signal flags. It makes no microkit call: each entry point
 * returns what the PD glue (serial_drv_pd.c) must do, as SERIAL_DRV_* bits.
 *
 * RX: drain the FIFO into the RX ring. When the ring is full, stop draining, mask the UART's RX
 * interrupts and set the ring's producer_signal; the RX virtualiser notifies when it has freed
 * space, and serial_drv_rx_notified drains and unmasks. The FIFO then fills and the UART (or
 * QEMU, which stops reading its chardev) holds the rest back.
 * TX: copy the TX ring into the FIFO while it has room. With bytes left over, enable the TX
 * interrupt; with the ring empty, mask it and set consumer_signal so the TX virtualiser
 * notifies when it adds bytes.
 */
#ifndef SERIAL_DRV_H
#define SERIAL_DRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "serial_config.h"
#include "serial_queue.h"
#include "uart_errors.h"
#include "uart_ops.h"

#define SERIAL_DRV_NOTIFY_RX (1u << 0) /* notify the RX virtualiser: data for it */
#define SERIAL_DRV_NOTIFY_TX (1u << 1) /* notify the TX virtualiser: space for it */
#define SERIAL_DRV_REPORT    (1u << 2) /* print serial_drv_error_line */

struct serial_drv {
    const struct uart_ops *ops;
    struct uart_dev dev;
    struct serial_queue_handle tx, rx;
    bool has_rx;
    bool rx_held;   /* RX ring full: the FIFO is not drained and the RX interrupts are masked */
    bool tx_irq_on; /* the TX interrupt is enabled: bytes wait that the FIFO had no room for */
    struct uart_err_report err;
};

/*
 * Sets up the rings and programs the UART, then moves what already waits in the TX ring; *act
 * gets what to do. cfg must have passed serial_drv_config_check and b come from ops->baud for
 * it. Returns -1 (touching nothing) when a ring cannot be set up after all.
 */
int serial_drv_start(struct serial_drv *d, const struct uart_ops *ops, const struct serial_driver_config *cfg,
                     const struct uart_baud *b, unsigned *act);

/* The UART's interrupt: RX (unless held off), TX, error report. */
unsigned serial_drv_irq(struct serial_drv *d);

/* The RX virtualiser notified: it freed space. Resume RX if held off. */
unsigned serial_drv_rx_notified(struct serial_drv *d);

/* The TX virtualiser notified: it added bytes. */
unsigned serial_drv_tx_notified(struct serial_drv *d);

/* The line-error report line (after SERIAL_DRV_REPORT). */
void serial_drv_error_line(struct serial_drv *d, char *buf, size_t len);

#endif

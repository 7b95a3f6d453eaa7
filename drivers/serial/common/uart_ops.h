/*
 * What the driver core (serial_drv.c) needs from one kind of UART: the register logic of a driver
 * (pl011.c, imx_uart.c) fills in a struct uart_ops. None of it makes a microkit call; every
 * register access goes through uart_io.h.
 */
#ifndef UART_OPS_H
#define UART_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uart_io.h"

/* Line errors seen on received characters, counted since the driver started. */
struct uart_err_counts {
    uint32_t framing;
    uint32_t parity;
    uint32_t brk;
    uint32_t overrun; /* characters the UART had to discard because its RX FIFO was full */
};

/* The divisor settings one baud rate needs (a driver uses the fields it has registers for). */
struct uart_baud {
    uint32_t ibrd, fbrd; /* PL011 */
    uint32_t rfdiv;      /* i.MX: reference clock divider, 1..7 */
    uint32_t ubir, ubmr; /* i.MX */
    uint32_t actual;     /* the baud rate these settings give, in bit/s */
};

/* One UART: its registers and the driver's copies of the registers it changes bit by bit. */
struct uart_dev {
    struct uart_io io;
    uint64_t ref_clock_hz;
    uint32_t ctl1; /* PL011: IMSC; i.MX: UCR1 */
    uint32_t ctl2; /* i.MX: UCR2 */
    struct uart_err_counts err;
};

struct uart_ops {
    const char *name;    /* the prefix of every line the driver prints */
    uint64_t frame_size; /* bytes of register frame the driver touches */
    /* Divisors for baud from ref_hz; -1 when the rate cannot be reached within 2%. No I/O. */
    int (*baud)(uint64_t ref_hz, uint32_t baud, struct uart_baud *out);
    /* Reset and program the UART: 8N1, the divisors, the FIFOs, the RX interrupts when rx. */
    void (*setup)(struct uart_dev *dev, const struct uart_baud *b, bool rx);
    /* The init line: the registers read back from the UART, NUL-terminated in buf. */
    void (*report)(const struct uart_dev *dev, const struct uart_baud *b, uint32_t baud, char *buf,
                   size_t len);
    /* Clear latched interrupt causes (RX timeout or aging) and count the errors that only the
     * status registers report; called before servicing an interrupt or resuming RX. */
    void (*ack_status)(struct uart_dev *dev);
    /* The next good received byte, or -1 when the RX FIFO is empty. Characters with framing,
     * parity or break errors are counted and dropped. */
    int (*rx_get)(struct uart_dev *dev);
    /* How many bytes tx_put may write now without overfilling the TX FIFO. */
    uint32_t (*tx_room)(struct uart_dev *dev);
    void (*tx_put)(struct uart_dev *dev, uint8_t c);
    /* Enable or mask the RX interrupts (FIFO level and timeout/aging), and the TX interrupt. */
    void (*rx_irq)(struct uart_dev *dev, bool on);
    void (*tx_irq)(struct uart_dev *dev, bool on);
};

#endif

/*
 * The PL011's register logic: divisors, set-up, the FIFOs and the interrupt masks, through
 * uart_io.h only. The driver core (serial_drv.c) decides when each is called.
 */
#include <inttypes.h>
#include <stdio.h>

#include "pl011.h"
#include "pl011_regs.h"

/* Reads of FR while waiting for the transmitter to finish what the kernel left in the FIFO
 * (16 characters at 9600 baud take 17 ms; this is far more at any MMIO speed). */
#define BUSY_WAIT_READS (1u << 20)
/* Erroneous characters rx_get drops before it returns, so it cannot be kept forever by a line
 * that sends nothing but breaks; the interrupt stays pending for the rest. */
#define RX_MAX_DROPS (4u * PL011_FIFO_DEPTH)

/*
 * The divisor is ref / (16 * baud) with 6 fraction bits: IBRD.FBRD = round(64 * ref / (16 * baud))
 * = round(4 * ref / baud). IBRD must be 1..65535, and FBRD 0 when IBRD is 65535.
 */
static int pl011_baud(uint64_t ref_hz, uint32_t baud, struct uart_baud *out)
{
    *out = (struct uart_baud){ 0 };
    if (baud == 0 || ref_hz == 0 || ref_hz > UINT32_MAX)
        return -1;
    uint64_t div64 = (8u * ref_hz / baud + 1u) / 2u; /* 8 * 2^32 fits easily */
    uint64_t ibrd = div64 >> 6, fbrd = div64 & 63u;
    if (ibrd == 0 || ibrd > 0xffffu || (ibrd == 0xffffu && fbrd != 0))
        return -1;
    uint64_t actual = (4u * ref_hz + div64 / 2u) / div64;
    uint64_t diff = actual > baud ? actual - baud : baud - actual;
    if (diff * 50u > baud) /* more than 2% off */
        return -1;
    out->ibrd = (uint32_t)ibrd;
    out->fbrd = (uint32_t)fbrd;
    out->actual = (uint32_t)actual;
    return 0;
}

static void pl011_setup(struct uart_dev *dev, const struct uart_baud *b, bool rx)
{
    const struct uart_io *io = &dev->io;
    /* Let the transmitter finish, then disable: the TRM's order for reprogramming. */
    uint32_t reads = 0;
    while (reads < BUSY_WAIT_READS && (uart_io_read(io, PL011_FR) & PL011_FR_BUSY))
        reads++;
    uart_io_write(io, PL011_CR, 0);
    uart_io_write(io, PL011_IMSC, 0);
    uart_io_write(io, PL011_ICR, PL011_INT_ALL);
    uart_io_write(io, PL011_LCRH, 0); /* FEN 0 flushes both FIFOs */
    uart_io_write(io, PL011_ECR, 0);
    uart_io_write(io, PL011_IBRD, b->ibrd);
    uart_io_write(io, PL011_FBRD, b->fbrd);
    uart_io_write(io, PL011_LCRH, PL011_LCRH_WLEN8 | PL011_LCRH_FEN); /* latches IBRD and FBRD */
    uart_io_write(io, PL011_IFLS, PL011_IFLS_RX_HALF | PL011_IFLS_TX_QUARTER);
    uart_io_write(io, PL011_CR, PL011_CR_UARTEN | PL011_CR_TXE | (rx ? PL011_CR_RXE : 0));
    dev->ctl1 = rx ? PL011_INT_RX | PL011_INT_RT : 0;
    uart_io_write(io, PL011_IMSC, dev->ctl1);
}

static void pl011_report(const struct uart_dev *dev, const struct uart_baud *b, uint32_t baud, char *buf,
                         size_t len)
{
    const struct uart_io *io = &dev->io;
    uint32_t ibrd = uart_io_read(io, PL011_IBRD), fbrd = uart_io_read(io, PL011_FBRD);
    uint32_t lcrh = uart_io_read(io, PL011_LCRH), cr = uart_io_read(io, PL011_CR);
    uint32_t ifls = uart_io_read(io, PL011_IFLS), imsc = uart_io_read(io, PL011_IMSC);
    snprintf(buf, len,
             "pl011: 0x%" PRIxPTR " %" PRIu32 " 8N1 ref %" PRIu64 " Hz IBRD %" PRIu32 " FBRD %" PRIu32
             " -> %" PRIu32 " baud; read back: IBRD=%" PRIu32 " FBRD=%" PRIu32 " LCRH=0x%" PRIx32
             " CR=0x%" PRIx32 " IFLS=0x%" PRIx32 " IMSC=0x%" PRIx32 "\n",
             io->base, baud, dev->ref_clock_hz, b->ibrd, b->fbrd, b->actual, ibrd, fbrd, lcrh, cr, ifls,
             imsc);
}

/* Nothing is latched that needs clearing: RX, TX and the receive timeout follow the FIFO (the
 * timeout ends when the FIFO is empty), the error interrupts stay masked and the errors come
 * with the characters (rx_get). */
static void pl011_ack_status(struct uart_dev *dev)
{
    (void)dev;
}

static void count_errors(struct uart_dev *dev, uint32_t dr)
{
    if (dr & PL011_DR_OE)
        dev->err.overrun++;
    if (dr & PL011_DR_BE)
        dev->err.brk++; /* a break also shows as a framing error: count it once */
    else if (dr & PL011_DR_FE)
        dev->err.framing++;
    else if (dr & PL011_DR_PE)
        dev->err.parity++;
    uart_io_write(&dev->io, PL011_ECR, 0);
}

static int pl011_rx_get(struct uart_dev *dev)
{
    for (uint32_t i = 0; i < RX_MAX_DROPS; i++) {
        if (uart_io_read(&dev->io, PL011_FR) & PL011_FR_RXFE)
            return -1;
        uint32_t dr = uart_io_read(&dev->io, PL011_DR);
        if (dr & PL011_DR_ERRS)
            count_errors(dev, dr);
        /* An overrun lost the character after this one; this one is good. */
        if ((dr & (PL011_DR_FE | PL011_DR_PE | PL011_DR_BE)) == 0)
            return (int)(dr & 0xffu);
    }
    return -1;
}

static uint32_t pl011_tx_room(struct uart_dev *dev)
{
    uint32_t fr = uart_io_read(&dev->io, PL011_FR);
    if (fr & PL011_FR_TXFE)
        return PL011_FIFO_DEPTH;
    return (fr & PL011_FR_TXFF) ? 0 : 1;
}

static void pl011_tx_put(struct uart_dev *dev, uint8_t c)
{
    uart_io_write(&dev->io, PL011_DR, c);
}

static void imsc_set(struct uart_dev *dev, uint32_t bits, bool on)
{
    dev->ctl1 = on ? dev->ctl1 | bits : dev->ctl1 & ~bits;
    uart_io_write(&dev->io, PL011_IMSC, dev->ctl1);
}

static void pl011_rx_irq(struct uart_dev *dev, bool on)
{
    imsc_set(dev, PL011_INT_RX | PL011_INT_RT, on);
}

static void pl011_tx_irq(struct uart_dev *dev, bool on)
{
    imsc_set(dev, PL011_INT_TX, on);
}

const struct uart_ops pl011_ops = {
    .name = "pl011",
    .frame_size = PL011_FRAME_SIZE,
    .baud = pl011_baud,
    .setup = pl011_setup,
    .report = pl011_report,
    .ack_status = pl011_ack_status,
    .rx_get = pl011_rx_get,
    .tx_room = pl011_tx_room,
    .tx_put = pl011_tx_put,
    .rx_irq = pl011_rx_irq,
    .tx_irq = pl011_tx_irq,
};

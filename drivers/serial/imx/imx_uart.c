/*
 * The i.MX UART's register logic: divisors, set-up, the FIFOs and the interrupt masks, through
 * uart_io.h only. The driver core (serial_drv.c) decides when each is called.
 *
 * Baud = (ref / RFDIV) / (16 * (UBMR + 1) / (UBIR + 1)). UBIR and UBMR are 16-bit, so the
 * ratio (UBMR + 1) / (UBIR + 1) = ref / (16 * RFDIV * baud) is approximated by the best fraction
 * with both terms <= 65536 (exact whenever it can be: 24 MHz / 2 at 115200 is 625 / 96).
 */
#include <inttypes.h>
#include <stdio.h>

#include "imx_uart.h"
#include "imx_uart_regs.h"

/* Status reads while waiting for the kernel's last characters to leave, or for the reset. */
#define SPIN_READS (1u << 20)
/* Erroneous characters rx_get drops before it returns (see pl011.c). */
#define RX_MAX_DROPS (4u * IMX_FIFO_DEPTH)
#define DIV_MAX      65536u /* UBIR + 1 and UBMR + 1 */

uint32_t imx_rfdiv_field(uint32_t div)
{
    return div <= 6u ? 6u - div : 6u;
}

uint32_t imx_rfdiv_from_field(uint32_t field)
{
    if (field <= 5u)
        return 6u - field;
    return field == 6u ? 7u : 0u;
}

/*
 * The last convergent p/q of the continued fraction of n/d with p, q <= DIV_MAX (each convergent
 * is the best approximation with a denominator that small). -1 when even the integer part
 * does not fit.
 */
static int best_fraction(uint64_t n, uint64_t d, uint32_t *p, uint32_t *q)
{
    uint64_t p0 = 0, q0 = 1, p1 = 1, q1 = 0;
    while (d != 0) {
        uint64_t a = n / d;
        if (a > DIV_MAX)
            break;
        uint64_t p2 = a * p1 + p0, q2 = a * q1 + q0; /* a, p1, q1 <= 2^16: no overflow */
        if (p2 > DIV_MAX || q2 > DIV_MAX)
            break;
        p0 = p1;
        q0 = q1;
        p1 = p2;
        q1 = q2;
        uint64_t r = n - a * d;
        n = d;
        d = r;
    }
    if (q1 == 0)
        return -1;
    *p = (uint32_t)p1;
    *q = (uint32_t)q1;
    return 0;
}

/* Divider 2 first (the one Linux and the reference manual's examples use), 1 for rates that
 * need all of the clock, then larger ones for rates too low for 16-bit divisors. */
static const uint8_t rfdiv_order[] = { 2, 1, 3, 4, 5, 6, 7 };

static int imx_baud(uint64_t ref_hz, uint32_t baud, struct uart_baud *out)
{
    *out = (struct uart_baud){ 0 };
    if (baud == 0 || ref_hz == 0 || ref_hz > UINT32_MAX)
        return -1;
    for (unsigned i = 0; i < sizeof(rfdiv_order); i++) {
        uint32_t div = rfdiv_order[i], p, q;
        uint64_t den = 16u * (uint64_t)baud * div; /* < 2^39 */
        if (best_fraction(ref_hz, den, &p, &q) != 0 || p < q)
            continue; /* ratio above 65536, or below 1 (baud above ref / (16 * div)) */
        uint64_t per_q = 16u * (uint64_t)div * p; /* actual = ref * q / (16 * div * p) */
        uint64_t actual = (ref_hz * q + per_q / 2u) / per_q;
        uint64_t diff = actual > baud ? actual - baud : baud - actual;
        if (diff * 50u > baud) /* more than 2% off */
            continue;
        out->rfdiv = div;
        out->ubir = q - 1u;
        out->ubmr = p - 1u;
        out->actual = (uint32_t)actual;
        return 0;
    }
    return -1;
}

static void spin_while(const struct uart_io *io, uint32_t reg, uint32_t mask, uint32_t value)
{
    uint32_t reads = 0;
    while (reads < SPIN_READS && (uart_io_read(io, reg) & mask) == value)
        reads++;
}

static void imx_setup(struct uart_dev *dev, const struct uart_baud *b, bool rx)
{
    const struct uart_io *io = &dev->io;
    /* What the kernel wrote before the driver started leaves the FIFO before the reset. */
    spin_while(io, IMX_USR2, IMX_USR2_TXDC, 0);
    uart_io_write(io, IMX_UCR1, 0);
    uart_io_write(io, IMX_UCR2, 0); /* SRST 0: software reset, which ends by itself */
    spin_while(io, IMX_UTS, IMX_UTS_SOFTRST, IMX_UTS_SOFTRST);
    uart_io_write(io, IMX_UCR3, IMX_UCR3_RESET | IMX_UCR3_RXDMUXSEL);
    uart_io_write(io, IMX_UCR4, IMX_UCR4_CTSTL_32);
    uart_io_write(io, IMX_UFCR,
                  IMX_TXTL << IMX_UFCR_TXTL_SHIFT | imx_rfdiv_field(b->rfdiv) << IMX_UFCR_RFDIV_SHIFT |
                      IMX_RXTL << IMX_UFCR_RXTL_SHIFT);
    uart_io_write(io, IMX_UBIR, b->ubir); /* UBIR before UBMR: the UBMR write loads both */
    uart_io_write(io, IMX_UBMR, b->ubmr);
    uart_io_write(io, IMX_ONEMS, (uint32_t)(dev->ref_clock_hz / b->rfdiv / 1000u));
    dev->ctl2 = IMX_UCR2_SRST | IMX_UCR2_TXEN | IMX_UCR2_WS | IMX_UCR2_IRTS |
                (rx ? IMX_UCR2_RXEN | IMX_UCR2_ATEN : 0);
    uart_io_write(io, IMX_UCR2, dev->ctl2);
    dev->ctl1 = IMX_UCR1_UARTEN | (rx ? IMX_UCR1_RRDYEN : 0);
    uart_io_write(io, IMX_UCR1, dev->ctl1);
    uart_io_write(io, IMX_USR1, IMX_USR1_AGTIM | IMX_USR1_FRAMERR | IMX_USR1_PARITYERR);
    uart_io_write(io, IMX_USR2, IMX_USR2_ORE | IMX_USR2_BRCD);
}

static void imx_report(const struct uart_dev *dev, const struct uart_baud *b, uint32_t baud, char *buf,
                       size_t len)
{
    const struct uart_io *io = &dev->io;
    uint32_t ubir = uart_io_read(io, IMX_UBIR), ubmr = uart_io_read(io, IMX_UBMR);
    uint32_t ufcr = uart_io_read(io, IMX_UFCR), ucr1 = uart_io_read(io, IMX_UCR1);
    uint32_t ucr2 = uart_io_read(io, IMX_UCR2), ucr3 = uart_io_read(io, IMX_UCR3);
    uint32_t ucr4 = uart_io_read(io, IMX_UCR4), onems = uart_io_read(io, IMX_ONEMS);
    snprintf(buf, len,
             "imx_uart: 0x%" PRIxPTR " %" PRIu32 " 8N1 ref %" PRIu64 " Hz RFDIV %" PRIu32 " UBIR %" PRIu32
             " UBMR %" PRIu32 " -> %" PRIu32 " baud; read back: UBIR=%" PRIu32 " UBMR=%" PRIu32
             " UFCR=0x%" PRIx32 " UCR1=0x%" PRIx32 " UCR2=0x%" PRIx32 " UCR3=0x%" PRIx32 " UCR4=0x%" PRIx32
             " ONEMS=%" PRIu32 "\n",
             io->base, baud, dev->ref_clock_hz, b->rfdiv, b->ubir, b->ubmr, b->actual, ubir, ubmr, ufcr, ucr1,
             ucr2, ucr3, ucr4, onems);
}

/* Aging and the error flags are latched (write 1 to clear); only USR2.ORE says that a
 * character was lost, the per-character errors come with the characters (rx_get). */
static void imx_ack_status(struct uart_dev *dev)
{
    const struct uart_io *io = &dev->io;
    uint32_t usr1 = uart_io_read(io, IMX_USR1) & (IMX_USR1_AGTIM | IMX_USR1_FRAMERR | IMX_USR1_PARITYERR);
    uint32_t usr2 = uart_io_read(io, IMX_USR2) & (IMX_USR2_ORE | IMX_USR2_BRCD);
    if (usr1 != 0)
        uart_io_write(io, IMX_USR1, usr1);
    if (usr2 & IMX_USR2_ORE)
        dev->err.overrun++;
    if (usr2 != 0)
        uart_io_write(io, IMX_USR2, usr2);
    /* QEMU's model (10.x) does not lower its interrupt line when a status bit is cleared, only
     * when a control register is written: without this the cleared aging interrupt stays raised
     * and the driver, at the top priority, is interrupted for ever. Harmless on hardware. */
    if (usr1 != 0 || usr2 != 0)
        uart_io_write(io, IMX_UCR1, dev->ctl1);
}

static void count_errors(struct uart_dev *dev, uint32_t rxd)
{
    if (rxd & IMX_URXD_BRK)
        dev->err.brk++; /* a break also shows as a framing error: count it once */
    else if (rxd & IMX_URXD_FRMERR)
        dev->err.framing++;
    else
        dev->err.parity++;
    uart_io_write(&dev->io, IMX_USR1, IMX_USR1_FRAMERR | IMX_USR1_PARITYERR);
    uart_io_write(&dev->io, IMX_USR2, IMX_USR2_BRCD);
}

/* USR2.RDR says a character waits (the manual: CHARRDY is not for polling); CHARRDY still
 * guards the read. */
static int imx_rx_get(struct uart_dev *dev)
{
    for (uint32_t i = 0; i < RX_MAX_DROPS; i++) {
        if ((uart_io_read(&dev->io, IMX_USR2) & IMX_USR2_RDR) == 0)
            return -1;
        uint32_t rxd = uart_io_read(&dev->io, IMX_URXD);
        if ((rxd & IMX_URXD_CHARRDY) == 0)
            return -1;
        if ((rxd & (IMX_URXD_BRK | IMX_URXD_FRMERR | IMX_URXD_PRERR)) == 0)
            return (int)(rxd & 0xffu);
        count_errors(dev, rxd);
    }
    return -1;
}

static uint32_t imx_tx_room(struct uart_dev *dev)
{
    if (uart_io_read(&dev->io, IMX_USR2) & IMX_USR2_TXFE)
        return IMX_FIFO_DEPTH;
    if (uart_io_read(&dev->io, IMX_USR1) & IMX_USR1_TRDY)
        return IMX_FIFO_DEPTH - IMX_TXTL;
    return (uart_io_read(&dev->io, IMX_UTS) & IMX_UTS_TXFULL) ? 0 : 1;
}

static void imx_tx_put(struct uart_dev *dev, uint8_t c)
{
    uart_io_write(&dev->io, IMX_UTXD, c);
}

static void imx_rx_irq(struct uart_dev *dev, bool on)
{
    dev->ctl1 = on ? dev->ctl1 | IMX_UCR1_RRDYEN : dev->ctl1 & ~IMX_UCR1_RRDYEN;
    dev->ctl2 = on ? dev->ctl2 | IMX_UCR2_ATEN : dev->ctl2 & ~IMX_UCR2_ATEN;
    uart_io_write(&dev->io, IMX_UCR1, dev->ctl1);
    uart_io_write(&dev->io, IMX_UCR2, dev->ctl2 | IMX_UCR2_SRST);
}

static void imx_tx_irq(struct uart_dev *dev, bool on)
{
    dev->ctl1 = on ? dev->ctl1 | IMX_UCR1_TRDYEN : dev->ctl1 & ~IMX_UCR1_TRDYEN;
    uart_io_write(&dev->io, IMX_UCR1, dev->ctl1);
}

const struct uart_ops imx_uart_ops = {
    .name = "imx_uart",
    .frame_size = IMX_FRAME_SIZE,
    .baud = imx_baud,
    .setup = imx_setup,
    .report = imx_report,
    .ack_status = imx_ack_status,
    .rx_get = imx_rx_get,
    .tx_room = imx_tx_room,
    .tx_put = imx_tx_put,
    .rx_irq = imx_rx_irq,
    .tx_irq = imx_tx_irq,
};

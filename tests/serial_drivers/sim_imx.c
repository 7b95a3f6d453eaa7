/* An i.MX UART behind uart_io.h (sim.h): 32-entry FIFOs, RRDY/TRDY by the UFCR levels, aging
 * latched by sim_rx_idle, errors in URXD, write-1-to-clear status, UCR2.SRST reset. */
#include "sim.h"
#include "sim_fifo.h"
#include "uart_io.h"
#include "imx_uart_regs.h"

#define DEPTH 32u

uint8_t sim_wire[SIM_WIRE_MAX];
unsigned sim_wire_len, sim_rx_lost, sim_faults, sim_accesses;
unsigned sim_imx_resets;     /* UCR2 writes with SRST 0 */
unsigned sim_imx_ubir_order; /* 1 when the last UBMR write followed a UBIR write */

static uint32_t regs[IMX_FRAME_SIZE / 4];
static struct sim_fifo rx = { .depth = DEPTH }, tx = { .depth = DEPTH };
static uint32_t usr1_latch, usr2_latch; /* AGTIM, FRAMERR, PARITYERR; ORE, BRCD */
static unsigned softrst_reads, last_write;

static void regs_reset(void)
{
    for (unsigned i = 0; i < IMX_FRAME_SIZE / 4; i++)
        regs[i] = 0;
    regs[IMX_UCR2 / 4] = IMX_UCR2_SRST;
    regs[IMX_UCR3 / 4] = 0x700;
    regs[IMX_UCR4 / 4] = 0x8000;
    regs[IMX_UFCR / 4] = 0x801;
    sim_fifo_clear(&rx);
    sim_fifo_clear(&tx);
    usr1_latch = usr2_latch = 0;
}

void sim_reset(void)
{
    regs_reset();
    sim_wire_len = sim_rx_lost = sim_faults = sim_accesses = sim_imx_resets = sim_imx_ubir_order = 0;
    softrst_reads = last_write = 0;
}

static bool rx_on(void)
{
    return (regs[IMX_UCR2 / 4] & IMX_UCR2_RXEN) != 0;
}

void sim_rx_push(uint32_t v)
{
    if (!rx_on())
        return;
    if (rx.n == DEPTH) {
        sim_rx_lost++;
        usr2_latch |= IMX_USR2_ORE;
        return;
    }
    if (rx.n == DEPTH - 1)
        v |= IMX_URXD_OVRRUN | IMX_URXD_ERR; /* the 32nd: a warning, the data is good */
    if (v & (IMX_URXD_FRMERR | IMX_URXD_PRERR | IMX_URXD_BRK | IMX_URXD_OVRRUN))
        v |= IMX_URXD_ERR;
    sim_fifo_put(&rx, v);
    if (v & IMX_URXD_FRMERR)
        usr1_latch |= IMX_USR1_FRAMERR;
    if (v & IMX_URXD_PRERR)
        usr1_latch |= IMX_USR1_PARITYERR;
    if (v & IMX_URXD_BRK)
        usr2_latch |= IMX_USR2_BRCD;
}

unsigned sim_rx_level(void)
{
    return rx.n;
}

void sim_rx_idle(void)
{
    if (rx.n > 0)
        usr1_latch |= IMX_USR1_AGTIM;
}

unsigned sim_tx_level(void)
{
    return tx.n;
}

void sim_tx_drain(unsigned n)
{
    sim_fifo_to_wire(&tx, n);
}

static uint32_t usr1(void)
{
    uint32_t ufcr = regs[IMX_UFCR / 4];
    uint32_t v = usr1_latch;
    if (rx.n > 0 && rx.n >= (ufcr & 0x3fu))
        v |= IMX_USR1_RRDY;
    if (tx.n < ((ufcr >> 10) & 0x3fu))
        v |= IMX_USR1_TRDY;
    return v;
}

static uint32_t usr2(void)
{
    return usr2_latch | (rx.n > 0 ? IMX_USR2_RDR : 0) | (tx.n == 0 ? IMX_USR2_TXFE | IMX_USR2_TXDC : 0);
}

bool sim_irq(void)
{
    uint32_t ucr1 = regs[IMX_UCR1 / 4], ucr2 = regs[IMX_UCR2 / 4];
    uint32_t s1 = usr1();
    return (s1 & ucr1 & (IMX_USR1_RRDY | IMX_USR1_TRDY)) != 0 ||
           ((ucr2 & IMX_UCR2_ATEN) && (s1 & IMX_USR1_AGTIM));
}

uint32_t sim_peek(uint32_t off)
{
    return regs[off / 4];
}

static bool access_ok(const struct uart_io *io, uint32_t off)
{
    sim_accesses++;
    if (io->base == SIM_BASE && off < IMX_FRAME_SIZE && off % 4 == 0)
        return true;
    sim_faults++;
    return false;
}

uint32_t uart_io_read(const struct uart_io *io, uint32_t off)
{
    if (!access_ok(io, off))
        return 0;
    switch (off) {
    case IMX_URXD: {
        if (rx.n == 0)
            return 0; /* CHARRDY 0 */
        return sim_fifo_get(&rx) | IMX_URXD_CHARRDY;
    }
    case IMX_USR1: return usr1();
    case IMX_USR2: return usr2();
    case IMX_UTS:
        if (softrst_reads > 0) {
            softrst_reads--;
            return IMX_UTS_SOFTRST;
        }
        return (tx.n == DEPTH ? IMX_UTS_TXFULL : 0) | (rx.n == 0 ? (1u << 5) : 0) |
               (tx.n == 0 ? (1u << 6) : 0);
    case IMX_UTXD: sim_faults++; return 0;
    default: return regs[off / 4];
    }
}

void uart_io_write(const struct uart_io *io, uint32_t off, uint32_t val)
{
    if (!access_ok(io, off))
        return;
    switch (off) {
    case IMX_UTXD:
        if (!(regs[IMX_UCR2 / 4] & IMX_UCR2_TXEN) || tx.n == DEPTH) {
            sim_faults++;
            return;
        }
        sim_fifo_put(&tx, val & 0xffu);
        break;
    case IMX_URXD:
    case IMX_UTS: sim_faults++; return;
    case IMX_USR1: usr1_latch &= ~val; break;
    case IMX_USR2: usr2_latch &= ~val; break;
    case IMX_UCR2:
        if (!(val & IMX_UCR2_SRST)) {
            regs_reset(); /* the reset takes a few reads of UTS.SOFTRST to end */
            sim_imx_resets++;
            softrst_reads = 3;
            val |= IMX_UCR2_SRST;
        }
        regs[off / 4] = val & 0xffffu;
        break;
    case IMX_UBMR:
        sim_imx_ubir_order = last_write == IMX_UBIR;
        regs[off / 4] = val & 0xffffu;
        break;
    default: regs[off / 4] = val; break;
    }
    last_write = off;
}

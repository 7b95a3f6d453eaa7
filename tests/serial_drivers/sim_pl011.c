/* A PL011 behind uart_io.h (sim.h): 16-entry FIFOs, RX and TX interrupts by FIFO level, the
 * receive timeout latched by sim_rx_idle, errors in DR bits 8-11 and RSR. */
#include "sim.h"
#include "sim_fifo.h"
#include "uart_io.h"
#include "pl011_regs.h"

#define DEPTH 16u

uint8_t sim_wire[SIM_WIRE_MAX];
unsigned sim_wire_len, sim_rx_lost, sim_faults, sim_accesses;
unsigned sim_pl011_ecr_writes;

static uint32_t regs[PL011_FRAME_SIZE / 4];
static struct sim_fifo rx = { .depth = DEPTH }, tx = { .depth = DEPTH };
static uint32_t rsr, ris_rt_err;

void sim_reset(void)
{
    for (unsigned i = 0; i < PL011_FRAME_SIZE / 4; i++)
        regs[i] = 0;
    regs[PL011_CR / 4] = PL011_CR_TXE | PL011_CR_RXE; /* the TRM's reset value */
    regs[PL011_IFLS / 4] = 0x12;
    sim_fifo_clear(&rx);
    sim_fifo_clear(&tx);
    rsr = ris_rt_err = 0;
    sim_wire_len = sim_rx_lost = sim_faults = sim_accesses = sim_pl011_ecr_writes = 0;
}

static bool fifo_on(void)
{
    return (regs[PL011_LCRH / 4] & PL011_LCRH_FEN) != 0;
}

void sim_rx_push(uint32_t v)
{
    if (rx.n == (fifo_on() ? DEPTH : 1u)) {
        sim_rx_lost++;
        *sim_fifo_newest(&rx) |= PL011_DR_OE; /* the overrun shows on the last one */
        return;
    }
    sim_fifo_put(&rx, v);
    if (v & PL011_DR_FE)
        ris_rt_err |= PL011_INT_FE;
}

unsigned sim_rx_level(void)
{
    return rx.n;
}

void sim_rx_idle(void)
{
    if (rx.n > 0)
        ris_rt_err |= PL011_INT_RT;
}

unsigned sim_tx_level(void)
{
    return tx.n;
}

void sim_tx_drain(unsigned n)
{
    sim_fifo_to_wire(&tx, n);
}

/* IFLS levels: 1/8, 1/4, 1/2, 3/4, 7/8 of the FIFO. */
static unsigned level(unsigned sel)
{
    static const unsigned eighths[] = { 1, 2, 4, 6, 7 };
    return sel < 5 ? DEPTH * eighths[sel] / 8 : DEPTH / 2;
}

static uint32_t ris(void)
{
    uint32_t r = ris_rt_err;
    uint32_t ifls = regs[PL011_IFLS / 4];
    if (rx.n >= level((ifls >> 3) & 7u))
        r |= PL011_INT_RX;
    if (tx.n <= level(ifls & 7u))
        r |= PL011_INT_TX;
    return r;
}

bool sim_irq(void)
{
    return (ris() & regs[PL011_IMSC / 4]) != 0;
}

uint32_t sim_peek(uint32_t off)
{
    return regs[off / 4];
}

static bool access_ok(const struct uart_io *io, uint32_t off)
{
    sim_accesses++;
    if (io->base == SIM_BASE && off < PL011_FRAME_SIZE && off % 4 == 0)
        return true;
    sim_faults++;
    return false;
}

uint32_t uart_io_read(const struct uart_io *io, uint32_t off)
{
    if (!access_ok(io, off))
        return 0;
    switch (off) {
    case PL011_DR: {
        if (rx.n == 0) {
            sim_faults++;
            return 0;
        }
        uint32_t v = sim_fifo_get(&rx);
        rsr = (v >> 8) & 0xfu;
        if (rx.n == 0)
            ris_rt_err &= ~PL011_INT_RT; /* the timeout ends when the FIFO is empty */
        return v;
    }
    case PL011_ECR: return rsr;
    case PL011_FR:
        return (rx.n == 0 ? PL011_FR_RXFE : 0) | (rx.n == DEPTH ? (1u << 6) : 0) |
               (tx.n == 0 ? PL011_FR_TXFE : 0) | (tx.n == DEPTH ? PL011_FR_TXFF : 0) |
               (tx.n != 0 ? PL011_FR_BUSY : 0);
    case PL011_RIS: return ris();
    case 0x40: return ris() & regs[PL011_IMSC / 4];
    case PL011_ICR: sim_faults++; return 0; /* write-only */
    default: return regs[off / 4];
    }
}

void uart_io_write(const struct uart_io *io, uint32_t off, uint32_t val)
{
    if (!access_ok(io, off))
        return;
    switch (off) {
    case PL011_DR:
        if (tx.n == (fifo_on() ? DEPTH : 1u)) {
            sim_faults++;
            return;
        }
        sim_fifo_put(&tx, val & 0xffu);
        return;
    case PL011_ECR:
        rsr = 0;
        sim_pl011_ecr_writes++;
        return;
    case PL011_FR:
    case PL011_RIS:
    case 0x40: sim_faults++; return; /* read-only */
    case PL011_ICR: ris_rt_err &= ~val; return;
    case PL011_LCRH:
        if ((regs[off / 4] ^ val) & PL011_LCRH_FEN) { /* the FIFOs flush when FEN changes */
            sim_fifo_clear(&rx);
            sim_fifo_clear(&tx);
        }
        regs[off / 4] = val;
        return;
    default: regs[off / 4] = val; return;
    }
}

/*
 * A simulated UART behind uart_io.h, for the register logic's host tests: a register file in
 * memory with an RX FIFO the test fills and a TX FIFO whose bytes reach a captured "wire" only
 * when the test lets the transmitter run. Status bits follow the FIFOs. sim_pl011.c and
 * sim_imx.c each implement this for one UART; a test program links one of them.
 */
#ifndef SIM_H
#define SIM_H

#include <stdbool.h>
#include <stdint.h>

#define SIM_BASE     0x9000000u /* the register address the config gives; every access must use it */
#define SIM_WIRE_MAX 4096u

void sim_reset(void);            /* power-on state */
void sim_rx_push(uint32_t v);    /* a character arrives: the byte | the UART's error bits */
unsigned sim_rx_level(void);     /* characters in the RX FIFO */
void sim_rx_idle(void);          /* the line stays quiet: PL011 receive timeout, i.MX aging */
unsigned sim_tx_level(void);     /* bytes in the TX FIFO */
void sim_tx_drain(unsigned n);   /* the transmitter sends up to n bytes onto the wire */
bool sim_irq(void);              /* the UART's interrupt line */
uint32_t sim_peek(uint32_t off); /* a register as stored, without a read's side effects */

extern uint8_t sim_wire[SIM_WIRE_MAX];
extern unsigned sim_wire_len;
extern unsigned sim_rx_lost;  /* characters that arrived at a full RX FIFO */
extern unsigned sim_accesses; /* register reads and writes since sim_reset */
/* Accesses no real UART would accept quietly: a wrong base or offset, a data read of an empty
 * FIFO, a write to a full TX FIFO. The tests require 0. */
extern unsigned sim_faults;

#endif

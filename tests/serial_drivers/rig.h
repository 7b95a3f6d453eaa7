/*
 * The test rig: a valid serial_driver_config over two rings in memory and the simulated UART
 * (sim.h), the driver core started on it, and the virtualisers' ends of both rings.
 */
#ifndef RIG_H
#define RIG_H

#include <stdbool.h>
#include <stdint.h>

#include "serial_config.h"
#include "serial_drv.h"
#include "serial_queue.h"

#define RIG_RING_MAX 4096u
#define RIG_IRQ_CH   1u
#define RIG_TX_CH    2u
#define RIG_RX_CH    3u

/* What the generic tests (drv_tests.c) need to know about the UART of this test program. */
struct dev_desc {
    const struct uart_ops *ops;
    uint64_t ref_hz;
    unsigned rx_depth, tx_depth;
    uint32_t framing_bits, parity_bits, break_bits; /* error bits of a received character */
    bool (*rx_irq_enabled)(void);                   /* from the registers as stored */
    bool (*tx_irq_enabled)(void);
};
extern const struct dev_desc dev;

struct rig {
    struct serial_driver_config cfg;
    struct serial_drv drv;
    struct serial_queue_handle tx; /* the TX virtualiser's end: producer */
    struct serial_queue_handle rx; /* the RX virtualiser's end: consumer */
    unsigned act;                  /* what the last rig_start asked for */
};

/* A config the checks accept: 115200 baud from dev.ref_hz, rings of the given sizes. */
void rig_config(struct serial_driver_config *cfg, uint32_t tx_size, uint32_t rx_size);
/* Resets the simulated UART and the rings, starts the core on r->cfg (fill it with rig_config
 * first, then change what the test needs). Fails the test when start refuses. */
void rig_start(struct rig *r);

#endif

/* One FIFO of a simulated UART (sim_pl011.c, sim_imx.c): each entry is a character with the
 * UART's error bits; `depth` entries at most. The callers check fullness and emptiness, as each
 * UART has its own rule for them. */
#ifndef SIM_FIFO_H
#define SIM_FIFO_H

#include <stdint.h>

#include "sim.h"

#define SIM_FIFO_MAX 32u

struct sim_fifo {
    uint32_t v[SIM_FIFO_MAX];
    unsigned depth, head, n;
};

static inline void sim_fifo_clear(struct sim_fifo *f)
{
    f->head = f->n = 0;
}

static inline void sim_fifo_put(struct sim_fifo *f, uint32_t v)
{
    f->v[(f->head + f->n++) % f->depth] = v;
}

/* The entry put last (n > 0). */
static inline uint32_t *sim_fifo_newest(struct sim_fifo *f)
{
    return &f->v[(f->head + f->n - 1) % f->depth];
}

/* The oldest entry, taken out (n > 0). */
static inline uint32_t sim_fifo_get(struct sim_fifo *f)
{
    uint32_t v = f->v[f->head];
    f->head = (f->head + 1) % f->depth;
    f->n--;
    return v;
}

/* The transmitter sends up to n bytes onto the wire (sim.h's sim_tx_drain). */
static inline void sim_fifo_to_wire(struct sim_fifo *f, unsigned n)
{
    while (n-- > 0 && f->n > 0) {
        uint8_t b = (uint8_t)sim_fifo_get(f);
        if (sim_wire_len < SIM_WIRE_MAX)
            sim_wire[sim_wire_len++] = b;
    }
}

#endif

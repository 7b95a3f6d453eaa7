/*
 * The TX virtualiser's logic: moves every source's output (each client's ring, and the kernel's
 * log ring as one more source) onto the driver's TX ring, one line per turn, round-robin, with
 * each client's colour and optional name prefix. No microkit calls: tx_mux_run says whom to
 * notify, and the PD glue (virt_tx.c) does it. docs/serial-virt.md explains the rules.
 *
 * Fairness and whole lines: a turn moves one line of one source (up to and including its '\n'),
 * at most TX_LINE_MAX bytes. The source whose line is still open on the UART (its last byte
 * moved was not '\n') is served first while it has bytes and its line is shorter than
 * TX_LINE_MAX; otherwise the next source in round-robin order that has bytes gets the turn. If
 * another source takes over an open line (its owner had no bytes waiting, or the line reached
 * TX_LINE_MAX), TX ends that line on the UART ("\r\n"), and the owner's next bytes start a line
 * again, with its colour and prefix.
 */
#ifndef SERIAL_VIRT_TX_MUX_H
#define SERIAL_VIRT_TX_MUX_H

#include <stdbool.h>
#include <stdint.h>

#include "frame.h"
#include "serial_config.h"
#include "serial_queue.h"

#define TX_LINE_MAX 256u                     /* longest line never torn by another source */
#define TX_SRC_MAX  (SERIAL_MAX_CLIENTS + 1) /* the clients and the log */
#define TX_NONE     0xffffffffu
#define TX_DECO_MAX 64u /* reset + "\r\n" + colour + "name: ", at most (tx_mux.c checks) */

/* What every byte of output goes through, and what can go wrong with a source. */
struct tx_stats {
    uint64_t bytes;   /* client and log bytes moved to the driver */
    uint64_t lines;   /* turns that ended with '\n' */
    uint64_t breaks;  /* open lines ended by TX because another source took over */
    uint64_t corrupt; /* times a source's ring was found corrupt (it is skipped meanwhile) */
    uint64_t dropped; /* bytes dropped: always 0, TX waits for the driver instead */
    uint64_t blocked; /* times the driver's ring was full and TX waited for it */
    uint64_t frames;  /* framed mode: frames sent (D and L) */
    uint64_t framed;  /* times framed mode was entered */
};

struct tx_src {
    struct serial_queue_handle q;     /* consumer side */
    char prefix[SERIAL_NAME_LEN + 2]; /* "name: ", or empty */
    char name[SERIAL_NAME_LEN];       /* for framed mode's client list */
    const char *sgr;                  /* colour escape, or NULL */
    bool notify;                      /* a client: notify it when it asked; the log: never */
    bool used;                        /* bytes consumed in this run */
    bool corrupt;                     /* its ring was corrupt when last looked at */
};

struct tx_mux {
    struct serial_queue_handle drv; /* producer side */
    struct tx_src src[TX_SRC_MAX];
    uint32_t nsrc;
    uint32_t flags;      /* SERIAL_TX_F_* */
    uint32_t rr;         /* the source the round-robin looks at first */
    uint32_t open;       /* the source whose line is open on the UART, or TX_NONE */
    uint32_t line_len;   /* bytes of the open line moved since it started (or was last cut) */
    uint32_t painted;    /* the source whose colour is set on the UART, or TX_NONE */
    const uint8_t *pend; /* TX's own bytes (banner, decoration) still to go out first */
    uint32_t pend_len;
    uint8_t deco[TX_DECO_MAX]; /* the decoration pend points into */
    uint32_t deco_len;
    struct tx_stats stats;
    /* Framed mode (docs/serial.md): the region RX writes (NULL: framed mode is off), whether it is
     * on, the list requests seen, the next client for the client list (TX_NONE: no list being
     * sent), and the frame pend points into (a 0x00 before the first frame of framed mode). */
    const struct serial_mode_shared *mode;
    bool framed;
    uint32_t list_seen;
    uint32_t list_next;
    uint8_t frame[1 + FRAME_WIRE_MAX];
    /* Called with one line about a source gone bad or well again (NUL-terminated, with '\n'). */
    void (*say)(void *ctx, const char *line);
    void *say_ctx;
};

/* What a run asks the PD to notify. */
struct tx_wake {
    uint32_t clients; /* bit i: client i (source i) asked for space */
    bool driver;      /* the driver asked for data */
};

/* The colour escape of client number i (a fixed palette, repeating after its length). */
const char *tx_palette(uint32_t i);

/* Sets up an empty mux writing to drv. flags: SERIAL_TX_F_COLOUR and SERIAL_TX_F_PREFIX apply. */
void tx_mux_init(struct tx_mux *m, const struct serial_queue_handle *drv, uint32_t flags);

/* Adds the next source (clients first, in their order, then the log). name NULL: no prefix;
 * colour TX_NONE: no colour; notify: false for the log. Returns the source index or TX_NONE. */
uint32_t tx_mux_add(struct tx_mux *m, const struct serial_queue_handle *q, const char *name, uint32_t colour,
                    bool notify);

/* Framed mode's region written by RX (from the configuration); NULL leaves framed mode off. */
void tx_mux_set_mode(struct tx_mux *m, const struct serial_mode_shared *mode);

/* Text TX sends before any source (the banner); buf must stay valid until it is sent. */
void tx_mux_say_first(struct tx_mux *m, const uint8_t *buf, uint32_t len);

/*
 * Moves everything it can. Returns when every source is empty (each with its consumer_signal
 * set, so it notifies when it writes) or the driver's ring is full (its producer_signal set).
 * The caller then notifies whom the result names, and waits for any notification.
 */
struct tx_wake tx_mux_run(struct tx_mux *m);

#endif

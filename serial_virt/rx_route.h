/*
 * The RX virtualiser's logic: consumes the driver's RX ring and delivers the bytes to the one
 * current client's ring, watching for the switch sequence. No microkit calls: rx_route_run says
 * whom to notify and the PD glue (virt_rx.c) does it; messages for the console go through the
 * say callback. docs/serial-virt.md has the keys and the exact messages.
 *
 *   Ctrl-\ (0x1c), decimal digits, Enter (CR or LF)   input goes to that client from then on
 *   Ctrl-\ Ctrl-\                                      one 0x1c to the current client
 *   Ctrl-\ Ctrl-B F R M 1                             framed mode (docs/serial.md), if configured
 *   Ctrl-\ then anything else                          refused with a message; nothing changes
 * The bytes of a switch sequence are commands, never input. A LF right after the CR that ended
 * a sequence is taken as part of that Enter (terminals that send CR LF).
 *
 * Hold-off: when the current client's ring is full, RX stops consuming the driver's ring (the
 * bytes stay there and the driver holds the UART off once its ring fills), sets the client
 * ring's producer_signal and resumes when the client notifies. Nothing is dropped, except, so
 * that one broken client cannot stop all input (both counted and reported): bytes for a client
 * whose ring indices are corrupt, and the bytes a client that does not read holds up when the
 * switch sequence to another client waits twice behind them (the user typed it again).
 */
#ifndef SERIAL_VIRT_RX_ROUTE_H
#define SERIAL_VIRT_RX_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "frame.h"
#include "serial_config.h"
#include "serial_queue.h"

#define RX_SWITCH_KEY 0x1cu /* Ctrl-\ */
#define RX_CHUNK      256u  /* driver bytes looked at per step */
#define RX_MAX_DIGITS 9u    /* a longer number is refused (and cannot overflow) */

enum rx_state { RX_DATA, RX_ESC, RX_NUM, RX_FRM };

#define RX_FRAMED_KEY 0x02u /* Ctrl-B: Ctrl-\ Ctrl-B F R M 1 enters framed mode */

struct rx_stats {
    uint64_t bytes;    /* delivered to clients */
    uint64_t switches; /* switch sequences carried out */
    uint64_t refused;  /* switch sequences refused */
    uint64_t held;     /* times the current client's ring was full and RX waited for it */
    uint64_t dropped;  /* bytes for a client whose ring was corrupt */
    uint64_t corrupt;  /* times a ring (driver's or a client's) was found corrupt */
    uint64_t framed;   /* times framed mode was entered */
    uint64_t sizes;    /* S frames carried out */
    uint64_t lists;    /* L frames (list requests) passed to TX */
};

struct rx_route {
    struct serial_queue_handle drv;                    /* consumer side */
    struct serial_queue_handle cl[SERIAL_MAX_CLIENTS]; /* producer side */
    char names[SERIAL_MAX_CLIENTS][SERIAL_NAME_LEN];
    uint32_t n;   /* clients */
    uint32_t cur; /* the client that gets input */
    enum rx_state state;
    uint32_t num;    /* the number typed so far */
    uint32_t digits; /* how many digits */
    bool swallow_lf; /* the last sequence ended with CR */
    bool drv_corrupt;
    bool cl_corrupt[SERIAL_MAX_CLIENTS];
    uint64_t cl_dropped[SERIAL_MAX_CLIENTS]; /* dropped while that client's ring was corrupt */
    uint32_t written;                        /* clients written in this run (bit mask) */
    struct rx_stats stats;
    /* Framed mode (docs/serial.md): the region shared with TX (NULL: framed mode is off), whether
     * it is on, the bytes of "FRM1" matched so far, the decoder (dec.stats counts frames and
     * discarded frames), and the payload of a D frame not yet delivered (its client was full). */
    struct serial_mode_shared *mode;
    bool framed;
    uint32_t frm;
    struct frame_decoder dec;
    uint8_t pend[FRAME_PAYLOAD_MAX];
    uint32_t pend_len, pend_off, pend_client;
    uint32_t sized;                           /* clients whose terminal size was set in this run (bit mask) */
    bool tell_tx;                             /* the mode region changed in this run */
    void (*say)(void *ctx, const char *line); /* one NUL-terminated line with its '\n' */
    void *say_ctx;
};

struct rx_wake {
    uint32_t clients; /* bit i: client i asked for input */
    bool driver;      /* the driver asked for space */
    bool tx;          /* framed mode: the mode region changed, notify TX */
};

/* An empty router reading drv; input goes to client `initial` once it is added. */
void rx_route_init(struct rx_route *r, const struct serial_queue_handle *drv, uint32_t initial);

/* Framed mode's region shared with TX (from the configuration); NULL leaves framed mode off. */
void rx_route_set_mode(struct rx_route *r, struct serial_mode_shared *mode);

/* Adds the next client (numbered from 0 in order). Returns its number or -1 when full. */
int rx_route_add(struct rx_route *r, const struct serial_queue_handle *q, const char *name);

/*
 * Moves everything it can. Returns when the driver's ring is empty (its consumer_signal set) or
 * the current client's ring is full (its producer_signal set). The caller notifies whom the
 * result names and waits for any notification.
 */
struct rx_wake rx_route_run(struct rx_route *r);

#endif

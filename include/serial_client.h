/*
 * A serial client's side of its two rings (serial_queue.h): output to the TX virtualiser, input
 * from the RX virtualiser, set up from the `serial_client_config` the image tool patched in
 * (serial_config.h). Every function here is for the client PD only: it is the producer of its
 * TX ring and the consumer of its RX ring, and never the other side of either.
 *
 * The library makes no system calls, so it builds for host tests too: it only records which
 * virtualiser asked to be woken (serial_client_tx_notify_due / serial_client_rx_notify_due), and
 * the client notifies that channel once when it goes back to its event loop (with
 * microkit_deferred_notify, for example). A virtualiser is notified only when its flag in the
 * ring asks for it, never per write.
 *
 * Event-driven use:
 *   init:      serial_client_init; then serial_client_read until it returns 0 (which asks the RX
 *              virtualiser for a notification when input arrives).
 *   output:    serial_client_write_all for a whole line, or serial_client_write for a stream;
 *              when either leaves bytes unwritten, the ring has no room and the TX virtualiser
 *              will notify on cfg.tx.channel once it has drained some: keep the rest and
 *              return to the event loop.
 *   input:     on a notification on cfg.rx.channel, serial_client_read until it returns 0.
 *   each event ends with the notifications the two *_notify_due calls ask for.
 */
#ifndef SERIAL_CLIENT_H
#define SERIAL_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "serial_config.h"
#include "serial_queue.h"
#include "sys_limits.h"

/* Addresses in the configuration are 64-bit; so are the PDs' and the host tests' pointers. */
_Static_assert(sizeof(uintptr_t) == sizeof(uint64_t) && sizeof(size_t) == sizeof(uint64_t), "64-bit only");

struct serial_client {
    struct serial_queue_handle tx; /* producer */
    struct serial_queue_handle rx; /* consumer */
    uint32_t tx_channel;           /* to the TX virtualiser */
    uint32_t rx_channel;           /* to the RX virtualiser */
    uint32_t index;                /* the client's number in its <serial> element */
    bool tx_notify;                /* the TX virtualiser asked to be woken: data was published */
    bool rx_notify;                /* the RX virtualiser asked to be woken: space was freed */
    bool tx_blocked;               /* the last write found the ring full and set producer_signal */
    char name[SERIAL_NAME_LEN];
};

/* Client. Checks one ring reference; returns NULL or what is wrong with it. */
static inline const char *serial_client_ref_check(struct serial_queue_handle *h,
                                                  const struct serial_queue_ref *r)
{
    if (r->vaddr == 0 || r->region_size > UINT64_MAX - r->vaddr)
        return "ring region address out of range";
    if (r->channel >= SYS_MAX_CHANNELS)
        return "ring channel out of range";
    if (serial_queue_init(h, (void *)(uintptr_t)r->vaddr, (size_t)r->region_size, r->size) != 0)
        return "ring size is not a power of two that fits its region";
    return NULL;
}

/*
 * Client, once at init. Fills *c from the patched configuration. Returns NULL, or a message
 * naming what is wrong (magic, version, a ring, the name), in which case *c must not be used.
 * The configuration is the image tool's, but it is checked like any input from outside.
 */
static inline const char *serial_client_init(struct serial_client *c, const struct serial_client_config *cfg)
{
    const char *err;
    __builtin_memset(c, 0, sizeof(*c));
    if (cfg->magic != SERIAL_CLIENT_MAGIC)
        return "bad magic (no <serial> element names this PD as a client?)";
    if (cfg->version != SERIAL_CONFIG_VERSION)
        return "configuration version mismatch";
    if (cfg->index >= SERIAL_MAX_CLIENTS)
        return "client index out of range";
    if (__builtin_memchr(cfg->name, 0, SERIAL_NAME_LEN) == NULL)
        return "name not terminated";
    err = serial_client_ref_check(&c->tx, &cfg->tx);
    if (err == NULL)
        err = serial_client_ref_check(&c->rx, &cfg->rx);
    if (err != NULL)
        return err;
    /* Both end no later than UINT64_MAX (checked above), so these sums do not wrap. */
    if (cfg->tx.vaddr < cfg->rx.vaddr + cfg->rx.region_size &&
        cfg->rx.vaddr < cfg->tx.vaddr + cfg->tx.region_size)
        return "TX and RX ring regions overlap";
    if (cfg->tx.channel == cfg->rx.channel)
        return "TX and RX rings on the same channel";
    c->tx_channel = cfg->tx.channel;
    c->rx_channel = cfg->rx.channel;
    c->index = cfg->index;
    __builtin_memcpy(c->name, cfg->name, SERIAL_NAME_LEN);
    return NULL;
}

/*
 * Client (TX producer). Copies as much of buf as the ring takes and publishes it; returns the
 * bytes taken. Fewer than len means the ring is full: producer_signal is then set and the TX
 * virtualiser notifies on tx_channel when it has freed space (serial_client_tx_blocked says so
 * until the next write). A corrupt ring takes nothing and counts as full.
 */
static inline uint32_t serial_client_write(struct serial_client *c, const void *buf, uint32_t len)
{
    const uint8_t *p = (const uint8_t *)buf;
    uint32_t done = 0;
    c->tx_blocked = false;
    while (done < len) {
        uint32_t n = serial_queue_write(&c->tx, p + done, len - done);
        done += n;
        if (n > 0 && serial_queue_producer_must_notify(&c->tx))
            c->tx_notify = true;
        if (done < len && serial_queue_producer_block(&c->tx)) {
            c->tx_blocked = true;
            break;
        }
    }
    return done;
}

/*
 * Client (TX producer). Writes all len bytes or none: a whole line, so that the TX virtualiser
 * never finds half of it in the ring and gives the console to another source in its middle
 * (it does when the owner of an open line has nothing more waiting, see serial_virt/tx_mux.h).
 * Returns true when written. False when there is not room for all of it now: producer_signal
 * is then set and the TX virtualiser notifies on tx_channel as it frees space (try again then;
 * serial_client_tx_blocked says so), or when len is more than the ring holds, which can never
 * succeed (serial_client_tx_blocked is false then: use serial_client_write).
 */
static inline bool serial_client_write_all(struct serial_client *c, const void *buf, uint32_t len)
{
    c->tx_blocked = false;
    if (len > c->tx.size)
        return false;
    for (;;) {
        if (serial_queue_space(&c->tx) >= len) {
            if (serial_queue_write(&c->tx, buf, len) != len)
                return false; /* cannot happen: the space was there and only we produce */
            if (len > 0 && serial_queue_producer_must_notify(&c->tx))
                c->tx_notify = true;
            return true;
        }
        /* Ask to be woken as space frees, then look again: it may have freed in between. */
        (void)serial_queue_producer_block(&c->tx);
        if (serial_queue_space(&c->tx) < len) {
            c->tx_blocked = true;
            return false;
        }
    }
}

/* Client (TX producer). True when the last write stopped at a full ring: wait for tx_channel. */
static inline bool serial_client_tx_blocked(const struct serial_client *c)
{
    return c->tx_blocked;
}

/* Client (TX producer). Bytes the TX ring holds when empty: the longest serial_client_write_all. */
static inline uint32_t serial_client_tx_capacity(const struct serial_client *c)
{
    return c->tx.size;
}

/* Client (TX producer). Bytes the TX ring can take now. */
static inline uint32_t serial_client_tx_space(const struct serial_client *c)
{
    return serial_queue_space(&c->tx);
}

/*
 * Client (RX consumer). Copies up to len bytes of input into buf and frees them; returns how
 * many. 0 means no input is waiting (or len was 0): consumer_signal is then set, so the RX
 * virtualiser notifies on rx_channel when input arrives. A corrupt ring reads as empty.
 */
static inline uint32_t serial_client_read(struct serial_client *c, void *buf, uint32_t len)
{
    if (len == 0)
        return 0;
    for (;;) {
        uint32_t n = serial_queue_read(&c->rx, buf, len);
        if (n > 0) {
            if (serial_queue_consumer_must_notify(&c->rx))
                c->rx_notify = true;
            return n;
        }
        if (serial_queue_consumer_block(&c->rx))
            return 0;
    }
}

/* Client, at the end of an event. True (once) when the TX virtualiser is to be notified. */
static inline bool serial_client_tx_notify_due(struct serial_client *c)
{
    bool due = c->tx_notify;
    c->tx_notify = false;
    return due;
}

/* Client, at the end of an event. True (once) when the RX virtualiser is to be notified. */
static inline bool serial_client_rx_notify_due(struct serial_client *c)
{
    bool due = c->rx_notify;
    c->rx_notify = false;
    return due;
}

#endif /* SERIAL_CLIENT_H */

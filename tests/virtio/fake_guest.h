/*
 * A fake guest driver for the virtIO tests: guest RAM in a heap block between two guard areas,
 * a console device on it with a serial client whose rings the test also drives from the
 * virtualisers' side, and helpers that write registers, rings and descriptors as a driver does.
 */
#ifndef FAKE_GUEST_H
#define FAKE_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "virtio_console.h"

#define FG_RAM_IPA  0x40000000ull
#define FG_RAM_SIZE 0x100000ull               /* 1 MiB */
#define FG_GUARD    0x10000ull                /* before and after RAM, must stay 0xa5 */
#define FG_BUF_IPA  (FG_RAM_IPA + 0x80000ull) /* where tests put buffers */
#define FG_LOG_MAX  16

struct fake_guest {
    uint8_t *block; /* guard, RAM, guard */
    uint8_t *ram;
    struct virtio_console con;
    struct serial_client client;
    uint8_t *tx_region, *rx_region;
    struct serial_queue_handle txv; /* the TX virtualiser's view: consumer */
    struct serial_queue_handle rxv; /* the RX virtualiser's view: producer */
    unsigned irqs;
    unsigned log_lines;
    char log[FG_LOG_MAX][256];
    uint16_t num[VIRTIO_MAX_QUEUES];       /* queue sizes set up */
    uint16_t avail_idx[VIRTIO_MAX_QUEUES]; /* the driver's next available index */
    /* multiport (fg_init_ports): port 0 is client/txv/rxv above, port i >= 1 these */
    unsigned nr_ports;
    struct serial_client pclient[VIRTIO_CONSOLE_MAX_PORTS];
    uint8_t *ptx_region[VIRTIO_CONSOLE_MAX_PORTS], *prx_region[VIRTIO_CONSOLE_MAX_PORTS];
    struct serial_queue_handle ptxv[VIRTIO_CONSOLE_MAX_PORTS], prxv[VIRTIO_CONSOLE_MAX_PORTS];
};

/* A console on fresh RAM with serial rings of tx_size and rx_size bytes; 0 on success. */
int fg_init(struct fake_guest *g, uint32_t tx_size, uint32_t rx_size);
/* A multiport console of nr_ports ports (names "port0", "port1", ...; port 1 a console port
 * when console1), each on its own serial client with rings of ring bytes; 0 on success. */
int fg_init_ports(struct fake_guest *g, unsigned nr_ports, uint32_t ring, bool console1);
void fg_free(struct fake_guest *g);
/* True when both guard areas are untouched. */
bool fg_guards_ok(const struct fake_guest *g);

uint32_t fg_read(struct fake_guest *g, uint64_t off);
void fg_write(struct fake_guest *g, uint64_t off, uint32_t v);
uint64_t fg_access(struct fake_guest *g, uint64_t off, bool write, unsigned size, uint64_t v);

/* Driver steps: reset, ACKNOWLEDGE | DRIVER, features; returns Status after FEATURES_OK. */
uint32_t fg_negotiate(struct fake_guest *g, uint64_t features);
/* Queue q with num entries at its standard place (desc, avail, used); QueueReady = 1. */
void fg_queue(struct fake_guest *g, unsigned q, uint16_t num);
/* The same with chosen guest addresses. */
void fg_queue_at(struct fake_guest *g, unsigned q, uint16_t num, uint64_t desc, uint64_t avail,
                 uint64_t used);
void fg_driver_ok(struct fake_guest *g);
/* negotiate VERSION_1 | INDIRECT | console features, both queues of num, DRIVER_OK. */
void fg_bring_up(struct fake_guest *g, uint16_t num);

/* Guest memory by guest address (the test may write anywhere in RAM). */
uint8_t *fg_mem(struct fake_guest *g, uint64_t ipa);
uint64_t fg_desc_ipa(unsigned q);
uint64_t fg_avail_ipa(unsigned q);
uint64_t fg_used_ipa(unsigned q);
void fg_desc(struct fake_guest *g, unsigned q, uint16_t i, uint64_t addr, uint32_t len, uint16_t flags,
             uint16_t next);
/* Puts head into the available ring and publishes it (no notification). */
void fg_avail(struct fake_guest *g, unsigned q, uint16_t head);
void fg_kick(struct fake_guest *g, unsigned q);
uint16_t fg_used_idx(struct fake_guest *g, unsigned q);
void fg_used_elem(struct fake_guest *g, unsigned q, uint16_t i, uint32_t *id, uint32_t *len);

/* The TX virtualiser takes up to len bytes of output; returns how many. */
uint32_t fg_tx_drain(struct fake_guest *g, void *buf, uint32_t len);
/* The RX virtualiser puts bytes into the client's RX ring; returns how many fitted. */
uint32_t fg_rx_put(struct fake_guest *g, const void *buf, uint32_t len);
/* The same for port p's serial client (port 0: the ones above). */
uint32_t fg_port_tx_drain(struct fake_guest *g, unsigned p, void *buf, uint32_t len);
uint32_t fg_port_rx_put(struct fake_guest *g, unsigned p, const void *buf, uint32_t len);
/* Fault lines logged that contain needle. */
unsigned fg_log_count(const struct fake_guest *g, const char *needle);

#endif

/*
 * Configuration of the serial subsystem's PDs: the contract between the image tool (which fills
 * these from a <serial> element and patches each into its PD's program at the symbol named
 * below) and the driver, the two virtualisers and their clients (which check magic and version
 * at init and learn nothing about the system any other way). The queue protocol itself is in
 * serial_queue.h; docs/serial.md draws the picture.
 *
 * Every address is in the PD's own address space. Every struct has fixed-size, naturally
 * aligned fields, so the host tool (x86_64) and the PDs (aarch64) lay it out the same.
 */
#ifndef SERIAL_CONFIG_H
#define SERIAL_CONFIG_H

#include <stdint.h>

#define SERIAL_CONFIG_VERSION 2u /* 2: the mode region of framed mode in TX and RX */

#define SERIAL_DRIVER_MAGIC 0x56524453u /* "SDRV" */
#define SERIAL_TX_MAGIC     0x58545653u /* "SVTX" */
#define SERIAL_RX_MAGIC     0x58525653u /* "SVRX" */
#define SERIAL_CLIENT_MAGIC 0x4c435653u /* "SVCL" */

/* Limits the image tool enforces and the PDs rely on. */
#define SERIAL_MAX_CLIENTS 16u /* clients of one <serial> (the kernel's log is one more, in TX) */
#define SERIAL_NAME_LEN    32u /* a client's name, NUL included */

/* One end of one ring (serial_queue.h) as this PD sees it. */
struct serial_queue_ref {
    uint64_t vaddr;       /* start of the shared region (control block at offset 0) */
    uint64_t region_size; /* bytes mapped at vaddr */
    uint32_t size;    /* data area bytes: a power of two, SERIAL_QUEUE_DATA_OFFSET + size <= region_size */
    uint32_t channel; /* this PD's channel id to the PD at the other end of the ring */
};

/*
 * Framed mode (docs/serial.md): the small region TX and RX share, and the channel between them.
 * RX is the only writer: it sets `framed` when the host sent the entry sequence and clears it on
 * a Q frame, and counts the host's list requests in `list_req`; it notifies TX after each change.
 * TX only reads it. vaddr 0: no such region, framed mode is off (the entry sequence is refused).
 */
struct serial_mode_ref {
    uint64_t vaddr;
    uint64_t region_size; /* at least sizeof(struct serial_mode_shared) */
    uint32_t channel;     /* this PD's channel id to the other virtualiser */
    uint32_t reserved;    /* 0 */
};

struct serial_mode_shared {
    uint32_t framed;   /* 1: framed mode, 0: plain */
    uint32_t list_req; /* client lists the host asked for (free-running) */
};

/* ---- driver: symbol `serial_driver_config` ---- */

/* serial_driver_config.flags */
#define SERIAL_DRV_F_NO_RX (1u << 0) /* no RX virtualiser: the receiver stays off */

struct serial_driver_config {
    uint32_t magic;      /* SERIAL_DRIVER_MAGIC */
    uint32_t version;    /* SERIAL_CONFIG_VERSION */
    uint64_t regs_vaddr; /* the UART's registers, mapped uncached */
    uint64_t regs_size;
    uint64_t ref_clock_hz;      /* the UART's reference clock, from the device tree (docs/serial.md) */
    uint32_t baud;              /* framing is always 8N1 */
    uint32_t irq_channel;       /* channel id on which the UART's interrupt arrives */
    struct serial_queue_ref tx; /* consumer: bytes from the TX virtualiser to send */
    struct serial_queue_ref rx; /* producer: bytes received, for the RX virtualiser */
    uint32_t flags;             /* SERIAL_DRV_F_* */
    uint32_t reserved;          /* 0 */
};

/* ---- TX virtualiser: symbol `serial_tx_config` ---- */

/* serial_tx_config.flags */
#define SERIAL_TX_F_COLOUR (1u << 0) /* each client's output in its own ANSI colour */
#define SERIAL_TX_F_PREFIX (1u << 1) /* "name: " at the start of each line of a client */
#define SERIAL_TX_F_BANNER (1u << 2) /* at start, a banner naming the clients and the switch keys */

struct serial_tx_config {
    uint32_t magic;                 /* SERIAL_TX_MAGIC */
    uint32_t version;               /* SERIAL_CONFIG_VERSION */
    uint32_t flags;                 /* SERIAL_TX_F_* */
    uint32_t num_clients;           /* entries used in clients[] and names[] */
    struct serial_queue_ref driver; /* producer: into the driver's TX ring */
    /* The kernel's log ring (sysimg.h: the kernel and every PD's debug output), consumed like one
     * more client; channel is the id on which the kernel signals new lines. size 0: none. */
    struct serial_queue_ref log;
    struct serial_queue_ref clients[SERIAL_MAX_CLIENTS]; /* consumer: each client's output */
    char names[SERIAL_MAX_CLIENTS][SERIAL_NAME_LEN];     /* NUL-terminated */
    struct serial_mode_ref mode;                         /* reads: framed mode's shared state */
};

/* ---- RX virtualiser: symbol `serial_rx_config` ---- */

struct serial_rx_config {
    uint32_t magic;   /* SERIAL_RX_MAGIC */
    uint32_t version; /* SERIAL_CONFIG_VERSION */
    uint32_t num_clients;
    uint32_t initial_client;                             /* index that has input at start */
    struct serial_queue_ref driver;                      /* consumer: the driver's RX ring */
    struct serial_queue_ref clients[SERIAL_MAX_CLIENTS]; /* producer: each client's input */
    char names[SERIAL_MAX_CLIENTS][SERIAL_NAME_LEN];
    struct serial_mode_ref mode; /* writes: framed mode's shared state */
};

/* ---- a client: symbol `serial_client_config` ---- */

struct serial_client_config {
    uint32_t magic;   /* SERIAL_CLIENT_MAGIC */
    uint32_t version; /* SERIAL_CONFIG_VERSION */
    uint32_t index;   /* its number in the <serial> element (what Ctrl-\ <n> Enter selects) */
    uint32_t reserved;
    char name[SERIAL_NAME_LEN];
    struct serial_queue_ref tx; /* producer: output, to the TX virtualiser */
    struct serial_queue_ref rx; /* consumer: input, from the RX virtualiser */
};

#endif

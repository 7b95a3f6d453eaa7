/*
 * libFuzzer target for the virtIO library (virtio/): the virtio-mmio transport and the console
 * device, driven by a guest that does anything: register reads and writes of any offset, width
 * and value, writes into its RAM (descriptors, rings, indirect tables, data), available-ring
 * updates, and a well-behaved bring-up now and then; the serial virtualisers drain the TX ring
 * and fill the RX ring in between. Guest RAM and both serial rings are exact-size heap blocks,
 * so ASan catches any access outside them. Checked too: a read returns no bits beyond its
 * width, irq is only called with InterruptStatus set, every line is one line, at most one fault
 * is reported per reset, and a broken device shows DEVICE_NEEDS_RESET.
 *
 * Input: one byte of ring sizes (TX 2 << (b & 7), RX 2 << (b >> 4 & 7); bit 3: a multiport device of
 * 2 ports, 3 with bit 7 too (and RESIZE rows first), each port on its own serial client with rings of these sizes), then
 * up to 2000 actions,
 * each an opcode byte (bit 7 a variant, (op & 0x7f) % 9 the action) and its fields, little-endian
 * (fuzz_bytes.h: past the end every field reads 0):
 *   0 write, 1 read   sel: bit 7 set: a u16 offset follows (mod 0x200), else offset (sel & 0x7f) * 4;
 *                     width {4,4,1,2,8,4,4,4}[sel >> 2 & 7]; then a u32 value
 *   2 RAM write       u16 offset, u8 n, n bytes
 *   3 descriptor      u8 queue (mod the device's queues), u8 index, address (u8 kind: 0 u64, 1 u8 back from RAM's end,
 *                     else u16 into RAM), u8 (bit 0: u32 length follows, else u8), u8 flags,
 *                     u8 next; variant: a u16 RAM offset follows and it goes there instead
 *   4 available       u8 queue (mod the device's queues), u8 head; variant: no QueueNotify
 *   5 TX drain        multiport: u8 port (mod ports) first; u8 bytes; notifies the device when the
 *                     producer asked
 *   6 RX input        multiport: u8 port (mod ports) first; u8 n (mod 64), n bytes, then rx_ready
 *   7 bring-up        u8: bits 0-3 log2 queue size (mod 9), bit 4 INDIRECT_DESC and console features,
 *                     bit 5 MULTIPORT (refused by a single-port device); every queue set up
 *   8                 tx_space and rx_ready with nothing new; variant: u8 port (mod 4, so one may
 *                     be out of range), u16 cols, u16 rows: virtio_console_port_set_size
 * Multiport control messages are RAM writes, descriptors and available entries on queue 3 (and
 * receive buffers on queue 2), as tests/virtio/make_fuzz_seeds.py's multiport seeds show.
 * tests/virtio/make_fuzz_seeds.py writes the seeds in tests/fuzz/corpus/virtio/.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_bytes.h"
#include "virtio_console.h"

#define RAM_IPA     0x40000000ull
#define RAM_SIZE    0x30000ull /* queues 2 to 7 above 0x10000, out of the way of u16 data offsets */
#define MAX_ACTIONS 2000

struct fuzz_state {
    struct virtio_console con;
    uint8_t *ram;
    bool fault_reported; /* since the last reset */
    uint16_t avail_idx[VIRTIO_MAX_QUEUES];
    uint16_t num[VIRTIO_MAX_QUEUES];
    unsigned nq, nports; /* the device's queues and ports */
};

/* The serial virtualisers' side of each port's rings. */
struct ports {
    struct serial_client client[VIRTIO_CONSOLE_MAX_PORTS];
    struct serial_queue_handle txv[VIRTIO_CONSOLE_MAX_PORTS], rxv[VIRTIO_CONSOLE_MAX_PORTS];
    uint8_t *txr[VIRTIO_CONSOLE_MAX_PORTS], *rxr[VIRTIO_CONSOLE_MAX_PORTS];
};

static void on_irq(void *ctx)
{
    struct fuzz_state *s = ctx;
    if (s->con.mmio.isr == 0)
        abort(); /* raised a line with no reason */
}

static void on_log(void *ctx, const char *line)
{
    struct fuzz_state *s = ctx;
    size_t n = strlen(line);
    static const char fault[] = ": device needs reset";
    if (n == 0 || strchr(line, '\n') != NULL)
        abort();
    if (n >= sizeof(fault) - 1 && strcmp(line + n - (sizeof(fault) - 1), fault) == 0) {
        if (s->fault_reported)
            abort(); /* a second fault line before reset */
        s->fault_reported = true;
    }
}

static uint8_t *ring_region(uint32_t size)
{
    uint8_t *p = malloc(SERIAL_QUEUE_DATA_OFFSET + size);
    if (p == NULL)
        abort();
    memset(p, 0, SERIAL_QUEUE_DATA_OFFSET + size);
    return p;
}

static uint64_t desc_ipa(unsigned q)
{
    /* 0x3000 each: descriptors, available ring at +0x1000, used ring at +0x2000 */
    return q < 2 ? RAM_IPA + 0x1000 + 0x3000ull * q : RAM_IPA + 0x10000 + 0x3000ull * (q - 2);
}

static void mmio(struct fuzz_state *s, uint64_t off, bool write, unsigned size, uint64_t *v)
{
    if (write && off == VIRTIO_MMIO_STATUS && size == 4 && (uint32_t)*v == 0)
        s->fault_reported = false; /* a reset: a new fault may be reported */
    virtio_console_mmio(&s->con, off, write, size, v);
    if (!write && size < 8 && (*v >> (8 * size)) != 0)
        abort();
    if (s->con.mmio.broken && !(s->con.mmio.status & VIRTIO_STATUS_DEVICE_NEEDS_RESET))
        abort();
}

static void w32(struct fuzz_state *s, uint64_t off, uint32_t v)
{
    uint64_t x = v;
    mmio(s, off, true, 4, &x);
}

/* What a correct driver does: reset, negotiate, both queues at their usual place, DRIVER_OK. */
static void bring_up(struct fuzz_state *s, struct fuzz_bytes *b)
{
    uint8_t f = fb_u8(b);
    uint16_t num = (uint16_t)(1u << ((f & 0x0f) % 9));
    w32(s, VIRTIO_MMIO_STATUS, 0);
    w32(s, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    w32(s, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    w32(s, VIRTIO_MMIO_DRIVER_FEATURES,
        ((f & 0x10) ? (1u << VIRTIO_RING_F_INDIRECT_DESC) | 5u : 1u) | ((f & 0x20) ? 2u : 0u));
    w32(s, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    w32(s, VIRTIO_MMIO_DRIVER_FEATURES, 1);
    w32(s, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    for (unsigned q = 0; q < s->nq; q++) {
        uint64_t d = desc_ipa(q);
        memset(s->ram + (d - RAM_IPA), 0, 0x3000);
        w32(s, VIRTIO_MMIO_QUEUE_SEL, q);
        w32(s, VIRTIO_MMIO_QUEUE_NUM, num);
        w32(s, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)d);
        w32(s, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)(d + 0x1000));
        w32(s, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)(d + 0x2000));
        w32(s, VIRTIO_MMIO_QUEUE_READY, 1);
        s->num[q] = num;
        s->avail_idx[q] = 0;
    }
    w32(s, VIRTIO_MMIO_STATUS,
        VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
            VIRTIO_STATUS_DRIVER_OK);
}

/* A guest address: mostly inside RAM, sometimes near its ends, sometimes anything. */
static uint64_t guest_addr(struct fuzz_bytes *b)
{
    uint8_t k = fb_u8(b);
    switch (k & 3) {
    case 0: return fb_u64(b);
    case 1: return RAM_IPA + RAM_SIZE - (fb_u8(b) & 0x3f);
    default: return RAM_IPA + (fb_u16(b) % RAM_SIZE);
    }
}

static void action(struct fuzz_state *s, struct fuzz_bytes *b, struct ports *pt)
{
    static const unsigned sizes[] = { 4, 4, 1, 2, 8, 4, 4, 4 };
    uint8_t op = fb_u8(b); /* bit 7 varies an action, the rest chooses it */
    uint8_t kind = (uint8_t)((op & 0x7f) % 9);
    uint8_t buf[256];
    switch (kind) {
    case 0:
    case 1: { /* register or config access */
        uint8_t sel = fb_u8(b);
        uint64_t off = (sel & 0x80) ? fb_u16(b) % VIRTIO_MMIO_WINDOW : (uint64_t)(sel & 0x7f) * 4;
        uint64_t v = fb_u32(b);
        mmio(s, off, kind == 0, sizes[(sel >> 2) & 7], &v);
        break;
    }
    case 2: { /* guest writes its RAM */
        uint32_t at = fb_u16(b) % RAM_SIZE;
        uint32_t n = fb_u8(b);
        if (n > RAM_SIZE - at)
            n = (uint32_t)(RAM_SIZE - at);
        for (uint32_t i = 0; i < n; i++)
            s->ram[at + i] = fb_u8(b);
        break;
    }
    case 3: { /* a descriptor in the usual table, or in an "indirect table" anywhere in RAM */
        uint8_t q = (uint8_t)(fb_u8(b) % s->nq);
        uint16_t i = fb_u8(b);
        struct virtq_desc d;
        d.addr = guest_addr(b);
        d.len = (fb_u8(b) & 1) ? fb_u32(b) : fb_u8(b);
        d.flags = fb_u8(b) & 7;
        d.next = fb_u8(b);
        uint64_t at = (op & 0x80) ? fb_u16(b) % (RAM_SIZE - 16) : desc_ipa(q) - RAM_IPA + 16u * (i % 256);
        memcpy(s->ram + at, &d, sizeof(d));
        break;
    }
    case 4: { /* make a chain available, and maybe notify */
        uint8_t q = (uint8_t)(fb_u8(b) % s->nq);
        uint16_t head = fb_u8(b);
        uint8_t *avail = s->ram + (desc_ipa(q) + 0x1000 - RAM_IPA);
        uint16_t slot = s->avail_idx[q] & (uint16_t)((s->num[q] ? s->num[q] : 1) - 1);
        memcpy(avail + VIRTQ_AVAIL_RING(slot), &head, 2);
        s->avail_idx[q]++;
        memcpy(avail + VIRTQ_AVAIL_IDX, &s->avail_idx[q], 2);
        if (!(op & 0x80))
            w32(s, VIRTIO_MMIO_QUEUE_NOTIFY, q);
        break;
    }
    case 5: { /* a TX virtualiser drains */
        unsigned port = s->nports > 1 ? fb_u8(b) % s->nports : 0;
        (void)serial_queue_read(&pt->txv[port], buf, fb_u8(b));
        if (serial_queue_consumer_must_notify(&pt->txv[port])) {
            if (s->nports > 1)
                virtio_console_port_tx_space(&s->con, port);
            else
                virtio_console_tx_space(&s->con);
        }
        break;
    }
    case 6: { /* an RX virtualiser delivers input */
        unsigned port = s->nports > 1 ? fb_u8(b) % s->nports : 0;
        uint32_t n = fb_u8(b) % 64;
        for (uint32_t i = 0; i < n; i++)
            buf[i] = fb_u8(b);
        (void)serial_queue_write(&pt->rxv[port], buf, n);
        if (s->nports > 1)
            virtio_console_port_rx_ready(&s->con, port);
        else
            virtio_console_rx_ready(&s->con);
        break;
    }
    case 7: bring_up(s, b); break;
    default:
        if (op & 0x80) { /* the terminal of a port changed size */
            unsigned port = fb_u8(b) % 4;
            uint16_t cols = fb_u16(b), rows = fb_u16(b);
            if (virtio_console_port_set_size(&s->con, port, cols, rows) != (port < s->nports))
                abort();
            break;
        }
        /* the VMM is notified for no reason */
        virtio_console_tx_space(&s->con);
        virtio_console_rx_ready(&s->con);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_bytes b = { data, size };
    static struct fuzz_state s;
    static struct ports pt;
    uint8_t sizes = fb_u8(&b);
    uint32_t tx_size = 2u << (sizes & 7), rx_size = 2u << ((sizes >> 4) & 7);
    unsigned nports = (sizes & 0x08) ? ((sizes & 0x80) ? 3u : 2u) : 1u;
    void *ram = NULL;

    memset(&s, 0, sizeof(s));
    memset(&pt, 0, sizeof(pt));
    if (posix_memalign(&ram, 4096, RAM_SIZE) != 0)
        abort();
    s.ram = ram;
    memset(s.ram, 0, RAM_SIZE);

    struct virtio_console_port ports[VIRTIO_CONSOLE_MAX_PORTS] = { 0 };
    static const char *const names[] = { "p0", "a-port-name-of-31-characters-xy", "" };
    for (unsigned i = 0; i < nports; i++) {
        struct serial_client_config cfg = { 0 };
        pt.txr[i] = ring_region(tx_size);
        pt.rxr[i] = ring_region(rx_size);
        cfg.magic = SERIAL_CLIENT_MAGIC;
        cfg.version = SERIAL_CONFIG_VERSION;
        cfg.name[0] = (char)('g' + i);
        cfg.tx = (struct serial_queue_ref){ (uint64_t)(uintptr_t)pt.txr[i],
                                            SERIAL_QUEUE_DATA_OFFSET + tx_size, tx_size, 1 };
        cfg.rx = (struct serial_queue_ref){ (uint64_t)(uintptr_t)pt.rxr[i],
                                            SERIAL_QUEUE_DATA_OFFSET + rx_size, rx_size, 2 };
        if (serial_client_init(&pt.client[i], &cfg) != NULL ||
            serial_queue_init(&pt.txv[i], pt.txr[i], SERIAL_QUEUE_DATA_OFFSET + tx_size, tx_size) != 0 ||
            serial_queue_init(&pt.rxv[i], pt.rxr[i], SERIAL_QUEUE_DATA_OFFSET + rx_size, rx_size) != 0)
            abort();
        ports[i] = (struct virtio_console_port){ &pt.client[i], names[i], i == 1, 0, 0 };
    }
    struct virtio_console_params p = { 0 };
    p.mem = (struct guest_mem){ RAM_IPA, RAM_SIZE, s.ram };
    if (nports == 1) {
        p.serial = &pt.client[0];
    } else {
        p.ports = ports;
        p.nr_ports = nports;
        p.resize_rows_first = nports == 3; /* the older Linux order, on the 3-port devices */
    }
    p.irq = on_irq;
    p.irq_ctx = &s;
    p.log = on_log;
    p.log_ctx = &s;
    if (virtio_console_init(&s.con, &p) != NULL)
        abort();
    s.nports = nports;
    s.nq = nports == 1 ? 2u : 2u + 2u * nports;

    for (unsigned i = 0; i < MAX_ACTIONS && b.left > 0; i++)
        action(&s, &b, &pt);

    free(ram);
    for (unsigned i = 0; i < nports; i++) {
        free(pt.txr[i]);
        free(pt.rxr[i]);
    }
    return 0;
}

/*
 * libFuzzer target for the serial virtualisers' logic (serial_virt/): the TX mux and the RX
 * router run between arbitrary client, log and driver actions and hostile writes of any ring's
 * indices and flags. The input: a configuration (clients, ring sizes, TX flags), then actions
 * (docs/fuzzing.md). Every ring is an exact-size heap block, so ASan catches any access outside
 * a data area; beyond that TX must never drop, RX's current client must stay in range, and while
 * no index was forged TX's output must be the clients' bytes plus the line ends it added.
 * Framed mode (docs/serial.md): ops from 0xf0 put framed mode's entry sequence or a valid frame of
 * any type, client and payload into the driver's RX ring (the fuzzer alone would rarely match a
 * CRC); RX's and TX's idea of the mode must follow the mode region they share, and TX still never
 * drops.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "fuzz_bytes.h"
#include "rx_setup.h"
#include "tx_setup.h"

#define MAXC 4

struct ring {
    uint8_t *mem;
    uint32_t size;
    struct serial_queue_handle prod, cons;
};

static void ring_new(struct ring *r, uint32_t size)
{
    void *mem = NULL;
    if (posix_memalign(&mem, 64, SERIAL_QUEUE_DATA_OFFSET + size) != 0)
        abort();
    memset(mem, 0, SERIAL_QUEUE_DATA_OFFSET + size);
    r->mem = mem;
    r->size = size;
    if (serial_queue_init(&r->prod, mem, SERIAL_QUEUE_DATA_OFFSET + size, size) != 0 ||
        serial_queue_init(&r->cons, mem, SERIAL_QUEUE_DATA_OFFSET + size, size) != 0)
        abort();
}

static struct serial_queue_ref ref(const struct ring *r, uint32_t ch)
{
    struct serial_queue_ref q = { (uint64_t)(uintptr_t)r->mem, SERIAL_QUEUE_DATA_OFFSET + r->size, r->size,
                                  ch };
    return q;
}

static void quiet(void *ctx, const char *line)
{
    (void)ctx;
    if (line[0] == '\0' || line[strlen(line) - 1] != '\n')
        abort(); /* every message is one whole line */
}

/* Up to n input bytes into q (the producer side), as a client or the driver writes them. */
static void produce(struct fuzz_bytes *b, struct serial_queue_handle *q, uint32_t n)
{
    uint8_t buf[256];
    uint32_t k = n < b->left ? n : (uint32_t)b->left;
    if (k > sizeof(buf))
        k = sizeof(buf);
    for (uint32_t i = 0; i < k; i++)
        buf[i] = fb_u8(b);
    if (serial_queue_write(q, buf, k) < k)
        (void)serial_queue_producer_block(q);
}

/* A valid frame from the "host" into the driver's RX ring, built from the input. */
static void host_frame(struct fuzz_bytes *b, struct serial_queue_handle *q, uint32_t arg, uint32_t n)
{
    static const uint8_t types[] = { FRAME_D, FRAME_S, FRAME_L, FRAME_Q, 'X' };
    uint8_t p[FRAME_PAYLOAD_MAX], w[FRAME_WIRE_MAX];
    uint32_t c = (arg >> 3) % (n + 2);
    uint8_t client = c < n + 1 ? (uint8_t)c : FRAME_SYSTEM; /* n + 1 clients ids: one too many */
    uint32_t len = fb_u8(b) % (FRAME_PAYLOAD_MAX + 1);
    if (arg & 0x80u)
        len %= 6; /* mostly the sizes S, L and Q take */
    for (uint32_t i = 0; i < len; i++)
        p[i] = fb_u8(b);
    uint32_t k = frame_encode(types[arg % 5], client, p, len, w, sizeof(w));
    if (serial_queue_write(q, w, k) < k)
        (void)serial_queue_producer_block(q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_bytes b = { data, size };
    static struct serial_tx_config txc;
    static struct serial_rx_config rxc;
    static struct tx_mux m;
    static struct rx_route r;
    static char banner[TX_BANNER_MAX];
    struct ring txd, rxd, logr, ctx[MAXC], crx[MAXC];
    static struct serial_mode_shared mode;
    uint32_t n = 1 + fb_u8(&b) % MAXC;
    uint8_t sizes = fb_u8(&b), dsizes = fb_u8(&b), flags = fb_u8(&b);
    uint32_t csize = 2u << (sizes & 7), rsize = 2u << ((sizes >> 4) & 7);
    ring_new(&txd, 128u << (dsizes & 3));
    ring_new(&rxd, 2u << ((dsizes >> 4) & 7));
    ring_new(&logr, 64);
    memset(&txc, 0, sizeof(txc));
    memset(&rxc, 0, sizeof(rxc));
    txc.magic = SERIAL_TX_MAGIC;
    rxc.magic = SERIAL_RX_MAGIC;
    txc.version = rxc.version = SERIAL_CONFIG_VERSION;
    txc.flags = flags & 7u;
    txc.num_clients = rxc.num_clients = n;
    rxc.initial_client = (flags >> 4) % n;
    txc.driver = ref(&txd, 0);
    rxc.driver = ref(&rxd, 0);
    if (flags & 8u)
        txc.log = ref(&logr, 1);
    memset(&mode, 0, sizeof(mode));
    txc.mode = (struct serial_mode_ref){ (uint64_t)(uintptr_t)&mode, sizeof(mode), 2 + MAXC, 0 };
    rxc.mode = (struct serial_mode_ref){ (uint64_t)(uintptr_t)&mode, sizeof(mode), 2 + MAXC, 0 };
    for (uint32_t i = 0; i < n; i++) {
        ring_new(&ctx[i], csize);
        ring_new(&crx[i], rsize);
        txc.clients[i] = ref(&ctx[i], 2 + i);
        rxc.clients[i] = ref(&crx[i], 2 + i);
        txc.names[i][0] = rxc.names[i][0] = (char)('a' + i);
    }
    char why[128];
    struct sv_text t;
    sv_text_init(&t, why, sizeof(why));
    if (!tx_setup(&m, &txc, banner, &t) || !rx_setup(&r, &rxc, &t))
        abort(); /* the configuration built here is a good one */
    m.say = quiet;
    r.say = quiet;

    struct ring *all[3 + 2 * MAXC] = { &txd, &rxd, &logr };
    for (uint32_t i = 0; i < n; i++) {
        all[3 + i] = &ctx[i];
        all[3 + MAXC + i] = &crx[i];
    }
    bool forged = false;
    uint64_t taken = 0; /* bytes the "driver" took from TX */
    while (b.left > 0) {
        uint8_t op = fb_u8(&b);
        uint32_t arg = fb_u8(&b);
        if (op >= 0xf0) { /* framed mode */
            if (op == 0xf0)
                (void)serial_queue_write(&rxd.prod, FRAME_ENTRY, FRAME_ENTRY_LEN);
            else
                host_frame(&b, &rxd.prod, arg, n);
            if ((mode.framed == 1) != r.framed)
                abort(); /* RX's mode and the region it writes agree */
            continue;
        }
        switch (op % 8) {
        case 0: produce(&b, &ctx[arg % n].prod, arg / 4 % 64); break;
        case 1: produce(&b, &logr.prod, arg % 64); break;
        case 2: {
            uint8_t sink[1024];
            uint32_t k = serial_queue_read(&txd.cons, sink, arg * 4u);
            taken += k;
            if (k > 0 && serial_queue_consumer_must_notify(&txd.cons))
                (void)tx_mux_run(&m);
            break;
        }
        case 3: {
            struct ring *victim = all[arg % (3 + 2 * MAXC)];
            if (victim == NULL)
                break;
            struct serial_queue_ctrl *c = (struct serial_queue_ctrl *)victim->mem;
            uint32_t v = fb_u32(&b);
            switch ((arg >> 4) % 4) {
            case 0: c->head = v; break;
            case 1: c->tail = v; break;
            case 2: c->producer_signal = v; break;
            default: c->consumer_signal = v; break;
            }
            forged = true;
            break;
        }
        case 4: (void)tx_mux_run(&m); break;
        case 5: produce(&b, &rxd.prod, arg % 64); break;
        case 6: {
            uint8_t sink[256];
            (void)serial_queue_read(&crx[arg % n].cons, sink, arg);
            break;
        }
        default: (void)rx_route_run(&r); break;
        }
        if (m.stats.dropped != 0 || r.cur >= n)
            abort();
    }
    (void)rx_route_run(&r);
    (void)tx_mux_run(&m);
    if ((mode.framed == 1) != r.framed)
        abort(); /* RX's mode and the region agree */
    if (m.pend_len == 0 && m.framed != r.framed)
        abort(); /* TX follows the mode RX set, between two frames (it may wait for the driver) */
    if (!forged && txc.flags == 0 && m.stats.framed == 0) {
        /* without decorations, the driver got the sources' bytes and one "\r\n" per break */
        uint64_t out = taken + serial_queue_filled(&txd.cons);
        if (out != m.stats.bytes + 2 * m.stats.breaks)
            abort();
    }
    free(txd.mem);
    free(rxd.mem);
    free(logr.mem);
    for (uint32_t i = 0; i < n; i++) {
        free(ctx[i].mem);
        free(crx[i].mem);
    }
    return 0;
}

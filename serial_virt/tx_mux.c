/* The TX virtualiser's logic (tx_mux.h). */
#include "tx_mux.h"

#include "text.h"

#define SGR_RESET "\033[0m"
#define LINE_END  "\r\n"

/* Foreground colours that read on dark and light terminals alike; then their bright forms. */
static const char *const palette[] = {
    "\033[32m", "\033[33m", "\033[36m", "\033[35m", "\033[34m", "\033[31m",
    "\033[92m", "\033[93m", "\033[96m", "\033[95m", "\033[94m", "\033[91m",
};
#define PALETTE_LEN (sizeof(palette) / sizeof(palette[0]))

_Static_assert(sizeof(SGR_RESET) - 1 + sizeof(LINE_END) - 1 + sizeof("\033[92m") - 1 + SERIAL_NAME_LEN + 2 <=
                   TX_DECO_MAX,
               "TX_DECO_MAX holds the largest decoration");

const char *tx_palette(uint32_t i)
{
    return palette[i % PALETTE_LEN];
}

static uint32_t str_len(const char *s)
{
    uint32_t n = 0;
    while (s[n] != '\0')
        n++;
    return n;
}

void tx_mux_init(struct tx_mux *m, const struct serial_queue_handle *drv, uint32_t flags)
{
    __builtin_memset(m, 0, sizeof(*m));
    m->drv = *drv;
    m->flags = flags;
    m->open = TX_NONE;
    m->painted = TX_NONE;
    m->list_next = TX_NONE;
}

void tx_mux_set_mode(struct tx_mux *m, const struct serial_mode_shared *mode)
{
    m->mode = mode;
}

uint32_t tx_mux_add(struct tx_mux *m, const struct serial_queue_handle *q, const char *name, uint32_t colour,
                    bool notify)
{
    if (m->nsrc >= TX_SRC_MAX)
        return TX_NONE;
    struct tx_src *s = &m->src[m->nsrc];
    __builtin_memset(s, 0, sizeof(*s));
    s->q = *q;
    s->notify = notify;
    s->sgr = colour == TX_NONE ? NULL : tx_palette(colour);
    for (uint32_t n = 0; name != NULL && n < SERIAL_NAME_LEN - 1 && name[n] != '\0'; n++)
        s->name[n] = name[n];
    if (name != NULL && name[0] != '\0') {
        uint32_t n = 0;
        while (n < SERIAL_NAME_LEN - 1 && name[n] != '\0') {
            s->prefix[n] = name[n];
            n++;
        }
        s->prefix[n] = ':';
        s->prefix[n + 1] = ' ';
        s->prefix[n + 2] = '\0';
    }
    return m->nsrc++;
}

void tx_mux_say_first(struct tx_mux *m, const uint8_t *buf, uint32_t len)
{
    m->pend = buf;
    m->pend_len = len;
}

/* Copies up to max filled bytes of q into buf without consuming them; 0 when empty or corrupt. */
static uint32_t peek(const struct serial_queue_handle *q, uint8_t *buf, uint32_t max)
{
    struct serial_queue_snap s = serial_queue_snapshot(q);
    uint32_t n = s.filled < max ? s.filled : max;
    uint32_t off = s.head & (q->size - 1u);
    uint32_t first = q->size - off < n ? q->size - off : n;
    __builtin_memcpy(buf, q->data + off, first);
    __builtin_memcpy(buf + first, q->data, n - first);
    return n;
}

static void report(struct tx_mux *m, uint32_t s, bool corrupt)
{
    char line[96];
    struct sv_text t;
    sv_text_init(&t, line, sizeof(line));
    if (m->src[s].notify) {
        sv_puts(&t, "serial_tx: client ");
        sv_putu(&t, s);
    } else {
        sv_puts(&t, "serial_tx: the log");
    }
    sv_puts(&t, corrupt ? ": ring indices corrupt, its output is skipped\n" : ": ring indices sane again\n");
    if (m->say != NULL)
        m->say(m->say_ctx, line);
}

/* True when source s has bytes waiting; notes (once per change) that its ring went corrupt. */
static bool has_data(struct tx_mux *m, uint32_t s)
{
    struct tx_src *src = &m->src[s];
    struct serial_queue_snap snap = serial_queue_snapshot(&src->q);
    if (snap.corrupt != src->corrupt) {
        src->corrupt = snap.corrupt;
        if (snap.corrupt)
            m->stats.corrupt++;
        report(m, s, snap.corrupt);
    }
    return snap.filled > 0;
}

#ifdef SERIAL_TX_STATS
/*
 * `make STATS=1` only: per source (the first TXS_SRC), the bytes taken, how often its turn came
 * with its ring empty, how often it was woken for room; and the runs and driver-full stops. One
 * line per 256 KiB moved, through the log. How issue 10's flood was diagnosed (benchmarks.md).
 */
#define TXS_SRC 3u
static struct {
    uint32_t bytes[TXS_SRC], empty[TXS_SRC], wake[TXS_SRC], runs, blocked, next;
} txs;

static void txs_put(struct sv_text *t, const char *what, const uint32_t *v)
{
    sv_puts(t, what);
    for (uint32_t i = 0; i < TXS_SRC; i++) {
        sv_putu(t, v[i]);
        sv_puts(t, i + 1 < TXS_SRC ? "/" : " ");
    }
}

static void txs_run_done(struct tx_mux *m)
{
    txs.runs++;
    if (m->stats.bytes < txs.next)
        return;
    txs.next = m->stats.bytes + 256u * 1024u;
    char line[160];
    struct sv_text t;
    sv_text_init(&t, line, sizeof(line));
    txs_put(&t, "txstat: bytes ", txs.bytes);
    txs_put(&t, "empty turns ", txs.empty);
    txs_put(&t, "woken ", txs.wake);
    sv_puts(&t, "runs ");
    sv_putu(&t, txs.runs);
    sv_puts(&t, " driver full ");
    sv_putu(&t, txs.blocked);
    sv_puts(&t, "\n");
    __builtin_memset(&txs, 0, sizeof(txs) - sizeof(txs.next));
    if (m->say != NULL)
        m->say(m->say_ctx, line);
}
#define TXS_COUNT(field, s)  ((s) < TXS_SRC ? (void)txs.field[s]++ : (void)0)
#define TXS_ADD(field, s, k) ((s) < TXS_SRC ? (void)(txs.field[s] += (k)) : (void)0)
#define TXS_BLOCKED()        ((void)txs.blocked++)
#define TXS_RUN_DONE(m)      txs_run_done(m)
#else
#define TXS_COUNT(field, s)  ((void)0)
#define TXS_ADD(field, s, k) ((void)0)
#define TXS_BLOCKED()        ((void)0)
#define TXS_RUN_DONE(m)      ((void)0)
#endif

/* The open line's owner while its line may go on, else the next source round-robin. */
static uint32_t pick(struct tx_mux *m)
{
    if (m->open != TX_NONE && m->line_len < TX_LINE_MAX && has_data(m, m->open))
        return m->open;
    for (uint32_t i = 0; i < m->nsrc; i++) {
        uint32_t s = (m->rr + i) % m->nsrc;
        if (has_data(m, s))
            return s;
        if (i == 0)
            TXS_COUNT(empty, s);
    }
    return TX_NONE;
}

static void deco_put(struct tx_mux *m, const char *s)
{
    uint32_t n = str_len(s);
    __builtin_memcpy(m->deco + m->deco_len, s, n);
    m->deco_len += n;
}

/*
 * What must precede bytes of source s on the UART: the end of another source's open line, the
 * end of another colour, s's colour, s's prefix at a line start. Queued in m->deco, and the
 * state changed as if it were sent: it goes out before anything else (a decoration is never
 * separated from the first byte it announces, since s then owns the open line).
 */
static void decorate(struct tx_mux *m, uint32_t s)
{
    const struct tx_src *src = &m->src[s];
    const char *sgr = (m->flags & SERIAL_TX_F_COLOUR) ? src->sgr : NULL;
    bool line_start = m->open != s;
    m->deco_len = 0;
    if (m->open != TX_NONE && m->open != s) {
        if (m->painted != TX_NONE)
            deco_put(m, SGR_RESET);
        m->painted = TX_NONE;
        deco_put(m, LINE_END);
        m->stats.breaks++;
    }
    if (m->painted != TX_NONE && m->painted != s) {
        deco_put(m, SGR_RESET);
        m->painted = TX_NONE;
    }
    if (sgr != NULL && m->painted != s) {
        deco_put(m, sgr);
        m->painted = s;
    }
    if (line_start && (m->flags & SERIAL_TX_F_PREFIX))
        deco_put(m, src->prefix);
    if (line_start && m->deco_len > 0) {
        m->open = s;
        m->line_len = 0;
    }
    m->pend = m->deco;
    m->pend_len = m->deco_len;
}

/* Framed mode: the client id of source s (the log is the system's, 0xff). */
static uint8_t frame_id(const struct tx_mux *m, uint32_t s)
{
    return m->src[s].notify ? (uint8_t)s : (uint8_t)FRAME_SYSTEM;
}

/* Queues the next L frame of the client list: whole entries (id, name length, name) as many as
 * fit in one frame; list_next moves on, to TX_NONE after the last client. */
static void list_frame(struct tx_mux *m)
{
    uint8_t p[FRAME_PAYLOAD_MAX];
    uint32_t len = 0, s = m->list_next;
    for (; s < m->nsrc; s++) {
        if (!m->src[s].notify)
            continue; /* the log is no client */
        uint32_t nl = str_len(m->src[s].name);
        if (len + 2 + nl > FRAME_PAYLOAD_MAX)
            break;
        p[len++] = (uint8_t)s;
        p[len++] = (uint8_t)nl;
        __builtin_memcpy(p + len, m->src[s].name, nl);
        len += nl;
    }
    m->list_next = s < m->nsrc ? s : TX_NONE;
    m->pend_len = frame_encode(FRAME_L, FRAME_SYSTEM, p, len, m->frame, sizeof(m->frame));
    m->pend = m->frame;
    m->stats.frames++;
}

/* Between two sends (nothing pending): follows what RX put in the mode region. Entering framed
 * mode ends plain mode's colour, sends one 0x00 and the client list; leaving it, the next bytes
 * of every source start a line again with colour and prefix. */
static void follow_mode(struct tx_mux *m)
{
    bool framed = __atomic_load_n(&m->mode->framed, __ATOMIC_ACQUIRE) == 1u;
    uint32_t req = __atomic_load_n(&m->mode->list_req, __ATOMIC_ACQUIRE);
    if (framed && !m->framed) {
        m->framed = true;
        m->stats.framed++;
        m->deco_len = 0;
        if (m->painted != TX_NONE)
            deco_put(m, SGR_RESET);
        m->deco[m->deco_len++] = 0; /* ends whatever the host saw before */
        m->pend = m->deco;
        m->pend_len = m->deco_len;
        m->painted = TX_NONE;
        m->open = TX_NONE;
        m->line_len = 0;
        m->list_seen = req;
        m->list_next = 0;
    } else if (!framed && m->framed) {
        m->framed = false;
        m->open = TX_NONE;
        m->line_len = 0;
        m->list_next = TX_NONE;
    } else if (framed && req != m->list_seen) {
        m->list_seen = req;
        m->list_next = 0;
    }
}

/* Framed mode: one D frame of up to FRAME_PAYLOAD_MAX bytes of source s, up to its line's end,
 * queued whole in m->frame (so no other byte comes inside it). */
/* Source s's first k bytes (buf) are on their way: consumed from its ring, counted, and the
 * line they belong to kept open or closed, so its next bytes follow it whole. */
static void consumed(struct tx_mux *m, struct tx_src *src, uint32_t s, const uint8_t *buf, uint32_t k)
{
    if (serial_queue_consume(&src->q, k) != 0)
        m->stats.corrupt++; /* its indices changed under us; has_data reports it */
    src->used = true;
    m->stats.bytes += k;
    TXS_ADD(bytes, s, k);
    m->rr = (s + 1) % m->nsrc;
    if (buf[k - 1] == '\n') {
        m->open = TX_NONE;
        m->line_len = 0;
        m->stats.lines++;
    } else {
        m->open = s;
        m->line_len += k;
    }
}

static enum step_framed { F_MOVED, F_NOTHING } send_frame(struct tx_mux *m, uint32_t s)
{
    uint8_t buf[FRAME_PAYLOAD_MAX];
    struct tx_src *src = &m->src[s];
    uint32_t max = TX_LINE_MAX - m->line_len;
    uint32_t got = peek(&src->q, buf, max < FRAME_PAYLOAD_MAX ? max : FRAME_PAYLOAD_MAX);
    if (got == 0)
        return F_NOTHING;
    const uint8_t *nl = __builtin_memchr(buf, '\n', got);
    uint32_t k = nl != NULL ? (uint32_t)(nl - buf) + 1 : got;
    m->pend_len = frame_encode(FRAME_D, frame_id(m, s), buf, k, m->frame, sizeof(m->frame));
    m->pend = m->frame;
    m->stats.frames++;
    consumed(m, src, s, buf, k);
    return F_MOVED;
}

enum step { MOVED, NOTHING, IDLE, BLOCKED };

static enum step step(struct tx_mux *m, bool *wrote)
{
    uint8_t buf[TX_LINE_MAX];
    if (m->pend_len > 0) {
        uint32_t n = serial_queue_write(&m->drv, m->pend, m->pend_len);
        if (n == 0)
            return BLOCKED;
        m->pend += n;
        m->pend_len -= n;
        *wrote = true;
        return MOVED;
    }
    if (m->mode != NULL) {
        follow_mode(m);
        if (m->pend_len > 0)
            return MOVED;
    }
    if (m->framed && m->list_next != TX_NONE) {
        list_frame(m);
        return MOVED;
    }
    uint32_t s = pick(m);
    if (s == TX_NONE)
        return IDLE;
    struct tx_src *src = &m->src[s];
    if (m->framed) {
        if (m->open != s || m->line_len >= TX_LINE_MAX)
            m->line_len = 0; /* a line starts (another's open one is not ended: frames say whose) */
        return send_frame(m, s) == F_MOVED ? MOVED : NOTHING;
    }
    if (m->open == s && m->line_len >= TX_LINE_MAX)
        m->line_len = 0; /* a long line goes on, for another TX_LINE_MAX */
    if (m->open != s || ((m->flags & SERIAL_TX_F_COLOUR) && src->sgr != NULL && m->painted != s)) {
        /* a line starts, or an open one goes on after an idle reset: decoration first */
        decorate(m, s);
        if (m->pend_len > 0)
            return MOVED;
        if (m->open != s)
            m->line_len = 0;
    }
    uint32_t got = peek(&src->q, buf, TX_LINE_MAX - m->line_len);
    const uint8_t *nl = __builtin_memchr(buf, '\n', got);
    uint32_t k = nl != NULL ? (uint32_t)(nl - buf) + 1 : got;
    uint32_t space = serial_queue_space(&m->drv);
    if (got == 0)
        return NOTHING; /* it had bytes a moment ago: a peer playing with its indices */
    if (space == 0)
        return BLOCKED;
    if (k > space)
        k = space;
    (void)serial_queue_write(&m->drv, buf, k); /* the only producer: space only grew */
    *wrote = true;
    consumed(m, src, s, buf, k);
    return MOVED;
}

/* Every source's consumer_signal set; true when one had bytes after all. */
static bool arm_all(struct tx_mux *m)
{
    bool again = false;
    for (uint32_t s = 0; s < m->nsrc; s++)
        if (!serial_queue_consumer_block(&m->src[s].q))
            again = true;
    return again;
}

struct tx_wake tx_mux_run(struct tx_mux *m)
{
    struct tx_wake w = { 0, false };
    bool wrote = false;
    uint32_t futile = 0; /* steps in a row that moved nothing */
    while (futile <= 2 * m->nsrc + 4) {
        enum step r = step(m, &wrote);
        if (r == MOVED) {
            futile = 0;
            continue;
        }
        futile++;
        if (r == NOTHING)
            continue;
        if (r == BLOCKED) {
            m->stats.blocked++;
            TXS_BLOCKED();
            if (serial_queue_producer_block(&m->drv))
                break;
            continue;
        }
        if (m->painted != TX_NONE) { /* idle: the terminal's own colour again */
            m->painted = TX_NONE;
            m->deco_len = 0;
            deco_put(m, SGR_RESET);
            m->pend = m->deco;
            m->pend_len = m->deco_len;
            continue;
        }
        if (!arm_all(m))
            break;
    }
    for (uint32_t s = 0; s < m->nsrc; s++) {
        struct tx_src *src = &m->src[s];
        /* a client waiting for space hears once half its ring is free, not for every few bytes
         * (TX consumes until the ring is empty unless the driver's ring is full, and then it
         * goes on when the driver wakes it, so the half mark is always reached) */
        if (src->used && src->notify && serial_queue_filled(&src->q) <= src->q.size / 2 &&
            serial_queue_consumer_must_notify(&src->q)) {
            w.clients |= 1u << s;
            TXS_COUNT(wake, s);
        }
        src->used = false;
    }
    if (wrote)
        w.driver = serial_queue_producer_must_notify(&m->drv);
    TXS_RUN_DONE(m);
    return w;
}

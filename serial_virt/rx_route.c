/* The RX virtualiser's logic (rx_route.h). */
#include "rx_route.h"

#include "text.h"

void rx_route_init(struct rx_route *r, const struct serial_queue_handle *drv, uint32_t initial)
{
    __builtin_memset(r, 0, sizeof(*r));
    r->drv = *drv;
    r->cur = initial;
    r->state = RX_DATA;
}

void rx_route_set_mode(struct rx_route *r, struct serial_mode_shared *mode)
{
    r->mode = mode;
}

int rx_route_add(struct rx_route *r, const struct serial_queue_handle *q, const char *name)
{
    if (r->n >= SERIAL_MAX_CLIENTS)
        return -1;
    r->cl[r->n] = *q;
    uint32_t i = 0;
    for (; i < SERIAL_NAME_LEN - 1 && name[i] != '\0'; i++)
        r->names[r->n][i] = name[i];
    r->names[r->n][i] = '\0';
    return (int)r->n++;
}

static void say(struct rx_route *r, const char *line)
{
    if (r->say != NULL)
        r->say(r->say_ctx, line);
}

static void put_client(struct sv_text *t, const struct rx_route *r, uint32_t i)
{
    sv_puts(t, "client ");
    sv_putu(t, i);
    sv_puts(t, " (");
    sv_puts(t, r->names[i]);
    sv_puts(t, ")");
}

static void refuse(struct rx_route *r, bool out_of_range)
{
    char line[160];
    struct sv_text t;
    sv_text_init(&t, line, sizeof(line));
    if (out_of_range) {
        sv_puts(&t, "serial_rx: no client ");
        if (r->digits <= RX_MAX_DIGITS)
            sv_putu(&t, r->num);
        else
            sv_puts(&t, "with that number");
        sv_puts(&t, " (clients are 0 to ");
        sv_putu(&t, r->n - 1);
        sv_puts(&t, "); input stays with ");
    } else {
        sv_puts(&t, "serial_rx: switch refused: Ctrl-\\ takes a client number and Enter, or Ctrl-\\; "
                    "input stays with ");
    }
    put_client(&t, r, r->cur);
    sv_puts(&t, "\n");
    r->stats.refused++;
    say(r, line);
}

static void switch_to(struct rx_route *r, uint32_t i)
{
    char line[96];
    struct sv_text t;
    r->cur = i;
    r->stats.switches++;
    sv_text_init(&t, line, sizeof(line));
    sv_puts(&t, "serial_rx: input now goes to ");
    put_client(&t, r, i);
    sv_puts(&t, "\n");
    say(r, line);
}

/* Notes (once per change) whether client i's ring is corrupt; true when it is. */
static bool client_corrupt(struct rx_route *r, uint32_t i)
{
    bool corrupt = serial_queue_corrupt(&r->cl[i]);
    if (corrupt != r->cl_corrupt[i]) {
        char line[160];
        struct sv_text t;
        r->cl_corrupt[i] = corrupt;
        sv_text_init(&t, line, sizeof(line));
        sv_puts(&t, "serial_rx: ");
        put_client(&t, r, i);
        if (corrupt) {
            r->stats.corrupt++;
            sv_puts(&t, ": ring indices corrupt, its input is dropped until they are sane\n");
        } else {
            sv_puts(&t, ": ring indices sane again; ");
            sv_putu(&t, r->cl_dropped[i]);
            sv_puts(&t, " bytes for it were dropped\n");
            r->cl_dropped[i] = 0;
        }
        say(r, line);
    }
    return corrupt;
}

/* Up to len bytes to client i; 0 with *held set when its ring is full. */
static uint32_t deliver_to(struct rx_route *r, uint32_t i, const uint8_t *b, uint32_t len, bool *held)
{
    struct serial_queue_handle *q = &r->cl[i];
    for (uint32_t tries = 0; tries < 3; tries++) {
        if (client_corrupt(r, i)) {
            r->stats.dropped += len;
            r->cl_dropped[i] += len;
            return len;
        }
        uint32_t n = serial_queue_write(q, b, len);
        if (n > 0) {
            r->written |= 1u << i;
            r->stats.bytes += n;
            return n;
        }
        if (serial_queue_producer_block(q))
            break;
    }
    r->stats.held++;
    *held = true;
    return 0;
}

/* Up to len bytes to the current client; 0 with *held set when its ring is full. */
static uint32_t deliver(struct rx_route *r, const uint8_t *b, uint32_t len, bool *held)
{
    return deliver_to(r, r->cur, b, len, held);
}

/* Framed mode's state for TX changed: written with release, TX is notified after the run. */
static void tell_tx(struct rx_route *r, bool framed, bool list)
{
    __atomic_store_n(&r->mode->framed, framed ? 1u : 0u, __ATOMIC_RELEASE);
    if (list)
        __atomic_store_n(&r->mode->list_req, __atomic_load_n(&r->mode->list_req, __ATOMIC_RELAXED) + 1u,
                         __ATOMIC_RELEASE);
    r->tell_tx = true;
}

static void enter_framed(struct rx_route *r)
{
    r->framed = true;
    r->stats.framed++;
    frame_decoder_init(&r->dec);
    r->pend_len = r->pend_off = 0;
    tell_tx(r, true, true); /* TX's first frame is the client list */
    say(r, "serial_rx: framed mode on\n");
}

static void leave_framed(struct rx_route *r)
{
    r->framed = false;
    r->state = RX_DATA;
    r->swallow_lf = false;
    tell_tx(r, false, false);
    say(r, "serial_rx: framed mode off; plain mode again\n");
}

/* The rest of the held D frame's payload to its client; *held set when it is full again. */
static void flush_pending(struct rx_route *r, bool *held)
{
    while (r->pend_off < r->pend_len) {
        uint32_t n = deliver_to(r, r->pend_client, r->pend + r->pend_off, r->pend_len - r->pend_off, held);
        if (n == 0)
            return;
        r->pend_off += n;
    }
}

/* One valid frame from the host: carried out, or discarded (counted) when its type, client or
 * length is not one docs/serial.md allows. */
static void frame_in(struct rx_route *r, const struct frame *f, bool *held)
{
    bool sys = f->client == FRAME_SYSTEM;
    if (f->type == FRAME_D && f->client < r->n) {
        __builtin_memcpy(r->pend, f->payload, f->len);
        r->pend_len = f->len;
        r->pend_off = 0;
        r->pend_client = f->client;
        flush_pending(r, held);
    } else if (f->type == FRAME_S && f->client < r->n && f->len == 4) {
        uint16_t cols = (uint16_t)(f->payload[0] | f->payload[1] << 8);
        uint16_t rows = (uint16_t)(f->payload[2] | f->payload[3] << 8);
        serial_queue_set_winsize(&r->cl[f->client], cols, rows);
        r->sized |= 1u << f->client;
        r->stats.sizes++;
    } else if (f->type == FRAME_L && sys && f->len == 0) {
        r->stats.lists++;
        tell_tx(r, true, true);
    } else if (f->type == FRAME_Q && sys && f->len == 0) {
        leave_framed(r);
    } else {
        frame_reject(&r->dec);
    }
}

/* Framed mode: bytes into the decoder up to the end of one frame, which is carried out. */
static uint32_t feed_framed(struct rx_route *r, const uint8_t *b, uint32_t len, bool *held)
{
    uint32_t used;
    struct frame f;
    if (frame_feed(&r->dec, b, len, &used, &f))
        frame_in(r, &f, held);
    return used;
}

static bool is_enter(uint8_t c)
{
    return c == '\r' || c == '\n';
}

static bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* One step of the parser over b[0 .. len-1] (len > 0): how many bytes it took. */
static uint32_t feed(struct rx_route *r, const uint8_t *b, uint32_t len, bool *held)
{
    uint8_t c = b[0];
    bool lf_after_cr = r->swallow_lf && c == '\n';
    r->swallow_lf = false;
    switch (r->state) {
    case RX_DATA: {
        if (lf_after_cr)
            return 1;
        if (c == RX_SWITCH_KEY) {
            r->state = RX_ESC;
            return 1;
        }
        const uint8_t *key = __builtin_memchr(b, RX_SWITCH_KEY, len);
        return deliver(r, b, key != NULL ? (uint32_t)(key - b) : len, held);
    }
    case RX_ESC:
        if (c == RX_SWITCH_KEY) {
            uint32_t n = deliver(r, b, 1, held);
            if (n > 0)
                r->state = RX_DATA;
            return n;
        }
        if (is_digit(c)) {
            r->state = RX_NUM;
            r->num = c - '0';
            r->digits = 1;
            return 1;
        }
        if (c == RX_FRAMED_KEY && r->mode != NULL) {
            r->state = RX_FRM;
            r->frm = 0;
            return 1;
        }
        r->state = RX_DATA;
        r->swallow_lf = c == '\r';
        refuse(r, false);
        return 1;
    case RX_FRM:
        if (c == (uint8_t)FRAME_ENTRY[2 + r->frm]) {
            if (++r->frm == FRAME_ENTRY_LEN - 2) {
                r->state = RX_DATA;
                enter_framed(r);
            }
            return 1;
        }
        r->state = RX_DATA;
        r->swallow_lf = c == '\r';
        refuse(r, false);
        return 1;
    case RX_NUM:
        if (is_digit(c)) {
            if (r->digits < RX_MAX_DIGITS) /* nine digits stay below 2^32 */
                r->num = r->num * 10u + (c - '0');
            if (r->digits <= RX_MAX_DIGITS)
                r->digits++;
            return 1;
        }
        r->state = RX_DATA;
        r->swallow_lf = c == '\r';
        if (!is_enter(c))
            refuse(r, false);
        else if (r->digits > RX_MAX_DIGITS || r->num >= r->n)
            refuse(r, true);
        else
            switch_to(r, r->num);
        return 1;
    }
    return 1;
}

/* Copies up to max filled bytes of q from `skip` bytes past its head into buf without consuming
 * them; 0 when there are no more or the ring is corrupt. */
static uint32_t peek_at(const struct serial_queue_handle *q, uint32_t skip, uint8_t *buf, uint32_t max)
{
    struct serial_queue_snap s = serial_queue_snapshot(q);
    if (skip >= s.filled)
        return 0;
    uint32_t n = s.filled - skip < max ? s.filled - skip : max;
    uint32_t off = (s.head + skip) & (q->size - 1u);
    uint32_t first = q->size - off < n ? q->size - off : n;
    __builtin_memcpy(buf, q->data + off, first);
    __builtin_memcpy(buf + first, q->data, n - first);
    return n;
}

static uint32_t peek(const struct serial_queue_handle *q, uint8_t *buf, uint32_t max)
{
    return peek_at(q, 0, buf, max);
}

/* Drops the first n bytes of the driver's ring, which were for the stuck current client. */
static bool drop_before(struct rx_route *r, uint32_t n)
{
    char line[160];
    struct sv_text t;
    if (n == 0 || serial_queue_consume(&r->drv, n) != 0)
        return false;
    r->stats.dropped += n;
    sv_text_init(&t, line, sizeof(line));
    sv_puts(&t, "serial_rx: ");
    put_client(&t, r, r->cur);
    sv_puts(&t, " is not taking input: ");
    sv_putu(&t, n);
    sv_puts(&t, " bytes for it dropped to carry out the switch typed twice\n");
    say(r, line);
    return true;
}

/*
 * The current client is full and its bytes block the driver's ring. A client that is only slow
 * catches up, and a switch typed (or pasted) behind its bytes waits for them; but a client that
 * never reads would stop all input. So when two complete switch sequences to other clients wait
 * behind its bytes (the user typed the switch again: a deliberate escape, not something a paste
 * does), the bytes before the first one are dropped, counted and reported, and the switch is
 * carried out. Returns true when it dropped something.
 */
static bool skip_to_switch(struct rx_route *r)
{
    uint8_t buf[RX_CHUNK];
    enum rx_state st = RX_DATA;
    uint32_t start = 0, first = 0, found = 0, num = 0, digits = 0, at = 0, got;
    while ((got = peek_at(&r->drv, at, buf, RX_CHUNK)) > 0) {
        for (uint32_t i = 0; i < got; i++) {
            uint8_t c = buf[i];
            switch (st) {
            case RX_DATA:
                if (c == RX_SWITCH_KEY) {
                    st = RX_ESC;
                    start = at + i;
                }
                break;
            case RX_ESC: /* Ctrl-\ Ctrl-\ is input; anything but a digit would be refused */
                st = is_digit(c) ? RX_NUM : RX_DATA;
                num = (uint32_t)(c - '0');
                digits = 1;
                break;
            case RX_NUM:
                if (is_digit(c)) {
                    if (digits < RX_MAX_DIGITS)
                        num = num * 10u + (c - '0');
                    if (digits <= RX_MAX_DIGITS)
                        digits++;
                    break;
                }
                if (is_enter(c) && digits <= RX_MAX_DIGITS && num < r->n && num != r->cur) {
                    if (found++ == 0)
                        first = start;
                    else
                        return drop_before(r, first);
                }
                st = RX_DATA;
                break;
            case RX_FRM: /* not reached: the scan starts in RX_DATA and never enters it */
                st = RX_DATA;
                break;
            }
        }
        at += got;
    }
    return false;
}

static void note_driver(struct rx_route *r)
{
    bool corrupt = serial_queue_corrupt(&r->drv);
    if (corrupt == r->drv_corrupt)
        return;
    r->drv_corrupt = corrupt;
    if (corrupt)
        r->stats.corrupt++;
    say(r, corrupt ? "serial_rx: the driver's ring indices are corrupt; input stops until they are sane\n"
                   : "serial_rx: the driver's ring indices are sane again\n");
}

struct rx_wake rx_route_run(struct rx_route *r)
{
    struct rx_wake w = { 0, false, false };
    uint8_t buf[RX_CHUNK];
    bool consumed = false;
    r->written = 0;
    r->sized = 0;
    r->tell_tx = false;
    for (uint32_t futile = 0; futile < 4;) {
        if (r->pend_off < r->pend_len) { /* a D frame's payload waits for its client first */
            bool held = false;
            flush_pending(r, &held);
            if (held)
                break; /* the client's producer_signal is set: it notifies when it reads */
        }
        uint32_t got = peek(&r->drv, buf, RX_CHUNK);
        if (got == 0) {
            note_driver(r);
            if (serial_queue_consumer_block(&r->drv))
                break;
            futile++; /* bytes appeared, or a peer plays with its indices: look again, a few times */
            continue;
        }
        note_driver(r);
        bool held = false;
        uint32_t used = 0;
        while (used < got && !held)
            used += r->framed ? feed_framed(r, buf + used, got - used, &held)
                              : feed(r, buf + used, got - used, &held);
        if (used > 0) {
            if (serial_queue_consume(&r->drv, used) != 0)
                note_driver(r);
            consumed = true;
            futile = 0;
        }
        if (held && r->framed)
            break; /* the rest of the frame waits in pend; the driver's ring is not read meanwhile */
        if (held) {
            if (r->state == RX_DATA && skip_to_switch(r)) {
                consumed = true;
                continue;
            }
            /* a switch typed from now on must be seen: ask the driver to say when bytes arrive */
            (void)serial_queue_consumer_block(&r->drv);
            break;
        }
    }
    if (consumed)
        w.driver = serial_queue_consumer_must_notify(&r->drv);
    for (uint32_t i = 0; i < r->n; i++)
        if (((r->written >> i) & 1u) && serial_queue_producer_must_notify(&r->cl[i]))
            w.clients |= 1u << i;
    w.clients |= r->sized; /* a new terminal size: the client hears of it whether it asked or not */
    w.tx = r->tell_tx;
    return w;
}

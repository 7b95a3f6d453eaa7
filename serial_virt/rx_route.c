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

/* Up to len bytes to the current client; 0 with *held set when its ring is full. */
static uint32_t deliver(struct rx_route *r, const uint8_t *b, uint32_t len, bool *held)
{
    struct serial_queue_handle *q = &r->cl[r->cur];
    for (uint32_t tries = 0; tries < 3; tries++) {
        if (client_corrupt(r, r->cur)) {
            r->stats.dropped += len;
            r->cl_dropped[r->cur] += len;
            return len;
        }
        uint32_t n = serial_queue_write(q, b, len);
        if (n > 0) {
            r->written |= 1u << r->cur;
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
    struct rx_wake w = { 0, false };
    uint8_t buf[RX_CHUNK];
    bool consumed = false;
    r->written = 0;
    for (uint32_t futile = 0; futile < 4;) {
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
            used += feed(r, buf + used, got - used, &held);
        if (used > 0) {
            if (serial_queue_consume(&r->drv, used) != 0)
                note_driver(r);
            consumed = true;
            futile = 0;
        }
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
    return w;
}

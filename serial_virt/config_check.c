/* Configuration checks of the two virtualisers (config_check.h). */
#include "config_check.h"

#include "sys_limits.h"

_Static_assert(sizeof(uintptr_t) == sizeof(uint64_t) && sizeof(size_t) == sizeof(uint64_t), "64-bit only");
_Static_assert(SERIAL_MAX_CLIENTS <= 32, "client masks are 32 bits");

/* The regions checked so far, to refuse two rings that share memory. */
struct seen {
    uint64_t channels; /* bit n: channel id n is taken */
    uint32_t n;
    uint64_t start[SERIAL_MAX_CLIENTS + 3];
    uint64_t end[SERIAL_MAX_CLIENTS + 3];
};

/* One ring reference: a mapped region that holds the control block and a power-of-two data
 * area of at least min_size, on a channel not used before (*channels is the mask so far). */
static bool ref_check(const struct serial_queue_ref *r, uint32_t min_size, struct seen *seen,
                      struct serial_queue_handle *h, const char *what, int index, struct sv_text *why)
{
    const char *err = NULL;
    if (r->vaddr == 0 || r->region_size > UINT64_MAX - r->vaddr)
        err = "region address out of range";
    else if (r->channel >= SYS_MAX_CHANNELS)
        err = "channel id out of range";
    else if ((seen->channels >> r->channel) & 1u)
        err = "channel id used twice";
    else if (r->size < min_size)
        err = "data area too small";
    else if (serial_queue_init(h, (void *)(uintptr_t)r->vaddr, (size_t)r->region_size, r->size) != 0)
        err = "size not a power of two that fits its region";
    for (uint32_t i = 0; err == NULL && i < seen->n; i++)
        if (r->vaddr < seen->end[i] && seen->start[i] < r->vaddr + r->region_size)
            err = "region overlaps another ring's";
    if (err == NULL && seen->n < SERIAL_MAX_CLIENTS + 3) {
        seen->channels |= 1ull << r->channel;
        seen->start[seen->n] = r->vaddr;
        seen->end[seen->n] = r->vaddr + r->region_size; /* no wrap: checked above */
        seen->n++;
        return true;
    }
    if (err == NULL)
        err = "too many rings";
    sv_puts(why, what);
    if (index >= 0) {
        sv_puts(why, " ");
        sv_putu(why, (uint64_t)index);
    }
    sv_puts(why, " ring: ");
    sv_puts(why, err);
    return false;
}

/* Framed mode's shared region (serial_config.h): none (vaddr 0), or one that holds struct
 * serial_mode_shared, aligned, on a channel of its own, overlapping no ring. */
static bool mode_check(const struct serial_mode_ref *r, struct seen *seen, struct serial_mode_shared **mode,
                       struct sv_text *why)
{
    const char *err = NULL;
    *mode = NULL;
    if (r->vaddr == 0)
        return true;
    if (r->region_size > UINT64_MAX - r->vaddr || r->vaddr % _Alignof(struct serial_mode_shared) != 0)
        err = "region address out of range";
    else if (r->region_size < sizeof(struct serial_mode_shared))
        err = "region too small";
    else if (r->channel >= SYS_MAX_CHANNELS)
        err = "channel id out of range";
    else if ((seen->channels >> r->channel) & 1u)
        err = "channel id used twice";
    for (uint32_t i = 0; err == NULL && i < seen->n; i++)
        if (r->vaddr < seen->end[i] && seen->start[i] < r->vaddr + r->region_size)
            err = "region overlaps a ring's";
    if (err != NULL) {
        sv_puts(why, "mode region: ");
        sv_puts(why, err);
        return false;
    }
    seen->channels |= 1ull << r->channel;
    *mode = (struct serial_mode_shared *)(uintptr_t)r->vaddr;
    return true;
}

static bool header_check(uint32_t magic, uint32_t want_magic, uint32_t version, uint32_t num_clients,
                         uint32_t min_clients, struct sv_text *why)
{
    if (magic != want_magic) {
        sv_puts(why, "bad magic (not patched by the image tool?)");
        return false;
    }
    if (version != SERIAL_CONFIG_VERSION) {
        sv_puts(why, "configuration version ");
        sv_putu(why, version);
        sv_puts(why, ", this program knows ");
        sv_putu(why, SERIAL_CONFIG_VERSION);
        return false;
    }
    if (num_clients < min_clients || num_clients > SERIAL_MAX_CLIENTS) {
        sv_puts(why, "number of clients ");
        sv_putu(why, num_clients);
        sv_puts(why, " out of range");
        return false;
    }
    return true;
}

static bool names_check(const char (*names)[SERIAL_NAME_LEN], uint32_t n, struct sv_text *why)
{
    for (uint32_t i = 0; i < n; i++) {
        if (__builtin_memchr(names[i], 0, SERIAL_NAME_LEN) == NULL) {
            sv_puts(why, "client ");
            sv_putu(why, i);
            sv_puts(why, " name not terminated");
            return false;
        }
    }
    return true;
}

bool sv_tx_config_check(const struct serial_tx_config *c, struct serial_queue_handle *driver,
                        struct serial_queue_handle *log, struct serial_queue_handle *clients,
                        struct serial_mode_shared **mode, struct sv_text *why)
{
    struct seen seen = { 0 };
    if (!header_check(c->magic, SERIAL_TX_MAGIC, c->version, c->num_clients, 0, why))
        return false;
    if (c->flags & ~(SERIAL_TX_F_COLOUR | SERIAL_TX_F_PREFIX | SERIAL_TX_F_BANNER)) {
        sv_puts(why, "unknown flags");
        return false;
    }
    if (!ref_check(&c->driver, SV_DRIVER_TX_MIN_SIZE, &seen, driver, "driver", -1, why))
        return false;
    log->size = 0;
    if (c->log.size != 0 && !ref_check(&c->log, SERIAL_QUEUE_MIN_SIZE, &seen, log, "log", -1, why))
        return false;
    for (uint32_t i = 0; i < c->num_clients; i++)
        if (!ref_check(&c->clients[i], SERIAL_QUEUE_MIN_SIZE, &seen, &clients[i], "client", (int)i, why))
            return false;
    if (!names_check(c->names, c->num_clients, why))
        return false;
    return mode_check(&c->mode, &seen, mode, why);
}

bool sv_rx_config_check(const struct serial_rx_config *c, struct serial_queue_handle *driver,
                        struct serial_queue_handle *clients, struct serial_mode_shared **mode,
                        struct sv_text *why)
{
    struct seen seen = { 0 };
    if (!header_check(c->magic, SERIAL_RX_MAGIC, c->version, c->num_clients, 1, why))
        return false;
    if (c->initial_client >= c->num_clients) {
        sv_puts(why, "initial client ");
        sv_putu(why, c->initial_client);
        sv_puts(why, " out of range");
        return false;
    }
    if (!ref_check(&c->driver, SERIAL_QUEUE_MIN_SIZE, &seen, driver, "driver", -1, why))
        return false;
    for (uint32_t i = 0; i < c->num_clients; i++)
        if (!ref_check(&c->clients[i], SERIAL_QUEUE_MIN_SIZE, &seen, &clients[i], "client", (int)i, why))
            return false;
    if (!names_check(c->names, c->num_clients, why))
        return false;
    return mode_check(&c->mode, &seen, mode, why);
}

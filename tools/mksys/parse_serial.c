/* <serial> and its <client>s. Only recorded (with their lines) here; serial_expand.c expands
 * them once the board is known. */
#include <stdlib.h>

#include "names.h"
#include "parse.h"
#include "serial.h"

static bool pow2(uint64_t v)
{
    return v && !(v & (v - 1));
}

/* on|off, the <serial> element's booleans. */
static int on_off(struct ctx *c, xmlNodePtr n, const char *attr, bool *out)
{
    char *s = NULL;
    if (xa_str(c->file, n, attr, false, &s))
        return -1;
    if (!s)
        return 0;
    int rc = 0;
    if (!strcmp(s, "on"))
        *out = true;
    else if (!strcmp(s, "off"))
        *out = false;
    else
        rc = err_at(c->file, xa_line(n), "<serial> attribute %s=\"%s\" must be \"on\" or \"off\"", attr, s);
    free(s);
    return rc;
}

static int priority(struct ctx *c, xmlNodePtr n, const char *attr, unsigned *out)
{
    uint64_t v = *out;
    if (xa_u64(c->file, n, attr, false, &v))
        return -1;
    if (v > 254)
        return err_at(c->file, xa_line(n), "<serial> %s %llu out of range 0..254", attr,
                      (unsigned long long)v);
    *out = (unsigned)v;
    return 0;
}

/* A ring's data size: a power of two in SERIAL_RING_MIN..SERIAL_RING_MAX (0 too if zero_ok). */
static int ring(struct ctx *c, xmlNodePtr n, const char *attr, bool zero_ok, uint32_t *out)
{
    uint64_t v = *out;
    if (xa_u64(c->file, n, attr, false, &v))
        return -1;
    if (zero_ok && v == 0) {
        *out = 0;
        return 0;
    }
    if (!pow2(v) || v < SERIAL_RING_MIN || v > SERIAL_RING_MAX)
        return err_at(c->file, xa_line(n), "<serial> %s 0x%llx must be a power of two in 0x%x..0x%x%s", attr,
                      (unsigned long long)v, SERIAL_RING_MIN, SERIAL_RING_MAX,
                      zero_ok ? ", or 0 for none" : "");
    *out = (uint32_t)v;
    return 0;
}

/* A client's name (default: its PD's) is what the banner, the prefix and a <virtio_console>
 * use; the length limit (SERIAL_NAME_LEN) is checked with the PD's name in serial_expand.c. */
static int client_name(struct ctx *c, xmlNodePtr ch, const struct sd_serial *s, const char *pd, char **name)
{
    long line = xa_line(ch);
    if (xa_str(c->file, ch, "name", false, name))
        return -1;
    if (!*name)
        *name = xstrdup(pd);
    else if (name_check(c->file, line, "serial client", *name, MR_NAME_MAX))
        return -1;
    for (size_t i = 0; i < s->clients.n; i++)
        if (!strcmp(s->clients.v[i].name, *name))
            return err_at(c->file, line, "<serial>: client name '%s' is already client %zu's (line %ld)",
                          *name, i, s->clients.v[i].line);
    return 0;
}

static int serial_child(struct ctx *c, xmlNodePtr parent, xmlNodePtr ch, void *arg)
{
    static const char *const attrs[] = { "pd", "name", NULL };
    struct sd_serial *s = &c->sys->serials.v[(size_t)(uintptr_t)arg];
    if (!is(ch, "client"))
        return unknown_child(c, parent, ch);
    long line = xa_line(ch);
    if (s->clients.n == SERIAL_MAX_CLIENTS)
        return err_at(c->file, line, "<serial> has more than %u clients", SERIAL_MAX_CLIENTS);
    char *pd = NULL, *name = NULL;
    int rc = xa_allowed(c->file, ch, attrs) || xa_str(c->file, ch, "pd", true, &pd) ||
             for_children(c, ch, NULL, NULL);
    /* A PD may be several clients (a VMM with a multiport console): serial_expand.c patches its
     * k-th into entry k of its serial_client_config[] and errors if the array is too short. */
    if (!rc)
        rc = client_name(c, ch, s, pd, &name);
    if (rc) {
        free(pd);
        free(name);
        return -1;
    }
    *VEC_PUSH(s->clients) = (struct sd_serial_client){ pd, name, line };
    return 0;
}

static int values(struct ctx *c, xmlNodePtr n, struct sd_serial *s)
{
    uint64_t baud = SERIAL_BAUD_DEFAULT, initial = 0;
    if (xa_str(c->file, n, "uart", false, &s->uart) || xa_u64(c->file, n, "baud", false, &baud) ||
        ring(c, n, "ring_size", false, &s->ring_size) || ring(c, n, "log_size", true, &s->log_size) ||
        on_off(c, n, "colour", &s->colour) || on_off(c, n, "prefix", &s->prefix) ||
        on_off(c, n, "banner", &s->banner) || priority(c, n, "driver_priority", &s->driver_priority) ||
        priority(c, n, "tx_priority", &s->tx_priority) || priority(c, n, "rx_priority", &s->rx_priority) ||
        parse_budget(c, n, "<serial>", "driver_budget", "driver_period", &s->driver_budget_us,
                     &s->driver_period_us) ||
        xa_u64(c->file, n, "initial_client", false, &initial))
        return -1;
    if (baud < SERIAL_BAUD_MIN || baud > SERIAL_BAUD_MAX)
        return err_at(c->file, s->line, "<serial> baud %llu out of range %u..%u", (unsigned long long)baud,
                      SERIAL_BAUD_MIN, SERIAL_BAUD_MAX);
    s->baud = (uint32_t)baud;
    s->log_size_set = xa_has(n, "log_size");
    /* checked against the number of clients once they are read */
    s->initial_client = initial > UINT32_MAX ? UINT32_MAX : (unsigned)initial;
    return 0;
}

int parse_serial(struct ctx *c, xmlNodePtr n)
{
    static const char *const attrs[] = { "uart",          "baud",        "ring_size",      "log_size",
                                         "colour",        "prefix",      "banner",         "driver_priority",
                                         "tx_priority",   "rx_priority", "initial_client", "driver_budget",
                                         "driver_period", NULL };
    size_t idx = c->sys->serials.n;
    struct sd_serial *s = VEC_PUSH(c->sys->serials);
    *s = (struct sd_serial){ .line = xa_line(n),
                             .ring_size = SERIAL_RING_DEFAULT,
                             .log_size = SERIAL_LOG_DEFAULT,
                             .colour = true,
                             .banner = true,
                             .driver_priority = SERIAL_DRIVER_PRIO,
                             .tx_priority = SERIAL_TX_PRIO,
                             .rx_priority = SERIAL_RX_PRIO };
    if (xa_allowed(c->file, n, attrs) || values(c, n, s) ||
        for_children(c, n, serial_child, (void *)(uintptr_t)idx))
        return -1;
    s = &c->sys->serials.v[idx];
    if (s->clients.n == 0)
        return err_at(c->file, s->line, "<serial> has no <client>");
    if (s->initial_client >= s->clients.n)
        return err_at(c->file, s->line, "<serial> initial_client %u out of range 0..%zu (its clients)",
                      s->initial_client, s->clients.n - 1);
    return 0;
}

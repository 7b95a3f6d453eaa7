/* <serial> -> PDs serial_driver, serial_tx and serial_rx; the UART's registers and IRQ in the
 * driver; one ring region per direction between the driver and each virtualiser and per
 * client; the channels; every PD's configuration (include/serial_config.h) as a patch of its
 * program; and the kernel's log ring, drained by serial_tx.
 *
 * Channel ids: the driver has the IRQ on 0, TX on 1 and RX on 2; each virtualiser has the
 * driver on 0 and client i on 1 + i (TX's log-ring slot follows its clients); a client gets the
 * two lowest ids it does not use itself, the first to TX, the second to RX. TX and RX share one
 * more region, framed mode's state (serial_config.h: struct serial_mode_shared), and a channel:
 * id 2 + n on TX (after its log-ring slot) and 1 + n on RX, n the number of clients. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pd_abi.h"
#include "serial.h"
#include "serial_queue.h"
#include "sysimg.h"

typedef unsigned long long ull;

struct sx {
    struct sd_system *sys;
    const struct board *b;
    struct sd_serial *s;
    struct serial_out *o;
};

#define SERR(x, ...) err_at((x)->sys->file, (x)->s->line, __VA_ARGS__)

static int find_pd(const struct sd_system *sys, const char *name)
{
    for (size_t i = 0; i < sys->pds.n; i++)
        if (!strcmp(sys->pds.v[i].name, name))
            return (int)i;
    return -1;
}

/* A region named base (or base_2, base_3, ... if that is taken). */
static size_t add_mr(struct sx *x, const char *base, uint64_t size, const char *source)
{
    char name[256];
    snprintf(name, sizeof name, "%s", base);
    for (int k = 2; sd_find_mr(x->sys, name) >= 0; k++)
        snprintf(name, sizeof name, "%s_%d", base, k);
    struct sd_mr *mr = VEC_PUSH(x->sys->mrs);
    mr->name = xstrdup(name);
    mr->size = size;
    mr->page_size = PAGE_4K;
    mr->line = x->s->line;
    mr->source = xstrdup(source);
    mr->from_serial = true;
    return (size_t)(mr - x->sys->mrs.v);
}

static uint64_t ring_region(uint32_t size)
{
    return align_up(SERIAL_QUEUE_DATA_OFFSET + (uint64_t)size, PAGE_4K);
}

/* Maps of one PD: one after another from SERIAL_VADDR, a guard page between them. */
struct cursor {
    uint64_t next;
};

static uint64_t map(struct sx *x, size_t pd, size_t mr, bool cached, long line, struct cursor *c)
{
    const struct sd_mr *r = &x->sys->mrs.v[mr];
    uint64_t vaddr = c->next;
    c->next += r->size + PAGE_4K;
    *VEC_PUSH(x->sys->pds.v[pd].maps) = (struct sd_map){ .mr_name = xstrdup(r->name),
                                                         .vaddr = vaddr,
                                                         .perms = SYSIMG_PERM_R | SYSIMG_PERM_W,
                                                         .cached = cached,
                                                         .line = line,
                                                         .from_serial = true };
    return vaddr;
}

static struct serial_queue_ref ref(const struct sx *x, size_t mr, uint64_t vaddr, uint32_t size, unsigned ch)
{
    return (struct serial_queue_ref){ vaddr, x->sys->mrs.v[mr].size, size, ch };
}

static void channel(struct sx *x, size_t a, unsigned aid, size_t b, unsigned bid, long line)
{
    struct sd_channel *c = VEC_PUSH(x->sys->chans);
    c->line = line;
    c->from_serial = true;
    c->end[0] =
        (struct sd_end){ .pd_name = xstrdup(x->sys->pds.v[a].name), .id = aid, .notify = true, .line = line };
    c->end[1] =
        (struct sd_end){ .pd_name = xstrdup(x->sys->pds.v[b].name), .id = bid, .notify = true, .line = line };
}

static void patch(struct sx *x, size_t pd, const char *symbol, const void *data, size_t len, size_t offset,
                  const char *why, long line)
{
    struct sd_patch *p = VEC_PUSH(x->sys->pds.v[pd].patches);
    p->offset = offset;
    p->symbol = xstrdup(symbol);
    p->data = xcalloc(1, len);
    memcpy(p->data, data, len);
    p->len = len;
    p->why = xstrdup(why);
    p->line = line;
}

static size_t add_pd(struct sx *x, const char *name, const char *program, unsigned priority)
{
    struct sd_pd *pd = VEC_PUSH(x->sys->pds);
    pd->name = xstrdup(name);
    pd->line = pd->image_line = x->s->line;
    pd->priority = priority;
    pd->stack_size = PD_STACK_SIZE_DEFAULT;
    pd->parent = -1;
    pd->vm = -1;
    pd->image = xstrdup(program);
    pd->from_serial = true;
    return (size_t)(pd - x->sys->pds.v);
}

/* Nothing but the driver may touch the UART: no region of the user or of a guest's
 * passthrough may cover its registers (the page-rounded range is what a map would give). */
static int check_uart_free(struct sx *x)
{
    const struct serial_uart *u = &x->o->uart;
    for (size_t i = 0; i < x->sys->mrs.n; i++) {
        const struct sd_mr *mr = &x->sys->mrs.v[i];
        if (!mr->fixed || !ranges_overlap(mr->phys_addr, mr->size, u->map_base, u->map_size))
            continue;
        bool pt = mr->source && !strncmp(mr->source, "registers of ", 13);
        return err_at(
            x->sys->file, mr->line,
            "%s '%s' (0x%llx-0x%llx) covers the registers of UART %s, which the <serial> on line %ld "
            "gives to its driver alone",
            pt ? "<passthrough> region" : "memory region", mr->name, (ull)mr->phys_addr,
            (ull)(mr->phys_addr + mr->size), u->path, x->s->line);
    }
    return 0;
}

static int check_names(struct sx *x)
{
    static const char *const reserved[] = { SERIAL_DRIVER_PD, SERIAL_TX_PD, SERIAL_RX_PD };
    for (size_t k = 0; k < 3; k++) {
        int pd = find_pd(x->sys, reserved[k]);
        if (pd >= 0)
            return err_at(x->sys->file, x->sys->pds.v[pd].line,
                          "PD name '%s' is taken by the <serial> on line %ld, which makes a PD of that name",
                          reserved[k], x->s->line);
    }
    if (x->sys->pds.n + 3 > SYSIMG_MAX_PDS)
        return SERR(x, "<serial>: its 3 PDs and the %zu others are more than the %u supported", x->sys->pds.n,
                    SYSIMG_MAX_PDS);
    for (size_t i = 0; i < x->s->clients.n; i++) {
        const struct sd_serial_client *c = &x->s->clients.v[i];
        int pd = find_pd(x->sys, c->pd_name);
        if (pd < 0)
            return err_at(x->sys->file, c->line, "<client> refers to unknown protection domain '%s'",
                          c->pd_name);
        if (strlen(c->name) >= SERIAL_NAME_LEN)
            return err_at(x->sys->file, c->line,
                          "<client> '%s': a serial client's name must be at most %u characters", c->name,
                          SERIAL_NAME_LEN - 1);
        x->o->client_pd[i] = (size_t)pd;
    }
    return 0;
}

/* The two lowest channel ids the client does not use itself (its IRQs and channel ends). */
static int client_ids(struct sx *x, size_t i, unsigned ids[2])
{
    const struct sd_pd *pd = &x->sys->pds.v[x->o->client_pd[i]];
    bool used[SYSIMG_MAX_CHANNELS] = { false };
    for (size_t j = 0; j < pd->irqs.n; j++)
        used[pd->irqs.v[j].id] = true;
    for (size_t j = 0; j < x->sys->chans.n; j++)
        for (int e = 0; e < 2; e++)
            if (!strcmp(x->sys->chans.v[j].end[e].pd_name, pd->name) &&
                x->sys->chans.v[j].end[e].id < SYSIMG_MAX_CHANNELS)
                used[x->sys->chans.v[j].end[e].id] = true;
    unsigned n = 0;
    for (unsigned id = 0; id < SYSIMG_MAX_CHANNELS && n < 2; id++)
        if (!used[id])
            ids[n++] = id;
    if (n < 2)
        return err_at(x->sys->file, x->s->clients.v[i].line,
                      "<serial>: client '%s' has no two free channel ids left for the serial rings",
                      pd->name);
    return 0;
}

/* The client's own maps must leave the serial window free. */
static int check_client_window(struct sx *x, size_t i, uint64_t end)
{
    const struct sd_pd *pd = &x->sys->pds.v[x->o->client_pd[i]];
    for (size_t j = 0; j < pd->maps.n; j++) {
        const struct sd_map *m = &pd->maps.v[j];
        int r = sd_find_mr(x->sys, m->mr_name);
        if (m->from_serial || r < 0) /* an unknown region is sd_resolve's error */
            continue;
        uint64_t size = x->sys->mrs.v[r].size;
        if (m->vaddr < ADDR_LIMIT && ranges_overlap(m->vaddr, size, SERIAL_VADDR, end - SERIAL_VADDR))
            return err_at(
                x->sys->file, x->s->clients.v[i].line,
                "<serial>: client '%s' maps '%s' at 0x%llx-0x%llx (line %ld), where the serial rings go "
                "(0x%llx-0x%llx)",
                pd->name, x->sys->mrs.v[r].name, (ull)m->vaddr, (ull)(m->vaddr + size), m->line,
                (ull)SERIAL_VADDR, (ull)end);
    }
    return 0;
}

static int check_values(struct sx *x)
{
    const struct serial_uart *u = &x->o->uart;
    if ((uint64_t)x->s->baud * 16 > u->ref_clock_hz)
        return SERR(x,
                    "<serial> baud %u is more than the UART's reference clock of %llu Hz allows (clock / 16)",
                    x->s->baud, (ull)u->ref_clock_hz);
    if (x->s->log_size_set && x->s->log_size && !u->is_console)
        return SERR(x,
                    "<serial> log_size: the kernel's log ring needs the kernel's console UART (/chosen "
                    "stdout-path), and %s is not it (use log_size=\"0\")",
                    u->path);
    return 0;
}

/* Where client i's PD maps its rings: after those of its earlier clients. */
static uint64_t pd_maps_from(const struct sx *x, size_t i, const uint64_t *next)
{
    uint64_t from = SERIAL_VADDR;
    for (size_t j = 0; j < i; j++)
        if (x->o->client_pd[j] == x->o->client_pd[i])
            from = next[j];
    return from;
}

static int make_clients(struct sx *x, struct cursor *ctx, struct cursor *crx)
{
    struct sd_serial *s = x->s;
    struct serial_out *o = x->o;
    uint64_t next[SERIAL_MAX_CLIENTS]; /* where client i's PD maps on after client i's rings */
    for (size_t i = 0; i < s->clients.n; i++) {
        size_t pd = o->client_pd[i];
        const char *name = s->clients.v[i].name;
        unsigned ids[2];
        char mrname[128], source[128];
        if (client_ids(x, i, ids))
            return -1;
        snprintf(mrname, sizeof mrname, "serial_tx_%s", name);
        snprintf(source, sizeof source, "serial ring: output of client '%s'", name);
        o->tx_mr[i] = add_mr(x, mrname, ring_region(s->ring_size), source);
        snprintf(mrname, sizeof mrname, "serial_rx_%s", name);
        snprintf(source, sizeof source, "serial ring: input of client '%s'", name);
        o->rx_mr[i] = add_mr(x, mrname, ring_region(s->ring_size), source);
        long line = s->clients.v[i].line;
        struct cursor own = { pd_maps_from(x, i, next) };
        size_t k = sd_serial_pd_slot(s, i); /* entry k of the PD's serial_client_config[] */
        uint64_t vt = map(x, pd, o->tx_mr[i], true, line, &own),
                 vr = map(x, pd, o->rx_mr[i], true, line, &own);
        next[i] = own.next;
        if (check_client_window(x, i, own.next))
            return -1;
        uint64_t tv = map(x, o->tx_pd, o->tx_mr[i], true, line, ctx);
        uint64_t rv = map(x, o->rx_pd, o->rx_mr[i], true, line, crx);
        unsigned vid = 1 + (unsigned)i;
        channel(x, pd, ids[0], o->tx_pd, vid, line);
        channel(x, pd, ids[1], o->rx_pd, vid, line);
        o->tx.clients[i] = ref(x, o->tx_mr[i], tv, s->ring_size, vid);
        o->rx.clients[i] = ref(x, o->rx_mr[i], rv, s->ring_size, vid);
        snprintf(o->tx.names[i], SERIAL_NAME_LEN, "%s", name);
        snprintf(o->rx.names[i], SERIAL_NAME_LEN, "%s", name);
        struct serial_client_config *c = &o->client[i];
        *c = (struct serial_client_config){ .magic = SERIAL_CLIENT_MAGIC,
                                            .version = SERIAL_CONFIG_VERSION,
                                            .index = (uint32_t)i,
                                            .tx = ref(x, o->tx_mr[i], vt, s->ring_size, ids[0]),
                                            .rx = ref(x, o->rx_mr[i], vr, s->ring_size, ids[1]) };
        snprintf(c->name, sizeof c->name, "%s", name);
        char why[128];
        if (k == 0)
            snprintf(why, sizeof why, "client %zu of the <serial> on line %ld", i, s->line);
        else
            snprintf(why, sizeof why, "client %zu of the <serial> on line %ld and its own client %zu", i,
                     s->line, k);
        patch(x, pd, "serial_client_config", c, sizeof *c, k * sizeof *c, why, line);
    }
    return 0;
}

static int expand(struct sx *x)
{
    struct sd_serial *s = x->s;
    struct serial_out *o = x->o;
    const struct serial_uart *u = &o->uart;
    if (check_values(x) || check_uart_free(x) || check_names(x))
        return -1;
    o->driver_pd = add_pd(x, SERIAL_DRIVER_PD, u->drv->program, s->driver_priority);
    x->sys->pds.v[o->driver_pd].budget_us = s->driver_budget_us;
    x->sys->pds.v[o->driver_pd].period_us = s->driver_period_us;
    o->tx_pd = add_pd(x, SERIAL_TX_PD, SERIAL_TX_ELF, s->tx_priority);
    o->rx_pd = add_pd(x, SERIAL_RX_PD, SERIAL_RX_ELF, s->rx_priority);
    char source[200];
    snprintf(source, sizeof source, "registers of UART %s", u->path);
    o->uart_mr = add_mr(x, "serial_uart", u->map_size, source);
    struct sd_mr *um = &x->sys->mrs.v[o->uart_mr];
    um->fixed = true;
    um->phys_addr = um->pa = u->map_base;
    o->drv_tx_mr =
        add_mr(x, "serial_drv_tx", ring_region(s->ring_size), "serial ring: serial_tx to the driver");
    o->drv_rx_mr =
        add_mr(x, "serial_drv_rx", ring_region(s->ring_size), "serial ring: the driver to serial_rx");

    struct cursor cd = { SERIAL_VADDR }, ctx = { SERIAL_VADDR }, crx = { SERIAL_VADDR };
    uint64_t regs = map(x, o->driver_pd, o->uart_mr, false, s->line, &cd);
    uint64_t dtx = map(x, o->driver_pd, o->drv_tx_mr, true, s->line, &cd);
    uint64_t drx = map(x, o->driver_pd, o->drv_rx_mr, true, s->line, &cd);
    *VEC_PUSH(x->sys->pds.v[o->driver_pd].irqs) = (struct sd_irq){ u->intid, 0, u->edge, s->line };
    channel(x, o->driver_pd, 1, o->tx_pd, 0, s->line);
    channel(x, o->driver_pd, 2, o->rx_pd, 0, s->line);
    o->drv = (struct serial_driver_config){ .magic = SERIAL_DRIVER_MAGIC,
                                            .version = SERIAL_CONFIG_VERSION,
                                            .regs_vaddr = regs + (u->reg_base - u->map_base),
                                            .regs_size = u->reg_size,
                                            .ref_clock_hz = u->ref_clock_hz,
                                            .baud = s->baud,
                                            .irq_channel = 0,
                                            .tx = ref(x, o->drv_tx_mr, dtx, s->ring_size, 1),
                                            .rx = ref(x, o->drv_rx_mr, drx, s->ring_size, 2) };

    o->tx = (struct serial_tx_config){ .magic = SERIAL_TX_MAGIC,
                                       .version = SERIAL_CONFIG_VERSION,
                                       .flags = (s->colour ? SERIAL_TX_F_COLOUR : 0) |
                                                (s->prefix ? SERIAL_TX_F_PREFIX : 0) |
                                                (s->banner ? SERIAL_TX_F_BANNER : 0),
                                       .num_clients = (uint32_t)s->clients.n };
    o->tx.driver = ref(x, o->drv_tx_mr, map(x, o->tx_pd, o->drv_tx_mr, true, s->line, &ctx), s->ring_size, 0);
    o->rx = (struct serial_rx_config){ .magic = SERIAL_RX_MAGIC,
                                       .version = SERIAL_CONFIG_VERSION,
                                       .num_clients = (uint32_t)s->clients.n,
                                       .initial_client = s->initial_client };
    o->rx.driver = ref(x, o->drv_rx_mr, map(x, o->rx_pd, o->drv_rx_mr, true, s->line, &crx), s->ring_size, 0);
    if (s->log_size && u->is_console) {
        unsigned id = 1 + (unsigned)s->clients.n;
        o->has_log = true;
        o->log_mr = add_mr(x, "serial_log", ring_region(s->log_size), "serial ring: the kernel's log");
        o->tx.log = ref(x, o->log_mr, map(x, o->tx_pd, o->log_mr, true, s->line, &ctx), s->log_size, id);
        x->sys->pds.v[o->tx_pd].has_klog = true;
        x->sys->pds.v[o->tx_pd].klog_id = id;
    }
    if (make_clients(x, &ctx, &crx))
        return -1;
    {
        unsigned tid = 2 + (unsigned)s->clients.n, rid = 1 + (unsigned)s->clients.n;
        o->mode_mr = add_mr(x, "serial_mode", PAGE_4K, "serial: framed mode's state, serial_rx to serial_tx");
        uint64_t tv = map(x, o->tx_pd, o->mode_mr, true, s->line, &ctx);
        uint64_t rv = map(x, o->rx_pd, o->mode_mr, true, s->line, &crx);
        channel(x, o->tx_pd, tid, o->rx_pd, rid, s->line);
        o->tx.mode = (struct serial_mode_ref){ tv, PAGE_4K, tid, 0 };
        o->rx.mode = (struct serial_mode_ref){ rv, PAGE_4K, rid, 0 };
    }
    char why[128];
    snprintf(why, sizeof why, "the driver of the <serial> on line %ld", s->line);
    patch(x, o->driver_pd, "serial_driver_config", &o->drv, sizeof o->drv, 0, why, s->line);
    snprintf(why, sizeof why, "the TX virtualiser of the <serial> on line %ld", s->line);
    patch(x, o->tx_pd, "serial_tx_config", &o->tx, sizeof o->tx, 0, why, s->line);
    snprintf(why, sizeof why, "the RX virtualiser of the <serial> on line %ld", s->line);
    patch(x, o->rx_pd, "serial_rx_config", &o->rx, sizeof o->rx, 0, why, s->line);
    return 0;
}

int serials_expand(struct sd_system *sys, const struct board *b)
{
    for (size_t i = 0; i < sys->serials.n; i++) {
        struct sd_serial *s = &sys->serials.v[i];
        s->out = xcalloc(1, sizeof *s->out);
        struct sx x = { sys, b, s, s->out };
        if (serial_uart_read(sys, s, b, &s->out->uart))
            return -1;
        if (i > 0 && s->out->uart.node == sys->serials.v[0].out->uart.node)
            return SERR(&x, "<serial>: UART %s already belongs to the <serial> on line %ld",
                        s->out->uart.path, sys->serials.v[0].line);
        if (i > 0)
            return SERR(&x, "only one <serial> per system is supported (the first is on line %ld)",
                        sys->serials.v[0].line);
        if (expand(&x))
            return -1;
    }
    return 0;
}

void serial_free(struct sd_serial *s)
{
    free(s->uart);
    for (size_t i = 0; i < s->clients.n; i++) {
        free(s->clients.v[i].pd_name);
        free(s->clients.v[i].name);
    }
    free(s->clients.v);
    free(s->out);
}

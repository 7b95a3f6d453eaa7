/* --emit-system for a <serial>: the element itself with every attribute written out (mksys
 * expands it again, identically, when it reads the emitted file: the configurations it patches
 * cannot be said in Microkit XML), then what it expanded into, as a comment: the PDs, regions,
 * the clients' maps, the channels and every configuration's values. */
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "serial.h"

#define X(v) ((unsigned long long)(v))

static void ref(FILE *f, const char *what, const struct serial_queue_ref *r)
{
    fprintf(f, "         %-10s vaddr 0x%llx region_size 0x%llx size 0x%x channel %u\n", what, X(r->vaddr),
            X(r->region_size), r->size, r->channel);
}

static void configs(FILE *f, const struct sd_system *sys, const struct serial_out *o)
{
    const struct serial_driver_config *d = &o->drv;
    fprintf(f, "    serial_driver_config of '%s' (include/serial_config.h):\n",
            sys->pds.v[o->driver_pd].name);
    fprintf(
        f,
        "         regs_vaddr 0x%llx regs_size 0x%llx ref_clock_hz %llu baud %u irq_channel %u flags 0x%x\n",
        X(d->regs_vaddr), X(d->regs_size), X(d->ref_clock_hz), d->baud, d->irq_channel, d->flags);
    ref(f, "tx", &d->tx);
    ref(f, "rx", &d->rx);
    const struct serial_tx_config *t = &o->tx;
    fprintf(f, "    serial_tx_config of '%s': flags 0x%x (colour %s, prefix %s, banner %s) num_clients %u\n",
            sys->pds.v[o->tx_pd].name, t->flags, (t->flags & SERIAL_TX_F_COLOUR) ? "on" : "off",
            (t->flags & SERIAL_TX_F_PREFIX) ? "on" : "off", (t->flags & SERIAL_TX_F_BANNER) ? "on" : "off",
            t->num_clients);
    ref(f, "driver", &t->driver);
    ref(f, "log", &t->log);
    for (uint32_t i = 0; i < t->num_clients; i++) {
        char what[48];
        snprintf(what, sizeof what, "client %u '%s'", i, t->names[i]);
        ref(f, what, &t->clients[i]);
    }
    const struct serial_rx_config *r = &o->rx;
    fprintf(f, "    serial_rx_config of '%s': num_clients %u initial_client %u\n", sys->pds.v[o->rx_pd].name,
            r->num_clients, r->initial_client);
    ref(f, "driver", &r->driver);
    for (uint32_t i = 0; i < r->num_clients; i++) {
        char what[48];
        snprintf(what, sizeof what, "client %u '%s'", i, r->names[i]);
        ref(f, what, &r->clients[i]);
    }
    for (uint32_t i = 0; i < t->num_clients; i++) {
        const struct serial_client_config *c = &o->client[i];
        fprintf(f, "    serial_client_config of '%s': index %u name %s\n", sys->pds.v[o->client_pd[i]].name,
                c->index, c->name);
        ref(f, "tx", &c->tx);
        ref(f, "rx", &c->rx);
    }
}

static void expansion(FILE *f, const struct sd_system *sys, const struct sd_serial *s)
{
    const struct serial_out *o = s->out;
    fprintf(f,
            "    The <serial> above expands into (UART %s, INTID %u, %s; reference clock %llu Hz from %s):\n",
            o->uart.path, o->uart.intid, o->uart.edge ? "edge" : "level", X(o->uart.ref_clock_hz),
            o->uart.clock_source);
    for (size_t i = 0; i < sys->mrs.n; i++) {
        const struct sd_mr *mr = &sys->mrs.v[i];
        if (!mr->from_serial)
            continue;
        fputs("    <memory_region", f);
        emit_attr(f, "name", mr->name);
        fprintf(f, " size=\"0x%llx\"", X(mr->size));
        if (mr->fixed)
            fprintf(f, " phys_addr=\"0x%llx\"", X(mr->phys_addr));
        fprintf(f, " />  (%s)\n", mr->source);
    }
    const size_t pds[] = { o->driver_pd, o->tx_pd, o->rx_pd };
    for (size_t k = 0; k < 3; k++)
        emit_pd(f, sys, pds[k], 1);
    for (size_t i = 0; i < s->clients.n; i++) {
        const struct sd_pd *pd = &sys->pds.v[o->client_pd[i]];
        fprintf(f, "    in PD '%s' (client %zu):\n", pd->name, i);
        for (size_t j = 0; j < pd->maps.n; j++)
            if (pd->maps.v[j].from_serial)
                emit_map(f, "        ", &pd->maps.v[j]);
    }
    for (size_t i = 0; i < sys->chans.n; i++)
        if (sys->chans.v[i].from_serial)
            emit_channel(f, &sys->chans.v[i]);
    if (o->has_log)
        fprintf(f, "    kernel log ring: region '%s' (%u data bytes), drained by '%s' on its channel %u\n",
                sys->mrs.v[o->log_mr].name, o->tx.log.size, sys->pds.v[o->tx_pd].name, o->tx.log.channel);
    else
        fprintf(f, "    kernel log ring: none%s\n",
                o->uart.is_console ? " (log_size 0)" : " (not the console UART)");
    configs(f, sys, o);
}

/* text inside <!-- -->: lines kept, "--" broken up, anything but printable ASCII as '?'. */
static void comment_block(FILE *f, const char *text)
{
    fputs("    <!--\n", f);
    for (const char *p = text; *p; p++) {
        fputc(*p == '\n' || (*p >= 0x20 && *p < 0x7f) ? *p : '?', f);
        if (*p == '-' && (p[1] == '-' || !p[1]))
            fputc(' ', f);
    }
    fputs("    -->\n", f);
}

static void element(FILE *f, const struct sd_serial *s)
{
    fputs("    <serial", f);
    if (s->uart)
        emit_attr(f, "uart", s->uart);
    fprintf(f, " baud=\"%u\" ring_size=\"0x%x\"", s->baud, s->ring_size);
    if (s->log_size_set) /* unset, it depends on the UART being the console */
        fprintf(f, " log_size=\"0x%x\"", s->log_size);
    fprintf(f, " colour=\"%s\" prefix=\"%s\" banner=\"%s\"", s->colour ? "on" : "off",
            s->prefix ? "on" : "off", s->banner ? "on" : "off");
    fprintf(f, " driver_priority=\"%u\" tx_priority=\"%u\" rx_priority=\"%u\"", s->driver_priority,
            s->tx_priority, s->rx_priority);
    if (s->driver_budget_us != 0)
        fprintf(f, " driver_budget=\"%u\" driver_period=\"%u\"", s->driver_budget_us, s->driver_period_us);
    fprintf(f, " initial_client=\"%u\">\n", s->initial_client);
    for (size_t i = 0; i < s->clients.n; i++) {
        fputs("        <client", f);
        emit_attr(f, "pd", s->clients.v[i].pd_name);
        if (strcmp(s->clients.v[i].name, s->clients.v[i].pd_name)) /* the default reads back the same */
            emit_attr(f, "name", s->clients.v[i].name);
        fputs(" />\n", f);
    }
    fputs("    </serial>\n", f);
}

void emit_serials(FILE *f, const struct sd_system *sys)
{
    for (size_t i = 0; i < sys->serials.n; i++) {
        const struct sd_serial *s = &sys->serials.v[i];
        element(f, s);
        if (!s->out)
            continue;
        char *text = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&text, &len);
        if (!m)
            abort();
        expansion(m, sys, s);
        if (fclose(m))
            abort();
        comment_block(f, text);
        free(text);
    }
}

/* The serial section of --report: the UART and where its facts came from, the clients with
 * their numbers and channel ids, and every ring with its physical and virtual addresses. */
#include <string.h>

#include "serial.h"

#define X(v) ((unsigned long long)(v))

static void ring(FILE *f, const struct sd_system *sys, const char *what, size_t mr,
                 const struct serial_queue_ref *r)
{
    const struct sd_mr *m = &sys->mrs.v[mr];
    fprintf(f, "  %-28s region %-22s PA 0x%-10llx 0x%llx bytes, data 0x%x\n", what, m->name, X(m->pa),
            X(m->size), r->size);
}

void report_serials(FILE *f, const struct sd_system *sys)
{
    for (size_t i = 0; i < sys->serials.n; i++) {
        const struct sd_serial *s = &sys->serials.v[i];
        const struct serial_out *o = s->out;
        const struct serial_uart *u = &o->uart;
        fprintf(f, "\nserial (<serial> line %ld)\n", s->line);
        fprintf(f, "  UART         %s (compatible \"%s\"), registers 0x%llx (0x%llx bytes)%s\n", u->path,
                u->compatible, X(u->reg_base), X(u->reg_size), u->is_console ? ", the kernel's console" : "");
        fprintf(f, "  IRQ          INTID %u (%s) on driver channel %u\n", u->intid,
                u->edge ? "edge" : "level", o->drv.irq_channel);
        fprintf(f, "  driver       PD '%s' program %s, baud %u 8N1\n", sys->pds.v[o->driver_pd].name,
                u->drv->program, o->drv.baud);
        fprintf(f, "  ref clock    %llu Hz from %s\n", X(u->ref_clock_hz), u->clock_source);
        fprintf(f,
                "  virtualisers PD '%s' (TX, colour %s, prefix %s, banner %s), PD '%s' (RX, input first to "
                "client %u)\n",
                sys->pds.v[o->tx_pd].name, (o->tx.flags & SERIAL_TX_F_COLOUR) ? "on" : "off",
                (o->tx.flags & SERIAL_TX_F_PREFIX) ? "on" : "off",
                (o->tx.flags & SERIAL_TX_F_BANNER) ? "on" : "off", sys->pds.v[o->rx_pd].name,
                o->rx.initial_client);
        for (size_t k = 0; k < s->clients.n; k++) {
            const char *pd = sys->pds.v[o->client_pd[k]].name, *name = s->clients.v[k].name;
            fprintf(f, "  client %-2zu    PD '%s'", k, pd);
            if (strcmp(name, pd))
                fprintf(f, " named '%s'", name);
            fprintf(f, ": channel %u to TX (its %u), channel %u to RX (its %u)\n", o->client[k].tx.channel,
                    o->tx.clients[k].channel, o->client[k].rx.channel, o->rx.clients[k].channel);
        }
        ring(f, sys, "ring TX -> driver", o->drv_tx_mr, &o->drv.tx);
        ring(f, sys, "ring driver -> RX", o->drv_rx_mr, &o->drv.rx);
        for (size_t k = 0; k < s->clients.n; k++) {
            char what[64];
            snprintf(what, sizeof what, "ring %s -> TX", o->client[k].name);
            ring(f, sys, what, o->tx_mr[k], &o->client[k].tx);
            snprintf(what, sizeof what, "ring RX -> %s", o->client[k].name);
            ring(f, sys, what, o->rx_mr[k], &o->client[k].rx);
        }
        fprintf(f, "  framed mode  region '%s' (RX writes, TX reads), TX channel %u to RX channel %u\n",
                sys->mrs.v[o->mode_mr].name, o->tx.mode.channel, o->rx.mode.channel);
        if (o->has_log)
            ring(f, sys, "kernel log ring -> TX", o->log_mr, &o->tx.log);
        else
            fprintf(f, "  kernel log   none (%s)\n",
                    u->is_console ? "log_size 0" : "the UART is not the console");
        if (o->has_log)
            fprintf(f,
                    "  kernel log   TX channel %u (KLOG); the kernel writes the UART only until '%s' runs\n",
                    o->tx.log.channel, sys->pds.v[o->driver_pd].name);
    }
}

/* The TX virtualiser from its configuration (tx_setup.h). */
#include "tx_setup.h"

#include "config_check.h"

bool tx_setup(struct tx_mux *m, const struct serial_tx_config *c, char *banner, struct sv_text *why)
{
    struct serial_queue_handle driver, log, clients[SERIAL_MAX_CLIENTS];
    struct serial_mode_shared *mode;
    if (!sv_tx_config_check(c, &driver, &log, clients, &mode, why))
        return false;
    tx_mux_init(m, &driver, c->flags);
    tx_mux_set_mode(m, mode);
    for (uint32_t i = 0; i < c->num_clients; i++)
        (void)tx_mux_add(m, &clients[i], c->names[i], i, true);
    if (c->log.size != 0)
        (void)tx_mux_add(m, &log, NULL, TX_NONE, false);
    if (c->flags & SERIAL_TX_F_BANNER) {
        uint32_t len = tx_banner(banner, TX_BANNER_MAX, c);
        tx_mux_say_first(m, (const uint8_t *)banner, len);
    }
    return true;
}

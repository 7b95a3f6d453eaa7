/* The RX virtualiser from its configuration (rx_setup.h). */
#include "rx_setup.h"

#include "config_check.h"

bool rx_setup(struct rx_route *r, const struct serial_rx_config *c, struct sv_text *why)
{
    struct serial_queue_handle driver, clients[SERIAL_MAX_CLIENTS];
    struct serial_mode_shared *mode;
    if (!sv_rx_config_check(c, &driver, clients, &mode, why))
        return false;
    rx_route_init(r, &driver, c->initial_client);
    rx_route_set_mode(r, mode);
    for (uint32_t i = 0; i < c->num_clients; i++)
        (void)rx_route_add(r, &clients[i], c->names[i]);
    return true;
}

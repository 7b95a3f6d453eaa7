/* The RX virtualiser from its configuration (rx_setup.h). */
#include "rx_setup.h"

#include "config_check.h"

bool rx_setup(struct rx_route *r, const struct serial_rx_config *c, struct sv_text *why)
{
    struct serial_queue_handle driver, clients[SERIAL_MAX_CLIENTS];
    if (!sv_rx_config_check(c, &driver, clients, why))
        return false;
    rx_route_init(r, &driver, c->initial_client);
    for (uint32_t i = 0; i < c->num_clients; i++)
        (void)rx_route_add(r, &clients[i], c->names[i]);
    return true;
}

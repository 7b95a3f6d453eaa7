/* The RX virtualiser from its configuration: the checks (config_check.h) and one router client
 * per configured client. No microkit calls. */
#ifndef SERIAL_VIRT_RX_SETUP_H
#define SERIAL_VIRT_RX_SETUP_H

#include <stdbool.h>

#include "rx_route.h"
#include "serial_config.h"
#include "text.h"

/* Sets up *r from *c; false, with the reason in *why, when the configuration is unusable. */
bool rx_setup(struct rx_route *r, const struct serial_rx_config *c, struct sv_text *why);

#endif

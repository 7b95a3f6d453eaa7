/* Sending the notifications a virtualiser's logic asked for (both PDs' glue): one to each client
 * whose bit is set, then one to the driver, the last of them deferred so that it rides on the
 * kernel entry that waits for the next event. */
#ifndef SERIAL_VIRT_WAKE_H
#define SERIAL_VIRT_WAKE_H

#include <stdbool.h>
#include <stdint.h>

#include <microkit.h>

#include "serial_config.h"

static inline void sv_send_wakes(uint32_t client_bits, const struct serial_queue_ref *clients, uint32_t n,
                                 bool driver, const struct serial_queue_ref *drv)
{
    int last = -1;
    for (uint32_t i = 0; i < n; i++) {
        if (!((client_bits >> i) & 1u))
            continue;
        if (last >= 0)
            microkit_notify((microkit_channel)last);
        last = (int)clients[i].channel;
    }
    if (driver) {
        if (last >= 0)
            microkit_notify((microkit_channel)last);
        last = (int)drv->channel;
    }
    if (last >= 0)
        microkit_deferred_notify((microkit_channel)last);
}

#endif

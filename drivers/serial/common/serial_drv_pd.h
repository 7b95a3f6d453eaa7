/*
 * The PD glue every UART driver shares: the config symbol, init and notified in terms of the
 * driver core. A driver's own PD file is init() and notified() calling these with its ops.
 */
#ifndef SERIAL_DRV_PD_H
#define SERIAL_DRV_PD_H

#include <microkit.h>

#include "uart_ops.h"

void serial_drv_pd_init(const struct uart_ops *ops);
void serial_drv_pd_notified(microkit_channel ch);

#endif

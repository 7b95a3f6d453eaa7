/*
 * Checks of the configuration structs the image tool patched into serial_tx and serial_rx
 * (serial_config.h). The configuration is checked like any input from outside: every ring must
 * be a power-of-two data area that fits its region without any sum wrapping, every channel id
 * must exist and be used once, every name must be terminated. No microkit calls: the host tests
 * run these on hostile configurations.
 */
#ifndef SERIAL_VIRT_CONFIG_CHECK_H
#define SERIAL_VIRT_CONFIG_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "serial_config.h"
#include "serial_queue.h"
#include "text.h"

/* The driver's TX ring must hold the largest decoration TX puts before one byte (tx_mux.h). */
#define SV_DRIVER_TX_MIN_SIZE 128u

/*
 * Each returns true when the configuration is usable, having set up one queue handle per ring
 * (driver, log when log.size != 0, clients[0 .. num_clients-1]) and *mode to framed mode's shared
 * region (NULL when the configuration has none). Otherwise it returns false and
 * appends what is wrong to *why (one line, no newline); the handles must then not be used.
 */
bool sv_tx_config_check(const struct serial_tx_config *c, struct serial_queue_handle *driver,
                        struct serial_queue_handle *log, struct serial_queue_handle *clients,
                        struct serial_mode_shared **mode, struct sv_text *why);
bool sv_rx_config_check(const struct serial_rx_config *c, struct serial_queue_handle *driver,
                        struct serial_queue_handle *clients, struct serial_mode_shared **mode,
                        struct sv_text *why);

#endif

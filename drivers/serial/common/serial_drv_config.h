/*
 * The checks a driver PD makes on its serial_driver_config (serial_config.h) before it touches
 * the UART. The config comes from the image tool, but is treated as hostile all the same.
 */
#ifndef SERIAL_DRV_CONFIG_H
#define SERIAL_DRV_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "serial_config.h"

/*
 * 0 when cfg can be used by a driver whose registers span frame_size bytes; otherwise -1, with
 * the reason (one line, no newline) in why. Checks magic and version, the flags, the register
 * frame, the channels, both rings (when the RX side is on) and that no two regions overlap,
 * and that baud and ref_clock_hz are non-zero and in range. Whether the baud rate can be
 * reached from the clock is the UART's own question (uart_ops.baud).
 */
int serial_drv_config_check(const struct serial_driver_config *cfg, uint64_t frame_size, char *why,
                            size_t why_len);

#endif

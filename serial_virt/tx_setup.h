/*
 * The TX virtualiser from its configuration: the checks (config_check.h), one mux source per
 * client (colour by number) and one for the kernel's log (no colour, no prefix, never notified),
 * and the banner. No microkit calls.
 */
#ifndef SERIAL_VIRT_TX_SETUP_H
#define SERIAL_VIRT_TX_SETUP_H

#include <stdbool.h>
#include <stdint.h>

#include "serial_config.h"
#include "text.h"
#include "tx_mux.h"

/* Holds the banner of SERIAL_MAX_CLIENTS clients with the longest names in colour (1022 bytes;
 * the host test checks it is not cut). */
#define TX_BANNER_MAX 1536u

/* The banner for configuration c (checked already): its length in buf (NUL-terminated). */
uint32_t tx_banner(char *buf, uint32_t cap, const struct serial_tx_config *c);

/*
 * Sets up *m from *c. With SERIAL_TX_F_BANNER the banner is written to banner (TX_BANNER_MAX
 * bytes, which must outlive its sending) and goes out first. Returns false, with the reason in
 * *why, when the configuration is unusable; *m must then not be run.
 */
bool tx_setup(struct tx_mux *m, const struct serial_tx_config *c, char *banner, struct sv_text *why);

#endif

/*
 * The driver PD: checks serial_driver_config, programs the UART, prints one line of registers
 * read back, then turns interrupts and the virtualisers' notifications into driver-core calls
 * and the core's answers into notifications. A config it refuses gets one line and nothing else.
 */
#include <inttypes.h>
#include <stdio.h>

#include "serial_drv.h"
#include "serial_drv_config.h"
#include "serial_drv_pd.h"

/* Patched by the image tool (serial_config.h). */
struct serial_driver_config serial_driver_config __attribute__((section(".data")));

static struct serial_drv drv;
static bool running;
static char line[256];

static void perform(unsigned act)
{
    const struct serial_driver_config *cfg = &serial_driver_config;
    if (act & SERIAL_DRV_NOTIFY_RX)
        microkit_deferred_notify(cfg->rx.channel);
    if (act & SERIAL_DRV_NOTIFY_TX)
        microkit_deferred_notify(cfg->tx.channel);
    if (act & SERIAL_DRV_REPORT) {
        serial_drv_error_line(&drv, line, sizeof(line));
        microkit_dbg_puts(line);
    }
}

void serial_drv_pd_init(const struct uart_ops *ops)
{
    const struct serial_driver_config *cfg = &serial_driver_config;
    char why[160];
    struct uart_baud b;
    unsigned act;

    if (serial_drv_config_check(cfg, ops->frame_size, why, sizeof(why)) != 0) {
        snprintf(line, sizeof(line), "%s: config refused, not starting: %s\n", ops->name, why);
        microkit_dbg_puts(line);
        return;
    }
    if (ops->baud(cfg->ref_clock_hz, cfg->baud, &b) != 0) {
        snprintf(line, sizeof(line),
                 "%s: config refused, not starting: baud %" PRIu32 " cannot be reached from %" PRIu64 " Hz\n",
                 ops->name, cfg->baud, cfg->ref_clock_hz);
        microkit_dbg_puts(line);
        return;
    }
    if (serial_drv_start(&drv, ops, cfg, &b, &act) != 0) {
        snprintf(line, sizeof(line), "%s: config refused, not starting: a ring cannot be set up\n",
                 ops->name);
        microkit_dbg_puts(line);
        return;
    }
    ops->report(&drv.dev, &b, cfg->baud, line, sizeof(line));
    microkit_dbg_puts(line);
    running = true;
    perform(act);
}

void serial_drv_pd_notified(microkit_channel ch)
{
    const struct serial_driver_config *cfg = &serial_driver_config;
    if (!running)
        return;
    if (ch == cfg->irq_channel) {
        perform(serial_drv_irq(&drv));
        microkit_deferred_irq_ack(ch); /* last: it goes with the return to the event loop */
    } else if (ch == cfg->tx.channel) {
        perform(serial_drv_tx_notified(&drv));
    } else if (drv.has_rx && ch == cfg->rx.channel) {
        perform(serial_drv_rx_notified(&drv));
    }
}

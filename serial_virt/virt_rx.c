/*
 * serial_rx, the RX virtualiser PD: the glue between the microkit event loop and the router
 * (rx_route.h). Every notification (the driver received bytes, a client freed space) runs the
 * router once; its console messages go out with microkit_dbg_puts (through the kernel's log ring
 * and serial_tx); the notifications it asks for are sent, the last one deferred.
 */
#include <microkit.h>

#include "wake.h"
#include "rx_setup.h"

struct serial_rx_config serial_rx_config __attribute__((section(".data")));

static struct rx_route route;
static bool ready;

static void say(void *ctx, const char *line)
{
    (void)ctx;
    microkit_dbg_puts(line);
}

static void run(void)
{
    struct rx_wake w = rx_route_run(&route);
    if (w.tx) /* framed mode's state changed: TX reads the mode region */
        microkit_notify((microkit_channel)serial_rx_config.mode.channel);
    sv_send_wakes(w.clients, serial_rx_config.clients, serial_rx_config.num_clients, w.driver,
                  &serial_rx_config.driver);
}

void init(void)
{
    char line[192];
    struct sv_text t;
    sv_text_init(&t, line, sizeof(line));
    sv_puts(&t, "serial_rx: bad configuration: ");
    if (!rx_setup(&route, &serial_rx_config, &t)) {
        sv_puts(&t, "; staying idle\n");
        microkit_dbg_puts(line);
        return;
    }
    route.say = say;
    ready = true;
    run();
}

void notified(microkit_channel ch)
{
    (void)ch; /* whoever it was, the router looks at the driver's ring and the current client's */
    if (ready)
        run();
}

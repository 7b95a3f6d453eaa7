/*
 * serial_tx, the TX virtualiser PD: the glue between the microkit event loop and the mux
 * (tx_mux.h). Every notification (a client wrote, the driver freed space, the kernel logged a
 * line) runs the mux once; the notifications it asks for are sent, the last one deferred so it
 * rides on the kernel entry that waits for the next event.
 */
#include <microkit.h>

#include "wake.h"
#include "tx_setup.h"

struct serial_tx_config serial_tx_config __attribute__((section(".data")));

static struct tx_mux mux;
static char banner[TX_BANNER_MAX];
static bool ready;

static void say(void *ctx, const char *line)
{
    (void)ctx;
    microkit_dbg_puts(line);
}

static void run(void)
{
    struct tx_wake w = tx_mux_run(&mux);
    sv_send_wakes(w.clients, serial_tx_config.clients, serial_tx_config.num_clients, w.driver,
                  &serial_tx_config.driver);
}

void init(void)
{
    char line[192];
    struct sv_text t;
    sv_text_init(&t, line, sizeof(line));
    sv_puts(&t, "serial_tx: bad configuration: ");
    if (!tx_setup(&mux, &serial_tx_config, banner, &t)) {
        sv_puts(&t, "; staying idle\n");
        microkit_dbg_puts(line);
        return;
    }
    mux.say = say;
    ready = true;
    run();
}

void notified(microkit_channel ch)
{
    (void)ch; /* whoever it was, the mux looks at every ring */
    if (ready)
        run();
}

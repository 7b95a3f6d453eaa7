/* The banner TX prints at start: who the clients are and how to switch input between them. */
#include "tx_setup.h"

#define SGR_RESET "\033[0m"

uint32_t tx_banner(char *buf, uint32_t cap, const struct serial_tx_config *c)
{
    struct sv_text t;
    bool colour = (c->flags & SERIAL_TX_F_COLOUR) != 0;
    sv_text_init(&t, buf, cap);
    if (c->num_clients == 0) {
        sv_puts(&t, "serial: no clients\r\n");
        return t.len;
    }
    sv_puts(&t, "serial: ");
    sv_putu(&t, c->num_clients);
    sv_puts(&t, c->num_clients == 1 ? " client" : " clients");
    sv_puts(&t, ", input goes to one at a time:\r\n");
    for (uint32_t i = 0; i < c->num_clients; i++) {
        sv_puts(&t, "serial:   ");
        if (colour)
            sv_puts(&t, tx_palette(i));
        sv_putu(&t, i);
        sv_puts(&t, " ");
        sv_puts(&t, c->names[i]);
        if (colour)
            sv_puts(&t, SGR_RESET);
        sv_puts(&t, "\r\n");
    }
    sv_puts(&t, "serial: switch input with Ctrl-\\ then the client's number then Enter; "
                "Ctrl-\\ Ctrl-\\ sends one Ctrl-\\\r\n");
    return t.len;
}

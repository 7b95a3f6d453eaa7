/*
 * The round-trip baseline: a PD that polls the UART's receiver and writes each byte straight
 * back, the shortest path a typed character can take through the machine.
 */
#include "poll_echo.h"
#include "uart_poll.h"

void poll_echo_run(void)
{
    for (;;) {
        while (uart_poll_rx_empty())
            uart_poll_pause();
        uint8_t c = uart_poll_get();
        while (uart_poll_tx_room() == 0)
            uart_poll_pause();
        uart_poll_put(c);
    }
}

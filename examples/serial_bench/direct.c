/*
 * direct: the benchmark's baseline (scripts/bench_serial.py). One PD that maps the console UART
 * itself and polls it: no driver, no virtualiser, no ring, no interrupt. Told to go, it writes
 * the payload (payload.h) straight to the UART's transmit register, then echoes every byte it
 * receives (poll_echo.c): the floor QEMU's UART allows for both figures.
 */
#include <stddef.h>
#include <stdint.h>

#include <microkit.h>

#include "payload.h"
#include "poll_echo.h"
#include "uart_poll.h"

uintptr_t uart_base __attribute__((section(".data")));

/* As the driver does: as many bytes as the FIFO takes per look at its status. */
static void put_bytes(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t room = uart_poll_tx_room();
        if (room == 0)
            uart_poll_pause();
        for (; room > 0 && i < n; room--)
            uart_poll_put((uint8_t)s[i++]);
    }
}

static void put_str(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0')
        n++;
    put_bytes(s, n);
}

void init(void)
{
    char line[PAYLOAD_LINE];
    uart_poll_init();
    put_str("serial-bench: ready\n");
    for (;;) {
        while (uart_poll_rx_empty())
            uart_poll_pause();
        if (uart_poll_get() == BENCH_GO)
            break;
    }
    put_str("serial-bench: begin\n");
    for (uint32_t n = 0; n < PAYLOAD_LINES; n++) {
        payload_line(line, n);
        put_bytes(line, sizeof(line));
    }
    put_str("serial-bench: end\n");
    poll_echo_run();
}

void notified(microkit_channel ch)
{
    (void)ch;
}

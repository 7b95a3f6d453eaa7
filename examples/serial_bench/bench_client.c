/*
 * bench_client: the benchmark's native serial client (scripts/bench_serial.py), the same
 * protocol as the direct baseline (direct.c) but through the serial path: its TX ring, the TX
 * virtualiser, the driver's ring and the driver; input through the driver, the RX virtualiser
 * and its RX ring. Told to go, it writes the payload (payload.h) as fast as its ring takes it,
 * then a line with the notifications it sent and received during the flood, then echoes every
 * byte it receives, at once.
 */
#include <stdio.h>

#include <microkit.h>

#include "payload.h"
#include "serial_client.h"

struct serial_client_config serial_client_config __attribute__((section(".data")));

static struct serial_client sc;
static bool ready;

enum phase { WAIT_GO, FLOOD, ECHO };
static enum phase phase = WAIT_GO;
static uint32_t next_line;

/* Output waiting to go into the ring: a payload line, a message or echoed input. */
static char out[128];
static uint32_t out_len, out_off;

/* Notifications during the flood: sent to the TX virtualiser, and received from it. */
static uint32_t sent_tx, woken_tx, sent_rx;

/* Payload and messages go in whole lines (see examples/serial/client.c); echoed input as it
 * comes. True when all of the output is in the ring. */
static bool flush_out(void)
{
    if (out_off == out_len)
        return true;
    if (phase != ECHO && out_off == 0 && out_len <= serial_client_tx_capacity(&sc)) {
        if (serial_client_write_all(&sc, out, out_len))
            out_off = out_len;
    } else {
        out_off += serial_client_write(&sc, out + out_off, out_len - out_off);
    }
    return out_off == out_len;
}

static void queue(const char *s, uint32_t n)
{
    __builtin_memcpy(out, s, n);
    out_len = n;
    out_off = 0;
}

static void pump(void)
{
    uint8_t in[64];
    while (flush_out()) {
        if (phase == FLOOD) {
            if (next_line < PAYLOAD_LINES) {
                payload_line(out, next_line++);
                out_len = PAYLOAD_LINE;
                out_off = 0;
            } else {
                int n = snprintf(out, sizeof(out), "serial-bench: end sent_tx=%u woken_tx=%u sent_rx=%u\n",
                                 sent_tx, woken_tx, sent_rx);
                out_len = n > 0 && (uint32_t)n < sizeof(out) ? (uint32_t)n : 0;
                out_off = 0;
                phase = ECHO;
            }
            continue;
        }
        uint32_t n = serial_client_read(&sc, in, sizeof(in));
        if (n == 0)
            return;
        if (phase == ECHO) {
            queue((const char *)in, n);
            continue;
        }
        for (uint32_t i = 0; i < n; i++) {
            if (in[i] == BENCH_GO) {
                /* Bytes after the go in the same read are dropped: the host waits for the end. */
                queue("serial-bench: begin\n", 20);
                phase = FLOOD;
                break;
            }
        }
    }
}

static void end_event(void)
{
    if (serial_client_tx_notify_due(&sc)) {
        microkit_deferred_notify(sc.tx_channel);
        sent_tx += phase == FLOOD;
    }
    if (serial_client_rx_notify_due(&sc)) {
        microkit_deferred_notify(sc.rx_channel);
        sent_rx += phase == FLOOD;
    }
}

void init(void)
{
    const char *err = serial_client_init(&sc, &serial_client_config);
    if (err != NULL) {
        printf("%s: serial client configuration refused: %s\n", microkit_name, err);
        return;
    }
    ready = true;
    queue("serial-bench: ready\n", 20);
    pump();
    end_event();
}

void notified(microkit_channel ch)
{
    if (!ready)
        return;
    if (ch == sc.tx_channel && phase == FLOOD)
        woken_tx++;
    pump();
    end_event();
}

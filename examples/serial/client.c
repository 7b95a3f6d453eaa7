/*
 * client: one program for every native client of the serial system (systems/<board>/serial.system,
 * tests/system/test_serial.py); each PD running it takes its name from its serial_client_config.
 * At start it prints a few numbered lines ("alpha: line 1" ...). Then, line by line, it echoes
 * what it is sent ("alpha: echo <text>", control bytes shown as \xNN), except two commands:
 *   flood N   print N numbered lines as fast as the ring takes them, then "flood done"
 *   sum N     take the next N bytes raw and print their count and CRC-32 (a paste test)
 * Event driven: it runs only when notified, and when its output ring is full it stops (reading
 * no more input either) until the TX virtualiser says space is free again.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <microkit.h>

#include "serial_client.h"

struct serial_client_config serial_client_config __attribute__((section(".data")));

#define START_LINES 5
#define LINE_MAX    80 /* an input line longer than this is echoed in pieces */
#define FLOOD_MAX   10000000u
#define SUM_MAX     (64u << 20)

static struct serial_client sc;
static bool ready;

/* The output line being written; out_off bytes of it are in the ring already. */
static char out[4 * LINE_MAX + 2 * SERIAL_NAME_LEN];
static uint32_t out_len, out_off;

/* Input read from the ring and not yet looked at, and the line being collected. */
static uint8_t in[256];
static uint32_t in_len, in_pos;
static uint8_t line[LINE_MAX];
static uint32_t line_len;

static uint32_t start_next = 1;        /* next start line; past START_LINES when all are out */
static uint32_t flood_next, flood_end; /* flooding while flood_next < flood_end */
static uint32_t sum_left, sum_total, crc;
static uint32_t crc_table[256];

static void crc_table_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

/* Queues one output line, "name: " and the formatted text and CR LF. Only called when the
 * previous line is all in the ring. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(out, sizeof(out), "%s: ", sc.name);
    va_start(ap, fmt);
    int m = vsnprintf(out + n, sizeof(out) - (size_t)n - 1, fmt, ap);
    if (m < 0)
        m = 0;
    va_end(ap);
    size_t len = (size_t)n + (size_t)m;
    if (len > sizeof(out) - 3)
        len = sizeof(out) - 3; /* truncated by vsnprintf */
    out[len++] = '\r';         /* the console is a raw terminal */
    out[len++] = '\n';
    out_len = (uint32_t)len;
    out_off = 0;
}

/* Moves the pending output line into the ring, whole (so no other output lands in its middle)
 * unless it is longer than the ring. True when all of it is there. */
static bool flush_out(void)
{
    if (out_off == out_len)
        return true;
    if (out_off == 0 && out_len <= serial_client_tx_capacity(&sc)) {
        if (serial_client_write_all(&sc, out, out_len))
            out_off = out_len;
    } else {
        out_off += serial_client_write(&sc, out + out_off, out_len - out_off);
    }
    return out_off == out_len;
}

/* A decimal count in [1, max] after `cmd ` at the start of the line, or 0. */
static uint32_t count_arg(const char *cmd, uint32_t max)
{
    size_t k = strlen(cmd);
    if (line_len <= k + 1 || memcmp(line, cmd, k) != 0 || line[k] != ' ')
        return 0;
    uint32_t v = 0;
    for (uint32_t i = (uint32_t)k + 1; i < line_len; i++) {
        if (line[i] < '0' || line[i] > '9' || v > (max - (uint32_t)(line[i] - '0')) / 10)
            return 0;
        v = v * 10 + (uint32_t)(line[i] - '0');
    }
    return v;
}

static void echo_line(void)
{
    char text[4 * LINE_MAX + 1];
    size_t n = 0;
    for (uint32_t i = 0; i < line_len; i++) {
        uint8_t b = line[i];
        if (b >= 0x20 && b < 0x7f && b != '\\')
            text[n++] = (char)b;
        else
            n += (size_t)snprintf(text + n, sizeof(text) - n, "\\x%02x", b);
    }
    text[n] = 0;
    say("echo %s", text);
}

static void line_done(void)
{
    uint32_t n;
    if ((n = count_arg("flood", FLOOD_MAX)) != 0) {
        flood_next = 0;
        flood_end = n;
        say("flood of %u lines", n);
    } else if ((n = count_arg("sum", SUM_MAX)) != 0) {
        sum_left = sum_total = n;
        crc = 0xffffffffu;
        say("sum: reading %u bytes", n);
    } else {
        echo_line();
    }
    line_len = 0;
}

/* Looks at buffered input until it produces an output line or runs out. */
static void take_input(void)
{
    while (in_pos < in_len) {
        if (sum_left > 0) {
            uint32_t k = in_len - in_pos < sum_left ? in_len - in_pos : sum_left;
            for (uint32_t i = 0; i < k; i++)
                crc = crc_table[(crc ^ in[in_pos + i]) & 0xffu] ^ (crc >> 8);
            in_pos += k;
            sum_left -= k;
            if (sum_left == 0) {
                say("sum %u bytes crc32 %08x", sum_total, crc ^ 0xffffffffu);
                return;
            }
            continue;
        }
        uint8_t b = in[in_pos++];
        if (b == '\r' || b == '\n') {
            if (line_len > 0) {
                line_done();
                return;
            }
            continue; /* the \n of a \r\n, or an empty line */
        }
        line[line_len++] = b;
        if (line_len == LINE_MAX) {
            echo_line();
            line_len = 0;
            return;
        }
    }
}

/* Does all the work there is until the output ring is full or input runs out. */
static void pump(void)
{
    while (flush_out()) {
        if (start_next <= START_LINES) {
            say("line %u", start_next++);
        } else if (flood_next < flood_end) {
            flood_next++;
            say("flood %u of %u", flood_next, flood_end);
        } else if (flood_end > 0) {
            say("flood done, %u lines", flood_end);
            flood_next = flood_end = 0;
        } else {
            if (in_pos == in_len) {
                in_pos = 0;
                in_len = serial_client_read(&sc, in, sizeof(in));
                if (in_len == 0)
                    return; /* asleep until the RX virtualiser has input */
            }
            take_input();
        }
    }
}

/* Wakes the virtualisers that asked for it, once each, when the PD next waits. */
static void end_event(void)
{
    if (serial_client_tx_notify_due(&sc))
        microkit_deferred_notify(sc.tx_channel);
    if (serial_client_rx_notify_due(&sc))
        microkit_deferred_notify(sc.rx_channel);
}

void init(void)
{
    const char *err = serial_client_init(&sc, &serial_client_config);
    if (err != NULL) {
        printf("%s: serial client configuration refused: %s\n", microkit_name, err);
        return;
    }
    crc_table_init();
    ready = true;
    pump();
    end_event();
}

void notified(microkit_channel ch)
{
    if (!ready)
        return;
    if (ch != sc.tx_channel && ch != sc.rx_channel)
        printf("%s: notification on unexpected channel %u\n", sc.name, ch);
    pump();
    end_event();
}

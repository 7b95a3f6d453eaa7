/*
 * The benchmark's payload, the same bytes whichever PD sends them (bench_client.c through the
 * serial path, direct.c straight to the UART): numbered 64-byte lines, cheap to make so the
 * benchmark times moving bytes, not formatting them.
 */
#ifndef SERIAL_BENCH_PAYLOAD_H
#define SERIAL_BENCH_PAYLOAD_H

#include <stdint.h>

#define PAYLOAD_LINE  64u
#define PAYLOAD_BYTES (256u * 1024u) /* a multiple of PAYLOAD_LINE */
#define PAYLOAD_LINES (PAYLOAD_BYTES / PAYLOAD_LINE)

/* The host sends this byte to start the flood; every byte after it is echoed. */
#define BENCH_GO 'g'

/* Line n: its number in 8 hex digits, a space, 54 letters that shift with n, a newline. */
static inline void payload_line(char line[PAYLOAD_LINE], uint32_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 8; i++)
        line[i] = hex[(n >> (28 - 4 * i)) & 0xfu];
    line[8] = ' ';
    for (uint32_t i = 9; i < PAYLOAD_LINE - 1; i++)
        line[i] = (char)('a' + (n + i) % 26u);
    line[PAYLOAD_LINE - 1] = '\n';
}

#endif

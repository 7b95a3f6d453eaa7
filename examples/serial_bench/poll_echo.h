/* The polling echo loop of the direct baseline (poll_echo.c). */
#ifndef SERIAL_BENCH_POLL_ECHO_H
#define SERIAL_BENCH_POLL_ECHO_H

/* Echoes every received byte back at once, polling the UART; never returns. */
void poll_echo_run(void) __attribute__((noreturn));

#endif

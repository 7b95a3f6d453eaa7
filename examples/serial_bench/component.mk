# The serial benchmark's programs (scripts/bench_serial.py, systems/<board>/serial_bench*.system):
# bench_client goes through the serial path; direct_pl011 and direct_imx are the baseline that
# polls the board's UART itself, one per UART.
COMPONENTS += bench_client direct_pl011 direct_imx
bench_client_SRCS := examples/serial_bench/bench_client.c
direct_pl011_SRCS := examples/serial_bench/direct.c examples/serial_bench/poll_echo.c \
                     examples/serial_bench/uart_poll_pl011.c
direct_imx_SRCS   := examples/serial_bench/direct.c examples/serial_bench/poll_echo.c \
                     examples/serial_bench/uart_poll_imx.c

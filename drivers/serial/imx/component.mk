# The i.MX8 UART driver PD (docs/serial-drivers.md): imx_uart.elf.
COMPONENTS += imx_uart
imx_uart_SRCS   := drivers/serial/imx/imx_pd.c drivers/serial/imx/imx_uart.c \
                   drivers/serial/common/serial_drv_pd.c drivers/serial/common/serial_drv.c \
                   drivers/serial/common/serial_drv_config.c drivers/serial/common/uart_errors.c \
                   drivers/serial/common/uart_io_mmio.c
imx_uart_CFLAGS := -Idrivers/serial/common -Idrivers/serial/imx
imx_uart_LIBS   :=

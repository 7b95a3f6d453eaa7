# The PL011 UART driver PD (docs/serial-drivers.md): pl011.elf.
COMPONENTS += pl011
pl011_SRCS   := drivers/serial/pl011/pl011_pd.c drivers/serial/pl011/pl011.c \
                drivers/serial/common/serial_drv_pd.c drivers/serial/common/serial_drv.c \
                drivers/serial/common/serial_drv_config.c drivers/serial/common/uart_errors.c \
                drivers/serial/common/uart_io_mmio.c
pl011_CFLAGS := -Idrivers/serial/common -Idrivers/serial/pl011
pl011_LIBS   :=

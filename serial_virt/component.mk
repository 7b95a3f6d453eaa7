# The serial virtualisers (docs/serial-virt.md): serial_tx.elf multiplexes every client's output
# and the kernel's log onto the driver's TX ring; serial_rx.elf routes the driver's RX ring to one
# client at a time. The logic (tx_*, rx_*, config_check) has no microkit calls; the host tests in
# tests/serial_virt build it too.
COMPONENTS       += serial_tx serial_rx
serial_tx_SRCS   := serial_virt/virt_tx.c serial_virt/tx_setup.c serial_virt/tx_banner.c \
                    serial_virt/tx_mux.c serial_virt/config_check.c serial_virt/frame.c
serial_tx_CFLAGS := -Iserial_virt
serial_tx_LIBS   :=
serial_rx_SRCS   := serial_virt/virt_rx.c serial_virt/rx_setup.c serial_virt/rx_route.c \
                    serial_virt/config_check.c serial_virt/frame.c
serial_rx_CFLAGS := -Iserial_virt
serial_rx_LIBS   :=

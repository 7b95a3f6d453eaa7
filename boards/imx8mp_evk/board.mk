# NXP i.MX 8M Plus EVK as QEMU 10 models it (-machine imx8mp-evk: 4 Cortex-A53, GICv3, the i.MX
# UARTs; docs/boards.md). Its device tree is Debian's imx8mp-evk.dtb from the guest kernel's
# package, as QEMU hands it to the kernel (QEMU rewrites /memory to the -m size): the rule below
# dumps it (the on-chip Ethernet gets QEMU's default user network: -nic none only draws a warning).
# QEMU boots the raw Image at EL2 with PSCI over SMC only when it is given a -dtb.
QEMU              := qemu-system-aarch64
QEMU_BOARD_ARGS   := -machine imx8mp-evk -m 1G -smp 4
QEMU_MACHINE_ARGS  = $(QEMU_BOARD_ARGS) -dtb $(BOARD_DTB)
# The console is UART2, QEMU's second serial port (serial index 1): UART1 goes nowhere.
QEMU_RUN_ARGS     := -nographic -serial null -serial mon:stdio
QEMU_CONSOLE_SERIAL := 1
# 4 KiB stage-2 pages only, as on qemu_virt: QEMU TCG and 2 MiB blocks (docs/kernel.md).
STAGE2_BLOCK      := 4k
# The guest kernel pre-placed in its RAM, as on qemu_virt (docs/vmm.md).
KERNEL_IN_RAM     := yes

# $(BOARD_DTB): Debian's tree, seen through QEMU (the top Makefile's rule runs this).
BOARD_DTB_DEPS = $(IMAGES_DTB_DIR)/freescale/imx8mp-evk.dtb
BOARD_DTB_CMD  = $(QEMU) $(QEMU_BOARD_ARGS) -dtb $(BOARD_DTB_DEPS) -machine dumpdtb=$@ >/dev/null

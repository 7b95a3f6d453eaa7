# Avnet MaaXBoard (NXP i.MX 8M Quad, 4 Cortex-A53, GICv3, 2 GiB RAM), the board of the seeds'
# write-ups. QEMU has no i.MX 8M Quad machine: images for it are built, never run here; U-Boot's
# booti starts them (docs/boards.md). Its device tree is Debian's imx8mq-evk.dtb (the same SoC)
# from the guest kernel's package with the MaaXBoard's memory and console applied by
# maaxboard.dtso, a two-fragment overlay.
BOARD_NO_QEMU     := QEMU has no i.MX 8M Quad machine: boot the image with U-Boot (docs/boards.md)
QEMU              := false
QEMU_MACHINE_ARGS := -machine none
QEMU_RUN_ARGS     :=
# Real hardware: guest RAM and big regions take 2 MiB stage-2 blocks where aligned.
STAGE2_BLOCK      := 2m
# The boot loader reads the image from storage, slower than the VMM copies the kernel at native
# speed: no second copy of it in the image (docs/vmm.md).
KERNEL_IN_RAM     := no

BOARD_DTB_DEPS = $(IMAGES_DTB_DIR)/freescale/imx8mq-evk.dtb boards/maaxboard/maaxboard.dtso
BOARD_DTB_CMD  = dtc -q -I dts -O dtb -o $@.dtbo boards/maaxboard/maaxboard.dtso && \
                 fdtoverlay -i $(IMAGES_DTB_DIR)/freescale/imx8mq-evk.dtb -o $@ $@.dtbo && rm -f $@.dtbo

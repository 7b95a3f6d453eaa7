# QEMU virt with the virtualization extensions (EL2) and a GICv3, as DESIGN.md section 3 says.
QEMU              := qemu-system-aarch64
QEMU_MACHINE_ARGS := -machine virt,virtualization=on,gic-version=3 -cpu cortex-a53 -m 1G -smp 2 -nic none
QEMU_RUN_ARGS     := -nographic -serial mon:stdio
# Stage-2 maps made of 4 KiB pages only: QEMU TCG flushes a guest's whole software TLB on each
# TLB invalidation by address once a 2 MiB stage-2 block backs it (docs/kernel.md).
STAGE2_BLOCK      := 4k
# QEMU loads the image file at host speed: storing the guest kernel pre-placed in its RAM is
# cheaper than the VMM copying it under TCG (mksys --kernel-in-ram, docs/vmm.md).
KERNEL_IN_RAM     := yes

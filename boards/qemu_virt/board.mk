# QEMU virt with the virtualization extensions (EL2) and a GICv3, as DESIGN.md section 3 says.
QEMU              := qemu-system-aarch64
QEMU_MACHINE_ARGS := -machine virt,virtualization=on,gic-version=3 -cpu cortex-a53 -m 1G -smp 1 -nic none
QEMU_RUN_ARGS     := -nographic -serial mon:stdio

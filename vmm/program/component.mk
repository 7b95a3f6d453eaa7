# The one VMM program (vmm.elf) every system with a <linux_vm> shares.
COMPONENTS += vmm
vmm_SRCS   := vmm/program/vmm.c
vmm_CFLAGS := $(VMM_CFLAGS)
vmm_LIBS   := $(VMM_LIB) $(BUILD)/virtio/libvirtio.a

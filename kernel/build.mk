# The EL2 host kernel: one board-independent ELF; board facts arrive in the boot image.
KERNEL_ELF   := $(BUILD)/kernel/kernel.elf
KERNEL_SRCS  := $(wildcard kernel/arch/aarch64/*.S kernel/arch/aarch64/*.c kernel/core/*.c)
KERNEL_OBJS  := $(patsubst kernel/%,$(BUILD)/kernel/%.o,$(KERNEL_SRCS))
# No FP in the kernel (PD FP state is switched by hand); strict alignment because the kernel
# runs with the MMU off (device memory) until mmu_el2_enable. Link-time optimisation inlines
# across files (the arch layer's small functions sit on every kernel entry), and atomics are
# plain exclusives (the kernel lock), not calls to a helper that looks for LSE first.
KERNEL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-builtin \
    -fno-stack-protector -fno-pic -mgeneral-regs-only -mstrict-align -mcpu=cortex-a53 \
    -mno-outline-atomics -flto -Iinclude -Ikernel/include -Ikernel/arch/aarch64/include -MMD -MP
# `make STATS=1` (best in a BUILD of its own): kernel/include/kstat.h's time accounting, logged
# every 2 s, and serial_tx's per-client counters (serial_virt/tx_mux.c).
ifeq ($(STATS),1)
KERNEL_CFLAGS += -DKERNEL_STATS
endif

$(BUILD)/kernel/%.c.o: kernel/%.c
	@mkdir -p $(@D)
	$(CC_PD) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel/%.S.o: kernel/%.S
	@mkdir -p $(@D)
	$(CC_PD) $(KERNEL_CFLAGS) -c $< -o $@

$(KERNEL_OBJS): kernel/build.mk

$(KERNEL_ELF): $(KERNEL_OBJS) kernel/kernel.ld
	$(CC_PD) $(KERNEL_CFLAGS) -nostdlib -static -no-pie -Wl,--gc-sections -Wl,-z,max-page-size=4096 -Wl,--build-id=none \
	    -T kernel/kernel.ld $(KERNEL_OBJS) -lgcc -o $@

-include $(KERNEL_OBJS:.o=.d)

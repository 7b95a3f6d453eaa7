# The CPU-bound benchmark guest (guests/cpu_work): a bare-metal arm64 Image, cpu_work.img, for
# systems/qemu_virt/bench_cpu1.system and bench_cpu2.system. Its expected result is computed by
# the same work function built for the build host (expect.c).
CPU_WORK_GUEST := $(BUILD)/guests/cpu_work.img
CPU_WORK_DIR   := $(BUILD)/guests/cpu_work

$(CPU_WORK_DIR)/expect: guests/cpu_work/expect.c guests/cpu_work/work.h
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $<

$(CPU_WORK_DIR)/cpu_work_expected.h: $(CPU_WORK_DIR)/expect
	$< >$@

$(BUILD)/guests/cpu_work.elf: guests/include/c_guest_head.S guests/cpu_work/guest.c guests/cpu_work/work.h \
                              $(CPU_WORK_DIR)/cpu_work_expected.h guests/mmio_bench/guest.ld $(GUEST_IMAGE_HEADER)
	@mkdir -p $(@D)
	$(CC_PD) $(MMIO_GUEST_CFLAGS) -I$(CPU_WORK_DIR) -static -no-pie -Wl,--build-id=none \
	    -T guests/mmio_bench/guest.ld guests/include/c_guest_head.S guests/cpu_work/guest.c -o $@

$(CPU_WORK_GUEST): $(BUILD)/guests/cpu_work.elf
	$(OBJCOPY) -O binary $< $@

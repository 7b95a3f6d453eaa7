# The virtual-timer sleeper guests (guests/vtimer_sleep/guest.c): one bare-metal arm64 Image per
# sleep period, named vtimer_<period>us.img, for systems/qemu_virt/timers.system.
VTIMER_PERIODS := 1000 1700 2900
VTIMER_GUESTS  := $(patsubst %,$(BUILD)/guests/vtimer_%us.img,$(VTIMER_PERIODS))

$(BUILD)/guests/vtimer_%us.elf: guests/include/c_guest_head.S guests/vtimer_sleep/guest.c \
                                guests/vtimer_sleep/vtimer_report.h guests/mmio_bench/guest.ld \
                                $(GUEST_IMAGE_HEADER)
	@mkdir -p $(@D)
	$(CC_PD) $(MMIO_GUEST_CFLAGS) -DPERIOD_US=$* -static -no-pie -Wl,--build-id=none \
	    -T guests/mmio_bench/guest.ld guests/include/c_guest_head.S guests/vtimer_sleep/guest.c -o $@

$(BUILD)/guests/vtimer_%us.img: $(BUILD)/guests/vtimer_%us.elf
	$(OBJCOPY) -O binary $< $@

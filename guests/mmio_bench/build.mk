# The MMIO benchmark guest: a bare-metal arm64 Image the VMM loads like Linux.
MMIO_GUEST := $(BUILD)/guests/mmio_guest.img
MMIO_GUEST_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -ffreestanding -nostdlib \
    -fno-pic -mgeneral-regs-only -mstrict-align -fno-stack-protector -Iguests/include
# The arm64 Image header every bare-metal guest starts with.
GUEST_IMAGE_HEADER := guests/include/arm64_image_header.S

$(BUILD)/guests/mmio_guest.elf: guests/mmio_bench/head.S guests/mmio_bench/guest.c guests/mmio_bench/guest.ld \
                               $(GUEST_IMAGE_HEADER)
	@mkdir -p $(@D)
	$(CC_PD) $(MMIO_GUEST_CFLAGS) -static -no-pie -Wl,--build-id=none -T guests/mmio_bench/guest.ld \
	    guests/mmio_bench/head.S guests/mmio_bench/guest.c -o $@

$(MMIO_GUEST): $(BUILD)/guests/mmio_guest.elf
	$(OBJCOPY) -O binary $< $@

# The hostile guest (guests/virtio_hostile): a bare-metal arm64 Image, virtio_hostile.img, that
# feeds its virtio-mmio console every malformed chain of cases.c, for
# systems/qemu_virt/virtio_hostile.system and tests/system/test_virtio_hostile.py. It finds
# its device and RAM in the device tree its VMM passes in x0, so it needs no addresses here.
# HOSTILE_ROUNDS rounds of all cases, HOSTILE_GAP_MS apart (the test needs them to last until
# the Linux guest beside it has logged in and run commands: about 5 minutes by default).
HOSTILE_GUEST   := $(BUILD)/guests/virtio_hostile.img
HOSTILE_ROUNDS  ?= 100
HOSTILE_GAP_MS  ?= 3000
HOSTILE_SRCS    := $(wildcard guests/virtio_hostile/*.c)
HOSTILE_CFLAGS  := $(MMIO_GUEST_CFLAGS) -Iguests/virtio_hostile -fno-tree-loop-distribute-patterns \
                   -DHOSTILE_ROUNDS=$(HOSTILE_ROUNDS)u -DHOSTILE_GAP_MS=$(HOSTILE_GAP_MS)u

$(BUILD)/guests/virtio_hostile.elf: guests/include/c_guest_head.S $(HOSTILE_SRCS) $(wildcard guests/virtio_hostile/*.h) \
                                    guests/virtio_hostile/build.mk guests/mmio_bench/guest.ld $(GUEST_IMAGE_HEADER)
	@mkdir -p $(@D)
	$(CC_PD) $(HOSTILE_CFLAGS) -static -no-pie -Wl,--build-id=none -T guests/mmio_bench/guest.ld \
	    guests/include/c_guest_head.S $(HOSTILE_SRCS) -o $@

$(HOSTILE_GUEST): $(BUILD)/guests/virtio_hostile.elf
	$(OBJCOPY) -O binary $< $@

# The Makefile's GUEST_FILES lists the other guests' images; this one is made for its system.
ifeq ($(SYSTEM),virtio_hostile)
$(IMAGE): $(HOSTILE_GUEST)
endif

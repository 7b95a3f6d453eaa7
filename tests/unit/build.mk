# Host unit tests (cmocka) for mksys. `make test-unit` builds the fixtures (tiny AArch64 ELFs
# and device trees) under $(BUILD)/host/test and runs every test_*.c; it fails if any test fails.
# QEMU_VIRT_DTB=<dtb dumped by QEMU> in the environment also checks the real virt machine.
UNIT_DIR    := tests/unit
UNIT_FIX    := $(UNIT_DIR)/fixtures
UNIT_OUT    := $(BUILD)/host/test
UNIT_CFLAGS := $(MKSYS_CFLAGS) $(shell pkg-config --cflags cmocka) -I$(UNIT_DIR) \
               -DFIXTURES='"$(UNIT_FIX)"' -DTEST_OUT='"$(UNIT_OUT)"' -DMKSYS_BIN='"$(MKSYS)"'
UNIT_LDLIBS := $(MKSYS_LDLIBS) $(shell pkg-config --libs cmocka)
UNIT_TESTS  := $(patsubst $(UNIT_DIR)/%.c,$(UNIT_OUT)/%,$(wildcard $(UNIT_DIR)/test_*.c))
UNIT_OBJS   := $(patsubst $(UNIT_DIR)/%.c,$(UNIT_OUT)/%.o,$(wildcard $(UNIT_DIR)/*.c))
UNIT_DTBS   := $(patsubst $(UNIT_FIX)/%.dts,$(UNIT_OUT)/%.dtb,$(wildcard $(UNIT_FIX)/*.dts))
UNIT_ELFS   := $(addprefix $(UNIT_OUT)/,pd.elf pd_high.elf pd.o pd_x86.elf kernel.elf kernel_bad_magic.elf \
               kernel_text_offset.elf kernel_no_symbol.elf vmm.elf vmm_serial.elf vmm_serial1.elf)
# Guest files for <linux_vm>: stand-in arm64 Images (raw binaries) and an initrd.
UNIT_GUEST  := $(addprefix $(UNIT_OUT)/,Image Image_bad_magic Image_huge Image_nosize Image_text_offset \
               rootfs.cpio.gz initrd2.img)
UNIT_PD_CC  := $(CROSS)gcc -nostdlib -static -ffreestanding -O1 -Wl,--build-id=none -Wl,-z,max-page-size=4096

.PHONY: test-unit
.SECONDARY: $(UNIT_OBJS)
# The real virt machine's tree, as QEMU dumps it, is checked too (test_board's qemu_virt_dtb).
UNIT_VIRT_DTB := $(BUILD)/qemu_virt/board.dtb
ifneq ($(BOARD),qemu_virt) # for qemu_virt the top-level $(BOARD_DTB) rule makes it
$(UNIT_VIRT_DTB): boards/qemu_virt/board.mk
	$(MAKE) --no-print-directory BOARD=qemu_virt $@
endif
test-unit: $(UNIT_TESTS) $(UNIT_DTBS) $(UNIT_ELFS) $(UNIT_GUEST) $(MKSYS) $(UNIT_VIRT_DTB)
	@fail=0; for t in $(UNIT_TESTS); do echo "== $$t"; QEMU_VIRT_DTB=$(UNIT_VIRT_DTB) $$t || fail=1; done; \
	if [ $$fail = 0 ]; then echo "unit tests passed"; else echo "unit tests FAILED"; exit 1; fi

$(UNIT_OUT)/%.o: $(UNIT_DIR)/%.c $(wildcard $(UNIT_DIR)/*.h) $(MKSYS_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(UNIT_CFLAGS) -c -o $@ $<

$(UNIT_OUT)/test_%: $(UNIT_OUT)/test_%.o $(UNIT_OUT)/harness.o $(UNIT_OUT)/imgread.o $(UNIT_OUT)/err_cases.o \
                 $(MKSYS_LIB)
	$(HOST_CC) -o $@ $^ $(UNIT_LDLIBS)

$(UNIT_OUT)/%.dtb: $(UNIT_FIX)/%.dts
	@mkdir -p $(@D)
	dtc -q -I dts -O dtb -o $@ $<

# PD programs: linked at PD_PROGRAM_VADDR, one linked into the runtime's reserved area,
# an unlinked object and a host (x86-64) executable for the ELF-type errors.
$(UNIT_OUT)/pd.elf: $(UNIT_FIX)/pd.c
	@mkdir -p $(@D)
	$(UNIT_PD_CC) -Wl,-Ttext=0x200000 -o $@ $<
$(UNIT_OUT)/pd_high.elf: $(UNIT_FIX)/pd.c
	@mkdir -p $(@D)
	$(UNIT_PD_CC) -Wl,-Ttext=0x7ff00000 -o $@ $<
$(UNIT_OUT)/pd.o: $(UNIT_FIX)/pd.c
	@mkdir -p $(@D)
	$(CROSS)gcc -ffreestanding -O1 -c -o $@ $<
# Built with plain gcc: a sanitizer build's HOST_CC cannot link a -nostdlib program.
UNIT_X86_CC ?= gcc
$(UNIT_OUT)/pd_x86.elf: $(UNIT_FIX)/host.c
	@mkdir -p $(@D)
	$(UNIT_X86_CC) -nostdlib -static -O1 -o $@ $<
UNIT_KERNEL_CC := $(CROSS)gcc -nostdlib -static -Wl,--build-id=none -Wl,-T,$(UNIT_FIX)/kernel.ld
$(UNIT_OUT)/kernel.elf: $(UNIT_FIX)/kernel.S $(UNIT_FIX)/kernel.ld
	@mkdir -p $(@D)
	$(UNIT_KERNEL_CC) -o $@ $<
$(UNIT_OUT)/kernel_bad_magic.elf: $(UNIT_FIX)/kernel.S $(UNIT_FIX)/kernel.ld
	@mkdir -p $(@D)
	$(UNIT_KERNEL_CC) -DBAD_MAGIC -o $@ $<
$(UNIT_OUT)/kernel_text_offset.elf: $(UNIT_FIX)/kernel.S $(UNIT_FIX)/kernel.ld
	@mkdir -p $(@D)
	$(UNIT_KERNEL_CC) -DTEXT_OFFSET=0x80000 -o $@ $<
$(UNIT_OUT)/kernel_no_symbol.elf: $(UNIT_FIX)/kernel.S $(UNIT_FIX)/kernel.ld
	@mkdir -p $(@D)
	$(UNIT_KERNEL_CC) -DNO_SYMBOL -o $@ $<

# A VMM: a PD program that defines vmm_config; vmm_serial.elf also serial_client_config (the
# VMM of a guest with a <virtio_console>, test_virtio*.c).
$(UNIT_OUT)/vmm.elf: $(UNIT_FIX)/vmm.c include/vmm_config.h
	@mkdir -p $(@D)
	$(UNIT_PD_CC) -Iinclude -Wl,-Ttext=0x200000 -o $@ $<
$(UNIT_OUT)/vmm_serial.elf: $(UNIT_FIX)/vmm.c include/vmm_config.h include/serial_config.h
	@mkdir -p $(@D)
	$(UNIT_PD_CC) -Iinclude -DSERIAL_CLIENT -Wl,-Ttext=0x200000 -o $@ $<
$(UNIT_OUT)/vmm_serial1.elf: $(UNIT_FIX)/vmm.c include/vmm_config.h include/serial_config.h
	@mkdir -p $(@D)
	$(UNIT_PD_CC) -Iinclude -DSERIAL_CLIENT -DSERIAL_ONE -Wl,-Ttext=0x200000 -o $@ $<
# The fixture board with a device on SPI 0, which a <virtio_console>'s default SPI steps over.
$(UNIT_OUT)/board_virtio.dtb: $(UNIT_FIX)/board.dts

UNIT_IMAGE = $(CROSS)gcc -c -o $@.o $(1) $< && $(OBJCOPY) -O binary -j .text $@.o $@ && rm -f $@.o
$(UNIT_OUT)/Image: $(UNIT_FIX)/guest_image.S
	@mkdir -p $(@D)
	$(call UNIT_IMAGE,)
$(UNIT_OUT)/Image_bad_magic: $(UNIT_FIX)/guest_image.S
	@mkdir -p $(@D)
	$(call UNIT_IMAGE,-DBAD_MAGIC)
$(UNIT_OUT)/Image_huge: $(UNIT_FIX)/guest_image.S
	@mkdir -p $(@D)
	$(call UNIT_IMAGE,-DIMAGE_SIZE=0x10000000)
$(UNIT_OUT)/Image_nosize: $(UNIT_FIX)/guest_image.S
	@mkdir -p $(@D)
	$(call UNIT_IMAGE,-DIMAGE_SIZE=0)
$(UNIT_OUT)/Image_text_offset: $(UNIT_FIX)/guest_image.S
	@mkdir -p $(@D)
	$(call UNIT_IMAGE,-DTEXT_OFFSET=0x80000)
# Initrds: any bytes will do; these are recognisable and deterministic.
$(UNIT_OUT)/rootfs.cpio.gz:
	@mkdir -p $(@D)
	seq 1 2000 > $@
$(UNIT_OUT)/initrd2.img:
	@mkdir -p $(@D)
	seq 5000 5999 > $@

# Limits and the arm64 Image parser (test_limits_*.c): a big-endian Image and one cut short
# inside its header.
UNIT_LIMITS_GUEST := $(addprefix $(UNIT_OUT)/,Image_be Image_short)
test-unit: $(UNIT_LIMITS_GUEST)
$(UNIT_OUT)/Image_be: $(UNIT_FIX)/guest_image.S
	@mkdir -p $(@D)
	$(call UNIT_IMAGE,-DFLAGS=0xb)
$(UNIT_OUT)/Image_short: $(UNIT_OUT)/Image
	head -c 48 $< > $@
# libmicrokit's deferred calls, built on the host with its immediate calls faked.
$(UNIT_OUT)/test_limits_deferred.o: UNIT_CFLAGS += -Ilibmicrokit/include
$(UNIT_OUT)/test_limits_deferred.o: libmicrokit/src/deferred.c libmicrokit/include/microkit.h

# <serial> (test_serial*.c): stand-ins for the driver, virtualiser and client programs, each
# with the configuration symbol of its role.
UNIT_SERIAL_ELFS := $(addprefix $(UNIT_OUT)/,pl011.elf imx_uart.elf serial_tx.elf serial_rx.elf \
                    serial_client.elf)
test-unit: $(UNIT_SERIAL_ELFS)
UNIT_SERIAL_CC = $(UNIT_PD_CC) -Iinclude -Wl,-Ttext=0x200000 -o $@ $< $(1)
$(UNIT_OUT)/pl011.elf $(UNIT_OUT)/imx_uart.elf: $(UNIT_FIX)/serial_pd.c include/serial_config.h
	@mkdir -p $(@D)
	$(call UNIT_SERIAL_CC,-DSERIAL_DRIVER)
$(UNIT_OUT)/serial_tx.elf: $(UNIT_FIX)/serial_pd.c include/serial_config.h
	@mkdir -p $(@D)
	$(call UNIT_SERIAL_CC,-DSERIAL_TX)
$(UNIT_OUT)/serial_rx.elf: $(UNIT_FIX)/serial_pd.c include/serial_config.h
	@mkdir -p $(@D)
	$(call UNIT_SERIAL_CC,-DSERIAL_RX)
$(UNIT_OUT)/serial_client.elf: $(UNIT_FIX)/serial_pd.c include/serial_config.h
	@mkdir -p $(@D)
	$(call UNIT_SERIAL_CC,-DSERIAL_CLIENT)
$(UNIT_OUT)/board_serial.dtb: $(UNIT_FIX)/board.dts
# Boards with more than one core (test_cpus.c): the fixture board with cpus added.
$(UNIT_OUT)/board_smp2.dtb $(UNIT_OUT)/board_smp4.dtb: $(UNIT_FIX)/board.dts
$(UNIT_OUT)/board_smp2_nopsci.dtb: $(UNIT_FIX)/board_smp2.dts $(UNIT_FIX)/board.dts
# QEMU virt's own tree with four cores (test_cpus.c reads its cores and PSCI conduit).
UNIT_VIRT_SMP_DTB := $(UNIT_OUT)/qemu_virt_smp4.dtb
test-unit: $(UNIT_VIRT_SMP_DTB)
$(UNIT_VIRT_SMP_DTB):
	@mkdir -p $(@D)
	qemu-system-aarch64 -machine virt,virtualization=on,gic-version=3 -cpu cortex-a53 -m 1G -smp 4 -nic none \
	    -machine dumpdtb=$@ >/dev/null

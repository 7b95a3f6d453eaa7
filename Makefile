# Top-level build. Each part adds its rules through a build.mk fragment:
#   kernel/build.mk       -> $(KERNEL_ELF)
#   tools/mksys/build.mk  -> $(MKSYS) (host image tool)
#   libmicrokit/build.mk  -> $(LIBMICROKIT) and the PD link rule
#   tests/unit/build.mk   -> test-unit
#   images/build.mk       -> images (guest kernel and initramfs from Debian packages)
#   vmm/build.mk          -> $(VMM_LIB) (the VMM library PDs may link)
#   tests/vmm/build.mk    -> test-vmm (VMM and vGIC host unit tests)
#   guests/*/build.mk     -> small bare-metal guests (benchmarks, the SiP probe)
#   tools/console/console.mk -> console (QEMU and a terminal per serial client), test-console,
#                            test-console-qemu (the tool on a system in QEMU, through tmux)
BOARD  ?= qemu_virt
SYSTEM ?= virtio_console
BUILD  ?= build
CROSS  ?= aarch64-linux-gnu-
PYTHON ?= /usr/bin/python3

ifeq ($(wildcard boards/$(BOARD)/board.mk),)
$(error unknown BOARD '$(BOARD)': no boards/$(BOARD)/board.mk)
endif
include boards/$(BOARD)/board.mk
ifeq ($(filter 4k 2m,$(STAGE2_BLOCK)),)
$(error boards/$(BOARD)/board.mk: STAGE2_BLOCK must be 4k or 2m (the largest stage-2 leaf; docs/boards.md))
endif

HOST_CC     ?= gcc
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude
CC_PD       := $(CROSS)gcc
OBJCOPY     := $(CROSS)objcopy

BOARD_DIR   := $(BUILD)/$(BOARD)
SYS_DIR     := $(BOARD_DIR)/$(SYSTEM)
SYSTEM_FILE := systems/$(BOARD)/$(SYSTEM).system
BOARD_DTB   := $(BOARD_DIR)/board.dtb
IMAGE       := $(SYS_DIR)/system.img

.PHONY: all setup test-setup run test test-unit test-vmm test-virtio test-system bench clean images
all: $(IMAGE)

# `make setup` alone reads no build fragment: they ask pkg-config and the cross compiler about
# what setup is about to install, and would print errors on a fresh machine.
ifneq ($(MAKECMDGOALS),setup)
include kernel/build.mk
include tools/mksys/build.mk
include libmicrokit/build.mk
include tests/unit/build.mk
include images/build.mk
include vmm/build.mk
include virtio/build.mk
include tests/vmm/build.mk
include tests/virtio/build.mk
include tests/serial/build.mk
include tests/kernel/build.mk
include tests/serial_drivers/build.mk
include tests/serial_virt/build.mk
include tests/boards/build.mk
include guests/mmio_bench/build.mk
include guests/sip_probe/build.mk
include guests/vtimer_sleep/build.mk
include guests/cpu_work/build.mk
include guests/virtio_hostile/build.mk
include tests/fuzz/build.mk
include tests/quality.mk
include tools/console/console.mk
endif

setup:
	@./scripts/setup.sh

# setup's own checks: the backports mirror, and a silent `make setup` before anything is installed.
test-setup:
	@tests/setup/test_setup.sh

# The board's device tree: by default as QEMU itself describes the machine we run on; a board
# whose tree starts from Debian's kernel package says how in its board.mk (BOARD_DTB_CMD, made
# from BOARD_DTB_DEPS; docs/boards.md).
BOARD_DTB_CMD ?= $(QEMU) $(QEMU_MACHINE_ARGS) -machine dumpdtb=$@ >/dev/null
$(BOARD_DTB): boards/$(BOARD)/board.mk $(BOARD_DTB_DEPS)
	@mkdir -p $(@D)
	$(BOARD_DTB_CMD)

# What the system names, as mksys itself reads it (mksys --list-inputs): MKSYS_PROGRAMS, the
# PD programs, and MKSYS_GUEST_FILES, the <linux_vm> kernels and initrds. Make remakes this
# fragment (and mksys) first, then reads it: only for the goals that build this system's image,
# so `make check`, the unit tests and the like need no mksys.
SYS_INPUTS := $(SYS_DIR)/inputs.mk
ifneq ($(filter all run console test-system test-console-qemu $(IMAGE),$(or $(MAKECMDGOALS),all)),)
-include $(SYS_INPUTS)
endif
$(SYS_INPUTS): $(SYSTEM_FILE) $(MKSYS) $(BOARD_DTB)
	@mkdir -p $(@D)
	$(MKSYS) --list-inputs $@ --board $(BOARD_DTB) $(SYSTEM_FILE)

# A PD program <name>.elf is either a component's (a driver, a virtualiser, the VMM: built once
# into $(COMPONENT_DIR) from its own folder, see component.mk below) or the system's own, built
# from examples/<system>/<name>.c with libmicrokit alone.
COMPONENTS :=
include $(wildcard vmm/program/component.mk drivers/serial/*/component.mk serial_virt/component.mk \
                  examples/*/component.mk)
COMPONENT_DIR  := $(BUILD)/components
COMPONENT_ELFS := $(patsubst %,$(COMPONENT_DIR)/%.elf,$(COMPONENTS))
$(foreach c,$(COMPONENTS),$(eval $(call component_rules,$(c))))
.PHONY: components
components: $(COMPONENT_ELFS)

vpath %.c examples/$(SYSTEM)
PD_ELFS := $(foreach p,$(MKSYS_PROGRAMS),$(if $(filter $(p:.elf=),$(COMPONENTS)),$(COMPONENT_DIR)/$(p),$(SYS_DIR)/$(p)))
$(SYS_DIR)/%.elf: %.c $(wildcard examples/$(SYSTEM)/*.h) $(LIBMICROKIT) $(PD_LDSCRIPT)
	@mkdir -p $(@D)
	$(call pd_link,$@,$<)

# Guest files a system's <linux_vm> elements name are found in these directories.
GUEST_SEARCH := $(IMAGES_DIR) $(BUILD)/guests
# Only the guest files this system names get built.
GUEST_FILES  := $(filter $(addprefix %/,$(MKSYS_GUEST_FILES)),$(GUEST_KERNEL) $(GUEST_INITRD) $(MMIO_GUEST) \
                $(SIP_GUEST) $(VTIMER_GUESTS) $(CPU_WORK_GUEST))

$(IMAGE): $(MKSYS) $(KERNEL_ELF) $(BOARD_DTB) $(SYSTEM_FILE) $(PD_ELFS) $(GUEST_FILES)
	$(MKSYS) --board $(BOARD_DTB) --stage2-block $(STAGE2_BLOCK) $(if $(filter yes,$(KERNEL_IN_RAM)),--kernel-in-ram) \
	    --kernel $(KERNEL_ELF) \
	    --search $(SYS_DIR) --search $(COMPONENT_DIR) \
	    $(addprefix --search ,$(GUEST_SEARCH)) --report $(SYS_DIR)/report.txt \
	    --emit-system $(SYS_DIR)/expanded.system -o $@ $(SYSTEM_FILE)

# A board QEMU cannot model says why in BOARD_NO_QEMU (maaxboard: U-Boot starts its images).
run: $(IMAGE)
ifneq ($(BOARD_NO_QEMU),)
	@echo "$(BOARD): $(BOARD_NO_QEMU)"; echo "image: $(IMAGE)"; exit 1
else
	@echo "Booting $(BOARD)/$(SYSTEM): Ctrl-A x quits QEMU"
	$(QEMU) $(QEMU_MACHINE_ARGS) $(QEMU_RUN_ARGS) -kernel $(IMAGE)
endif

# System tests boot images in QEMU and read the real console (tests/system/test_<system>.py).
# test-images boots the guest without the hypervisor: the baseline the guest tests compare with.
# SYSTEM_TESTS are board/system pairs.
SYSTEM_TESTS := qemu_virt/hello qemu_virt/passthrough qemu_virt/bench qemu_virt/serial qemu_virt/timers \
                qemu_virt/smp qemu_virt/timers_smp qemu_virt/passthrough_smp qemu_virt/virtio_console \
                qemu_virt/virtio_console4 qemu_virt/virtio_console8 qemu_virt/virtio_hostile qemu_virt/virtio_multiport \
                imx8mp_evk/serial imx8mp_evk/passthrough \
                imx8mp_evk/virtio_console imx8mp_evk/virtio_console4
test: test-setup test-unit test-vmm test-virtio test-kernel test-serial test-serial-drivers test-serial-virt test-spin \
      test-sanitize check fuzz-short test-images test-boards test-console
	@for t in $(SYSTEM_TESTS); do \
	    $(MAKE) --no-print-directory test-system BOARD=$${t%%/*} SYSTEM=$${t#*/} || exit 1; done
	@$(MAKE) --no-print-directory test-console-qemu BOARD=qemu_virt SYSTEM=virtio_console8
	@echo "all tests passed"

test-system: $(IMAGE)
	$(PYTHON) tests/system/test_$(SYSTEM).py --board $(BOARD) --image $(IMAGE)

# The serial benchmark (scripts/bench_serial.py) runs on each board that can boot it.
SERIAL_BENCH_BOARDS := qemu_virt imx8mp_evk
# The passthrough guest's command line, read from its system file so both boots use the same.
PT_BOOTARGS = $(shell sed -n 's/.*bootargs="\([^"]*\)".*/\1/p' systems/qemu_virt/passthrough.system)
BENCH_GUESTS8 := guest0,guest1,guest2,guest3,guest4,guest5,guest6,guest7
bench:
	@for s in bench passthrough bench_cpu1 bench_cpu2; do \
	    $(MAKE) --no-print-directory BOARD=qemu_virt SYSTEM=$$s all || exit 1; done
	$(PYTHON) scripts/bench.py --board qemu_virt --bench-image $(BUILD)/qemu_virt/bench/system.img \
	    --passthrough-image $(BUILD)/qemu_virt/passthrough/system.img --image-dir $(IMAGES_DIR) \
	    --bootargs "$(PT_BOOTARGS)" --cpu1-image $(BUILD)/qemu_virt/bench_cpu1/system.img \
	    --cpu2-image $(BUILD)/qemu_virt/bench_cpu2/system.img
	@for s in virtio_bench1 virtio_bench2_core0 virtio_console virtio_bench4_core0 virtio_console4 \
	    virtio_console8 virtio_bench2_swapped; do \
	    $(MAKE) --no-print-directory BOARD=qemu_virt SYSTEM=$$s all || exit 1; done
	$(PYTHON) scripts/bench_virtio.py --board qemu_virt --image-dir $(IMAGES_DIR) --bootargs "$(PT_BOOTARGS)" \
	    --passthrough-image $(BUILD)/qemu_virt/passthrough/system.img \
	    --virtio "1 guest=$(BUILD)/qemu_virt/virtio_bench1/system.img:guest0" \
	    "2 guests, both on core 0=$(BUILD)/qemu_virt/virtio_bench2_core0/system.img:guest0,guest1" \
	    "2 guests, a core each=$(BUILD)/qemu_virt/virtio_console/system.img:guest0,guest1" \
	    "4 guests, all on core 0=$(BUILD)/qemu_virt/virtio_bench4_core0/system.img:guest0,guest1,guest2,guest3" \
	    "4 guests, two per core=$(BUILD)/qemu_virt/virtio_console4/system.img:guest0,guest1,guest2,guest3" \
	    "8 guests, four per core=$(BUILD)/qemu_virt/virtio_console8/system.img:$(BENCH_GUESTS8)"
	$(PYTHON) scripts/bench_console.py --board qemu_virt --image $(BUILD)/qemu_virt/virtio_console/system.img \
	    --swapped-image $(BUILD)/qemu_virt/virtio_bench2_swapped/system.img
	@for s in virtio_bench1 virtio_console virtio_console4; do \
	    $(MAKE) --no-print-directory BOARD=imx8mp_evk SYSTEM=$$s all || exit 1; done
	$(PYTHON) scripts/bench_virtio.py --board imx8mp_evk --virtio-only --image-dir $(IMAGES_DIR) --bootargs "" \
	    --passthrough-image "" \
	    --virtio "1 guest=$(BUILD)/imx8mp_evk/virtio_bench1/system.img:guest0" \
	    "2 guests, a core each=$(BUILD)/imx8mp_evk/virtio_console/system.img:guest0,guest1" \
	    "4 guests, a core each=$(BUILD)/imx8mp_evk/virtio_console4/system.img:guest0,guest1,guest2,guest3"
	@for b in $(SERIAL_BENCH_BOARDS); do \
	    $(MAKE) --no-print-directory BOARD=$$b SYSTEM=serial_bench all && \
	    $(MAKE) --no-print-directory BOARD=$$b SYSTEM=serial_bench_direct all && \
	    $(PYTHON) scripts/bench_serial.py --board $$b --serial-image $(BUILD)/$$b/serial_bench/system.img \
	        --direct-image $(BUILD)/$$b/serial_bench_direct/system.img || exit 1; \
	done

clean:
	rm -rf $(BUILD)

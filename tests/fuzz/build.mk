# libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined): see docs/fuzzing.md.
#   make fuzz [SECONDS=N] [FUZZ_KEEP_GOING=1]   every target N seconds (default 60), one after
#                           the other; KEEP_GOING saves each finding and goes on (fork mode)
#   make fuzz-short         every target for a fixed number of inputs; fails on any finding
#   make fuzz-crashes       runs the open crash inputs in tests/fuzz/crashes/ (fails while any crashes)
#   make fuzz-<target>      one target, as `make fuzz`
# The committed corpora (tests/fuzz/corpus/<target>/) are copied to $(FUZZ_WORK) first, so runs
# never modify the tree; new inputs and findings stay there. Needs the unit-test fixtures
# (tests/unit/build.mk) and the VMM test fakes (tests/vmm).
FUZZ_DIR      := tests/fuzz
FUZZ_OUT      := $(BUILD)/fuzz
FUZZ_WORK     := $(FUZZ_OUT)/work
FUZZ_CC       ?= clang
FUZZ_SECONDS  ?= $(or $(SECONDS),60)
FUZZ_RUNS     ?= 3000
FUZZ_TARGETS  := sdesc board board_fields board_glibc elf elf_fields image guest_image vgic exits serial_virt \
                 virtio vmm_config

# Instrumented for coverage and both sanitizers; UBSan findings abort instead of printing on,
# except the checks in FUZZ_RECOVER, which halt_on_error still makes fatal unless a known open
# finding in tests/fuzz/ubsan.supp says otherwise (empty it when they are fixed).
FUZZ_RECOVER  := nonnull-attribute
FUZZ_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all \
                 $(addprefix -fsanitize-recover=,$(FUZZ_RECOVER))
FUZZ_CFLAGS   := -std=gnu11 -O1 -g -fno-omit-frame-pointer -Wall -Wextra -Iinclude $(FUZZ_SAN) \
                 -fsanitize=fuzzer-no-link
FUZZ_LDFLAGS  := -fsanitize=fuzzer,address,undefined
# One crash, leak or UBSan report ends the run with exit status 77 (not libFuzzer's own 1,
# so make tells a finding from a broken setup).
FUZZ_OPTS     := -error_exitcode=77 -timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
                 -close_fd_mask=1 -print_final_stats=1
# fuzz-crashes runs without the suppressions: it says whether each open finding is still there.
FUZZ_ENV_STRICT := FUZZ_FIXTURES=$(abspath $(UNIT_FIX)) FUZZ_FIXTURE_OUT=$(abspath $(UNIT_OUT)) \
                   ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
FUZZ_ENV        := $(FUZZ_ENV_STRICT):suppressions=$(abspath $(FUZZ_DIR)/ubsan.supp)
FUZZ_BINS     := $(addprefix $(FUZZ_OUT)/fuzz_,$(FUZZ_TARGETS))

# mksys targets: the libmksys sources built with clang and instrumented.
FUZZ_MKSYS_OBJS := $(patsubst $(MKSYS_DIR)/%.c,$(FUZZ_OUT)/mksys/%.o,$(MKSYS_SRCS))
FUZZ_MKSYS_CFLAGS := $(FUZZ_CFLAGS) -I$(MKSYS_DIR) $(shell pkg-config --cflags $(MKSYS_PKGS)) \
                     -DFIXTURES='"$(UNIT_FIX)"' -DFIXTURE_OUT='"$(UNIT_OUT)"'
$(FUZZ_MKSYS_OBJS): $(FUZZ_OUT)/mksys/%.o: $(MKSYS_DIR)/%.c $(MKSYS_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_MKSYS_CFLAGS) -c -o $@ $<
FUZZ_MKSYS_TARGETS := sdesc board board_fields elf elf_fields image
FUZZ_MKSYS_DRV := $(addprefix $(FUZZ_OUT)/mksys/,$(addsuffix .o,$(addprefix fuzz_,$(FUZZ_MKSYS_TARGETS)) mksys_driver))
$(FUZZ_MKSYS_DRV): $(FUZZ_OUT)/mksys/%.o: $(FUZZ_DIR)/%.c $(wildcard $(FUZZ_DIR)/*.h) $(MKSYS_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_MKSYS_CFLAGS) -Werror -c -o $@ $<
$(addprefix $(FUZZ_OUT)/fuzz_,$(FUZZ_MKSYS_TARGETS)): $(FUZZ_OUT)/fuzz_%: $(FUZZ_OUT)/mksys/fuzz_%.o \
        $(FUZZ_OUT)/mksys/mksys_driver.o $(FUZZ_MKSYS_OBJS)
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^ $(MKSYS_LDLIBS)

# board_glibc: fuzz_board.c again without ASan, on glibc's malloc with its consistency checks
# (libc_malloc_debug), so a write past a heap block inside uninstrumented libfdt is caught when
# the block is freed. UBSan stays on; it shares board's corpus and dictionary.
FUZZ_PLAIN_OBJS := $(patsubst $(MKSYS_DIR)/%.c,$(FUZZ_OUT)/mksys-plain/%.o,$(MKSYS_SRCS)) \
                   $(addprefix $(FUZZ_OUT)/mksys-plain/,fuzz_board.o mksys_driver.o)
FUZZ_PLAIN_CFLAGS := $(filter-out -fsanitize=address%,$(FUZZ_MKSYS_CFLAGS)) -fsanitize=undefined
$(FUZZ_OUT)/mksys-plain/%.o: $(MKSYS_DIR)/%.c $(MKSYS_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_PLAIN_CFLAGS) -c -o $@ $<
$(FUZZ_OUT)/mksys-plain/%.o: $(FUZZ_DIR)/%.c $(wildcard $(FUZZ_DIR)/*.h) $(MKSYS_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_PLAIN_CFLAGS) -Werror -c -o $@ $<
$(FUZZ_OUT)/fuzz_board_glibc: $(FUZZ_PLAIN_OBJS)
	$(FUZZ_CC) -fsanitize=fuzzer,undefined -o $@ $^ $(MKSYS_LDLIBS)
FUZZ_CORPUS_board_glibc := board
FUZZ_ENV_board_glibc    := LD_PRELOAD=libc_malloc_debug.so.0 GLIBC_TUNABLES=glibc.malloc.check=3

# VMM targets: the core and the vGIC (one archive, so each target takes what it calls) and the
# host fakes of tests/vmm, compiled with clang here rather than shared with test-vmm's gcc build.
FUZZ_VMM_SRCS   := $(wildcard vmm/src/*.c)
FUZZ_VMM_OBJS   := $(patsubst vmm/src/%.c,$(FUZZ_OUT)/vmm/%.o,$(FUZZ_VMM_SRCS))
FUZZ_VMM_LIB    := $(FUZZ_OUT)/vmm/libvmm-fuzz.a
FUZZ_VMM_CFLAGS := $(FUZZ_CFLAGS) -Ilibmicrokit/include -Ivmm/include -Ivmm/src -Ivirtio/include -I$(VMMT_DIR) \
                   $(shell pkg-config --cflags cmocka)
FUZZ_VMM_HDRS   := $(wildcard vmm/include/*.h vmm/src/*.h $(VMMT_DIR)/*.h $(FUZZ_DIR)/*.h virtio/include/*.h) \
                   $(wildcard include/*.h libmicrokit/include/*.h)
# The core's virtIO devices (vmm/src/virtio_*.c) need the virtio library in the same archive.
FUZZ_VMM_VIRTIO_OBJS := $(patsubst virtio/src/%.c,$(FUZZ_OUT)/vmm/virtio/%.o,$(wildcard virtio/src/*.c))
$(FUZZ_VMM_VIRTIO_OBJS): $(FUZZ_OUT)/vmm/virtio/%.o: virtio/src/%.c $(FUZZ_VMM_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_VMM_CFLAGS) -c -o $@ $<
$(FUZZ_VMM_OBJS): $(FUZZ_OUT)/vmm/%.o: vmm/src/%.c $(FUZZ_VMM_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_VMM_CFLAGS) -c -o $@ $<
$(FUZZ_OUT)/vmm/fake_port.o $(FUZZ_OUT)/vmm/fixture.o: $(FUZZ_OUT)/vmm/%.o: $(VMMT_DIR)/%.c $(FUZZ_VMM_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_VMM_CFLAGS) -c -o $@ $<
$(FUZZ_OUT)/vmm/fuzz_%.o: $(FUZZ_DIR)/fuzz_%.c $(FUZZ_VMM_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_VMM_CFLAGS) -Werror -c -o $@ $<
$(FUZZ_VMM_LIB): $(FUZZ_VMM_OBJS) $(FUZZ_VMM_VIRTIO_OBJS)
	rm -f $@
	ar rcs $@ $^
$(FUZZ_OUT)/fuzz_vgic $(FUZZ_OUT)/fuzz_guest_image: $(FUZZ_OUT)/fuzz_%: $(FUZZ_OUT)/vmm/fuzz_%.o $(FUZZ_VMM_LIB)
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^
$(FUZZ_OUT)/fuzz_exits $(FUZZ_OUT)/fuzz_vmm_config: $(FUZZ_OUT)/fuzz_%: $(FUZZ_OUT)/vmm/fuzz_%.o \
        $(FUZZ_OUT)/vmm/fixture.o $(FUZZ_OUT)/vmm/fake_port.o $(FUZZ_VMM_LIB)
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^ $(shell pkg-config --libs cmocka)

# The serial virtualisers' logic (TX mux, RX router, config checks), without their PD glue.
FUZZ_SVIRT_SRCS := $(addprefix serial_virt/,tx_mux.c tx_setup.c tx_banner.c rx_route.c rx_setup.c config_check.c frame.c)
$(FUZZ_OUT)/fuzz_serial_virt: $(FUZZ_DIR)/fuzz_serial_virt.c $(FUZZ_SVIRT_SRCS) $(wildcard serial_virt/*.h) \
        $(FUZZ_DIR)/fuzz_bytes.h include/serial_queue.h include/serial_config.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iserial_virt -Werror $(FUZZ_LDFLAGS) -o $@ $(FUZZ_DIR)/fuzz_serial_virt.c $(FUZZ_SVIRT_SRCS)

# The virtIO library (virtio/): the transport and the console device on fake guest RAM and rings.
FUZZ_VIRTIO_SRCS := $(wildcard virtio/src/*.c)
$(FUZZ_OUT)/fuzz_virtio: $(FUZZ_DIR)/fuzz_virtio.c $(FUZZ_VIRTIO_SRCS) $(wildcard virtio/include/*.h) \
        $(FUZZ_DIR)/fuzz_bytes.h include/serial_client.h include/serial_queue.h include/serial_config.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Ivirtio/include -Werror $(FUZZ_LDFLAGS) -o $@ $(FUZZ_DIR)/fuzz_virtio.c $(FUZZ_VIRTIO_SRCS)

# Running. Each target gets a fresh copy of its committed corpus in $(FUZZ_WORK)/<target>.
FUZZ_FIXTURE_FILES := $(UNIT_DTBS) $(UNIT_ELFS) $(UNIT_GUEST) $(UNIT_SERIAL_ELFS)
.PHONY: fuzz fuzz-build fuzz-short fuzz-crashes $(addprefix fuzz-,$(FUZZ_TARGETS))
fuzz-build: $(FUZZ_BINS) $(FUZZ_FIXTURE_FILES)

# A target's corpus and dictionary: its own, or those of the target it is a variant of.
fuzz_corpus = $(or $(FUZZ_CORPUS_$(1)),$(1))
# $(call fuzz_run,target,extra libFuzzer options)
define fuzz_run
	@rm -rf $(FUZZ_WORK)/$(1) && mkdir -p $(FUZZ_WORK)/$(1)/corpus
	@cp $(FUZZ_DIR)/corpus/$(call fuzz_corpus,$(1))/* $(FUZZ_WORK)/$(1)/corpus/
	@echo "== fuzz_$(1) $(2)"
	@cd $(FUZZ_WORK)/$(1) && env $(FUZZ_ENV) $(FUZZ_ENV_$(1)) $(abspath $(FUZZ_OUT))/fuzz_$(1) $(FUZZ_OPTS) $(2) \
	    $(if $(wildcard $(FUZZ_DIR)/$(call fuzz_corpus,$(1)).dict),-dict=$(abspath $(FUZZ_DIR)/$(call fuzz_corpus,$(1)).dict)) \
	    -artifact_prefix=$(abspath $(FUZZ_WORK)/$(1))/ corpus > log.txt 2>&1 \
	    && ! ls crash-* leak-* timeout-* oom-* >/dev/null 2>&1 \
	    || { tail -n 60 log.txt; echo "fuzz_$(1): FINDING (inputs and log in $(FUZZ_WORK)/$(1))"; exit 1; }
	@grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' $(FUZZ_WORK)/$(1)/log.txt | tr '\n' ' '; \
	    grep -E '^#[0-9]+: cov' $(FUZZ_WORK)/$(1)/log.txt | tail -n 1; echo
endef
# FUZZ_KEEP_GOING=1: fork mode, so a finding is saved and the run goes on to look for more.
FUZZ_LONG_OPTS = -max_total_time=$(FUZZ_SECONDS) \
                 $(if $(FUZZ_KEEP_GOING),-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)

$(addprefix fuzz-,$(FUZZ_TARGETS)): fuzz-%: fuzz-build
	$(call fuzz_run,$*,$(FUZZ_LONG_OPTS))

fuzz: fuzz-build
	@fail=0; for t in $(FUZZ_TARGETS); do \
	    $(MAKE) --no-print-directory fuzz-$$t FUZZ_SECONDS=$(FUZZ_SECONDS) || fail=1; done; \
	if [ $$fail = 0 ]; then echo "fuzzing found nothing"; else echo "fuzzing FOUND PROBLEMS"; exit 1; fi

# A fixed number of inputs per target (the corpus first, then mutations), with a fixed seed so
# a run is repeatable; part of `make test`.
fuzz-short: fuzz-build
	@fail=0; for t in $(FUZZ_TARGETS); do \
	    $(MAKE) --no-print-directory fuzz-short-$$t || fail=1; done; \
	if [ $$fail = 0 ]; then echo "fuzz-short passed"; else echo "fuzz-short FAILED"; exit 1; fi
fuzz-short-%: fuzz-build
	$(call fuzz_run,$*,-runs=$(FUZZ_RUNS) -seed=1)

# Inputs that crashed a target and are not fixed yet; once fixed they move to the corpus.
fuzz-crashes: fuzz-build
	@fail=0; for d in $(wildcard $(FUZZ_DIR)/crashes/*/); do t=$$(basename $$d); \
	    for f in $$d*; do [ -f $$f ] || continue; \
	        if env $(FUZZ_ENV_STRICT) $(FUZZ_OUT)/fuzz_$$t -timeout=20 $$f >/dev/null 2>&1; then echo "fixed: $$f"; \
	        else echo "CRASHES: $$f"; fail=1; fi; done; done; exit $$fail

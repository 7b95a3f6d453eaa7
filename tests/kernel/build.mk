# Host unit tests (cmocka) of kernel code that needs no hardware: `make test-kernel` builds each
# tests/kernel/test_<name>.c with kernel/core/<name>.c, against the fakes the test defines.
# Needs HOST_CC and HOST_CFLAGS, so test-sanitize runs it too.
KERNT_DIR    := tests/kernel
KERNT_OUT    := $(BUILD)/host/kernel
KERNT_CFLAGS := $(HOST_CFLAGS) -Ikernel/include -Ikernel/arch/aarch64/include $(shell pkg-config --cflags cmocka)
KERNT_LDLIBS := $(shell pkg-config --libs cmocka)
KERNT_TESTS  := $(patsubst $(KERNT_DIR)/%.c,$(KERNT_OUT)/%,$(wildcard $(KERNT_DIR)/test_*.c))

# bootimg.c's linker symbols: the host's C runtime has its own _start.
KERNT_CFLAGS_bootimg := -D_start=kern_image_start -D__stack_top=kern_image_end
# fastpath.c with the real ready queues and IPC, and this_cpu() the test's core.
KERNT_CFLAGS_fastpath := -DKERNEL_HOST_TEST
KERNT_SRCS_fastpath   := kernel/core/runq.c kernel/core/ipc.c
# budget.c with the real ready queues.
KERNT_CFLAGS_budget := -DKERNEL_HOST_TEST
KERNT_SRCS_budget   := kernel/core/runq.c

.PHONY: test-kernel
test-kernel: $(KERNT_TESTS)
	@fail=0; for t in $(KERNT_TESTS); do echo "== $$t"; $$t || fail=1; done; \
	if [ $$fail = 0 ]; then echo "kernel host tests passed"; else echo "kernel host tests FAILED"; exit 1; fi

$(KERNT_OUT)/test_%: $(KERNT_DIR)/test_%.c kernel/core/%.c $(wildcard kernel/include/*.h kernel/arch/aarch64/include/*.h) include/serial_queue.h include/sysimg.h
	@mkdir -p $(@D)
	$(HOST_CC) $(KERNT_CFLAGS) $(KERNT_CFLAGS_$*) -o $@ $< kernel/core/$*.c $(KERNT_SRCS_$*) $(KERNT_LDLIBS)

# The serial queue protocol (include/serial_queue.h):
#   test-serial  host unit tests (cmocka): tests/serial/test_queue.c on one thread, and
#                tests/serial/test_stress.c, two threads through a 64-byte ring. Needs HOST_CC and
#                HOST_CFLAGS, so test-sanitize runs them again under ASan and UBSan. It also
#                compiles tests/serial/pd_build.c with the PD compiler and flags (picolibc, aarch64).
#   test-spin    the Promela model of the signalling protocol (tests/serial/queue.pml), checked with
#                spin: the protocol must pass, and each broken variant must fail.
SERIALT_DIR    := tests/serial
SERIALT_OUT    := $(BUILD)/host/serial
SERIALT_CFLAGS := $(HOST_CFLAGS) $(shell pkg-config --cflags cmocka)
SERIALT_LDLIBS := $(shell pkg-config --libs cmocka) -lpthread
SERIALT_TESTS  := $(patsubst $(SERIALT_DIR)/%.c,$(SERIALT_OUT)/%,$(wildcard $(SERIALT_DIR)/test_*.c))
SPIN           ?= spin

.PHONY: test-serial test-spin
SERIALT_PD_OBJ := $(SERIALT_OUT)/pd_build.o

test-serial: $(SERIALT_TESTS) $(SERIALT_PD_OBJ)
	@fail=0; for t in $(SERIALT_TESTS); do echo "== $$t"; $$t || fail=1; done; \
	if [ $$fail = 0 ]; then echo "serial queue tests passed"; else echo "serial queue tests FAILED"; exit 1; fi

$(SERIALT_TESTS): $(SERIALT_OUT)/%: $(SERIALT_DIR)/%.c include/serial_queue.h
	@mkdir -p $(@D)
	$(HOST_CC) $(SERIALT_CFLAGS) -o $@ $< $(SERIALT_LDLIBS)

$(SERIALT_PD_OBJ): $(SERIALT_DIR)/pd_build.c include/serial_queue.h
	@mkdir -p $(@D)
	$(CC_PD) $(PD_CFLAGS) -c -o $@ $<

test-spin: $(SERIALT_DIR)/queue.pml $(SERIALT_DIR)/spin_check.sh
	@SPIN=$(SPIN) CC=gcc $(SERIALT_DIR)/spin_check.sh $(SERIALT_DIR)/queue.pml $(SERIALT_OUT)/spin

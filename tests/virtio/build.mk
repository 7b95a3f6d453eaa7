# Host unit tests (cmocka) of the virtIO library: `make test-virtio` builds and runs every
# tests/virtio/test_*.c against the library's host objects (virtio/build.mk) and a fake guest
# driver in memory (fake_guest.c), and builds $(VIRTIO_LIB) with the PD compiler and flags.
# Needs HOST_CC and HOST_CFLAGS, so a sanitizer build can run it as the other host tests.
VIRTIOT_DIR    := tests/virtio
VIRTIOT_OUT    := $(BUILD)/host/virtio-tests
VIRTIOT_CFLAGS := $(HOST_CFLAGS) $(VIRTIO_INC) -I$(VIRTIOT_DIR) $(shell pkg-config --cflags cmocka)
VIRTIOT_LDLIBS := $(shell pkg-config --libs cmocka)
VIRTIOT_TESTS  := $(patsubst $(VIRTIOT_DIR)/%.c,$(VIRTIOT_OUT)/%,$(wildcard $(VIRTIOT_DIR)/test_*.c))
VIRTIOT_SUPPORT := $(VIRTIOT_OUT)/fake_guest.o
VIRTIOT_HDRS   := $(VIRTIO_HDRS) $(wildcard $(VIRTIOT_DIR)/*.h)

.PHONY: test-virtio
test-virtio: $(VIRTIOT_TESTS) $(VIRTIO_LIB)
	@fail=0; for t in $(VIRTIOT_TESTS); do echo "== $$t"; $$t || fail=1; done; \
	if [ $$fail = 0 ]; then echo "virtio tests passed"; else echo "virtio tests FAILED"; exit 1; fi

$(VIRTIOT_SUPPORT) $(VIRTIOT_TESTS:=.o): $(VIRTIOT_OUT)/%.o: $(VIRTIOT_DIR)/%.c $(VIRTIOT_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(VIRTIOT_CFLAGS) -c -o $@ $<

$(VIRTIOT_TESTS): %: %.o $(VIRTIOT_SUPPORT) $(VIRTIO_HOST_OBJS)
	$(HOST_CC) -o $@ $^ $(VIRTIOT_LDLIBS)

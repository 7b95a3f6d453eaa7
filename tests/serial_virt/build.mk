# The serial virtualisers' logic (serial_virt/, docs/serial-virt.md):
#   test-serial-virt  host unit tests (cmocka) of the TX mux, the RX router and their
#                     configuration checks, against rings in memory. Built with HOST_CC and
#                     HOST_CFLAGS, so test-sanitize can run them again under ASan and UBSan.
SVIRT_DIR    := tests/serial_virt
SVIRT_OUT    := $(BUILD)/host/serial_virt
SVIRT_CFLAGS := $(HOST_CFLAGS) -Iserial_virt $(shell pkg-config --cflags cmocka)
SVIRT_LDLIBS := $(shell pkg-config --libs cmocka)
SVIRT_LIB    := tx_mux tx_setup tx_banner rx_route rx_setup config_check frame
SVIRT_OBJS   := $(patsubst %,$(SVIRT_OUT)/lib/%.o,$(SVIRT_LIB))
SVIRT_HDRS   := $(wildcard serial_virt/*.h $(SVIRT_DIR)/*.h) include/serial_queue.h include/serial_config.h
SVIRT_TESTS  := $(patsubst $(SVIRT_DIR)/%.c,$(SVIRT_OUT)/%,$(wildcard $(SVIRT_DIR)/test_*.c))

.PHONY: test-serial-virt
test-serial-virt: $(SVIRT_TESTS)
	@fail=0; for t in $(SVIRT_TESTS); do echo "== $$t"; $$t || fail=1; done; \
	if [ $$fail = 0 ]; then echo "serial virtualiser tests passed"; else echo "serial virtualiser tests FAILED"; exit 1; fi

$(SVIRT_OBJS): $(SVIRT_OUT)/lib/%.o: serial_virt/%.c $(SVIRT_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(SVIRT_CFLAGS) -c -o $@ $<

$(SVIRT_TESTS): $(SVIRT_OUT)/%: $(SVIRT_DIR)/%.c $(SVIRT_OBJS) $(SVIRT_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(SVIRT_CFLAGS) -o $@ $< $(SVIRT_OBJS) $(SVIRT_LDLIBS)

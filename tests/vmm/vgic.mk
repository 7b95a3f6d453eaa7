# vGIC unit tests (cmocka, host compiler). `make test-vgic` builds each tests/vmm/test_vgic_*.c
# together with vmm/src/vgic_*.c (the fake LR port lives in tests/vmm/test_vgic_fake.h) and runs
# them all; it fails if any test fails. Included from tests/vmm/build.mk.
VGIC_TEST_DIR    := tests/vmm
VGIC_TEST_OUT    := $(BUILD)/host/vmm
VGIC_SRCS        := $(wildcard vmm/src/vgic_*.c)
VGIC_DEPS        := $(VGIC_SRCS) vmm/include/vgic.h vmm/src/vgic_internal.h $(VGIC_TEST_DIR)/test_vgic_fake.h
VGIC_TEST_CFLAGS := $(HOST_CFLAGS) -Ivmm/include -Ivmm/src $(shell pkg-config --cflags cmocka)
VGIC_TEST_LIBS   := $(shell pkg-config --libs cmocka)
VGIC_TESTS       := $(patsubst $(VGIC_TEST_DIR)/%.c,$(VGIC_TEST_OUT)/%,$(wildcard $(VGIC_TEST_DIR)/test_vgic_*.c))

.PHONY: test-vgic
test-vgic: $(VGIC_TESTS)
	@fail=0; for t in $(VGIC_TESTS); do echo "== $$t"; $$t || fail=1; done; \
	if [ $$fail = 0 ]; then echo "vgic tests passed"; else echo "vgic tests FAILED"; exit 1; fi

# One executable per test file; the vGIC sources are small, so they are compiled in directly.
$(VGIC_TEST_OUT)/test_vgic_%: $(VGIC_TEST_DIR)/test_vgic_%.c $(VGIC_DEPS)
	@mkdir -p $(@D)
	$(HOST_CC) $(VGIC_TEST_CFLAGS) -o $@ $< $(VGIC_SRCS) $(VGIC_TEST_LIBS)

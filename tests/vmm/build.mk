# Host unit tests (cmocka) of the VMM core: `make test-vmm` builds and runs every
# tests/vmm/test_*.c (except the vGIC's own, from tests/vmm/vgic.mk, run as test-vgic) against
# the core's sources (vmm/src/*.c without the vGIC) and the fakes of its port, its microkit.h
# calls and the vGIC (fake_port.c, fake_vgic.c), and test_port_hostkernel.c against the port
# itself (vmm/port/hostkernel.c with -DVMM_HOST_TEST, its microkit.h calls faked in the test).
# Needs HOST_CC and HOST_CFLAGS.
VMMT_DIR    := tests/vmm
VMMT_OUT    := $(BUILD)/host/vmm-core
VMMT_CFLAGS := $(HOST_CFLAGS) -Ilibmicrokit/include -Ivmm/include -Ivirtio/include -I$(VMMT_DIR) \
               $(shell pkg-config --cflags cmocka)
VMMT_LDLIBS := $(shell pkg-config --libs cmocka)

VMMT_CORE_SRCS := $(filter-out vmm/src/vgic_%.c,$(wildcard vmm/src/*.c))
VMMT_CORE_OBJS := $(patsubst vmm/src/%.c,$(VMMT_OUT)/core/%.o,$(VMMT_CORE_SRCS))
VMMT_SUPPORT   := $(addprefix $(VMMT_OUT)/,fake_port.o fake_vgic.o fixture.o)
# test_irq_loss runs the core with the real vGIC instead of its fake.
VMMT_REAL_VGIC := $(VMMT_OUT)/test_irq_loss
# test_port_hostkernel runs the real port (and no core): its kernel calls are the test's fakes.
VMMT_PORT      := $(VMMT_OUT)/test_port_hostkernel
VMMT_TESTS     := $(patsubst $(VMMT_DIR)/%.c,$(VMMT_OUT)/%,\
                  $(filter-out $(VMMT_DIR)/test_vgic%.c $(VMMT_DIR)/test_irq_loss.c $(VMMT_DIR)/test_port_hostkernel.c,$(wildcard $(VMMT_DIR)/test_*.c)))
VMMT_VGIC_OBJS := $(patsubst vmm/src/%.c,$(VMMT_OUT)/vgic/%.o,$(wildcard vmm/src/vgic_*.c))
VMMT_HDRS      := $(wildcard vmm/include/*.h $(VMMT_DIR)/*.h virtio/include/*.h) include/pd_abi.h include/vmm_config.h \
                  libmicrokit/include/microkit.h

VMMT_DEPS :=
ifneq ($(wildcard $(VMMT_DIR)/vgic.mk),)
include $(VMMT_DIR)/vgic.mk
VMMT_DEPS += test-vgic
endif

.PHONY: test-vmm
test-vmm: $(VMMT_TESTS) $(VMMT_REAL_VGIC) $(VMMT_PORT) $(VMMT_DEPS)
	@fail=0; for t in $(VMMT_TESTS) $(VMMT_REAL_VGIC) $(VMMT_PORT); do echo "== $$t"; $$t || fail=1; done; \
	if [ $$fail = 0 ]; then echo "vmm tests passed"; else echo "vmm tests FAILED"; exit 1; fi

$(VMMT_CORE_OBJS): $(VMMT_OUT)/core/%.o: vmm/src/%.c $(VMMT_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(VMMT_CFLAGS) -c -o $@ $<

$(VMMT_VGIC_OBJS): $(VMMT_OUT)/vgic/%.o: vmm/src/%.c $(VMMT_HDRS) vmm/src/vgic_internal.h
	@mkdir -p $(@D)
	$(HOST_CC) $(VMMT_CFLAGS) -c -o $@ $<

$(VMMT_SUPPORT) $(VMMT_TESTS:=.o) $(VMMT_REAL_VGIC:=.o) $(VMMT_PORT:=.o): $(VMMT_OUT)/%.o: $(VMMT_DIR)/%.c $(VMMT_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(VMMT_CFLAGS) -c -o $@ $<

# The core's virtIO devices (vmm/src/virtio_*.c) sit on the virtio library (virtio/build.mk).
$(VMMT_TESTS): %: %.o $(VMMT_CORE_OBJS) $(VMMT_SUPPORT) $(VIRTIO_HOST_OBJS)
	$(HOST_CC) -o $@ $^ $(VMMT_LDLIBS)

$(VMMT_REAL_VGIC): %: %.o $(VMMT_CORE_OBJS) $(VMMT_VGIC_OBJS) $(VMMT_OUT)/fake_port.o $(VMMT_OUT)/fixture.o \
                   $(VIRTIO_HOST_OBJS)
	$(HOST_CC) -o $@ $^ $(VMMT_LDLIBS)

$(VMMT_OUT)/port/hostkernel.o: vmm/port/hostkernel.c $(VMMT_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(VMMT_CFLAGS) -DVMM_HOST_TEST -c -o $@ $<

$(VMMT_PORT): %: %.o $(VMMT_OUT)/port/hostkernel.o
	$(HOST_CC) -o $@ $^ $(VMMT_LDLIBS)

# The virtIO library (virtio/): the virtio-mmio transport and its devices, pure C.
#   $(VIRTIO_LIB)        for the VMM PD: built with the PD flags of libmicrokit/build.mk (include
#                        that first) and -flto as the VMM library is; a VMM compiles with
#                        $(VIRTIO_CFLAGS) and links $(VIRTIO_LIB) ahead of $(LIBMICROKIT)
#   $(VIRTIO_HOST_OBJS)  the same sources for host tests, with $(HOST_CC) and $(HOST_CFLAGS)
VIRTIO_LIB       := $(BUILD)/virtio/libvirtio.a
VIRTIO_INC       := -Ivirtio/include
VIRTIO_CFLAGS    := $(VIRTIO_INC) -flto
VIRTIO_SRCS      := $(wildcard virtio/src/*.c)
VIRTIO_HDRS      := $(wildcard virtio/include/*.h) include/serial_client.h include/serial_queue.h \
                    include/serial_config.h include/sys_limits.h
VIRTIO_OBJS      := $(patsubst virtio/src/%.c,$(BUILD)/virtio/%.o,$(VIRTIO_SRCS))
VIRTIO_HOST_OUT  := $(BUILD)/host/virtio
VIRTIO_HOST_OBJS := $(patsubst virtio/src/%.c,$(VIRTIO_HOST_OUT)/%.o,$(VIRTIO_SRCS))

$(VIRTIO_OBJS): $(BUILD)/virtio/%.o: virtio/src/%.c virtio/build.mk libmicrokit/build.mk
	@mkdir -p $(@D)
	$(CC_PD) $(PD_CFLAGS) $(VIRTIO_CFLAGS) -MMD -MP -c -o $@ $<

$(VIRTIO_LIB): $(VIRTIO_OBJS)
	@rm -f $@
	$(CROSS)gcc-ar rcs $@ $^

$(VIRTIO_HOST_OBJS): $(VIRTIO_HOST_OUT)/%.o: virtio/src/%.c $(VIRTIO_HDRS) virtio/build.mk
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(VIRTIO_INC) -c -o $@ $<

.PHONY: virtio-lib
virtio-lib: $(VIRTIO_LIB)

-include $(VIRTIO_OBJS:.o=.d)

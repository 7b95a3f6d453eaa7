# The VMM library for VMM PDs: $(VMM_LIB), built with the PD flags of libmicrokit/build.mk
# (include that first). It holds the VMM core and the vGIC (vmm/src/*.c) and the port for this
# project's kernel (vmm/port/*.c). A PD that uses it compiles with $(VMM_CFLAGS) and links
# $(VMM_LIB) and the virtIO library (virtio/build.mk) before $(LIBMICROKIT).
VMM_LIB    := $(BUILD)/vmm/libvmm.a
# -flto: an exit's path crosses a dozen small functions in as many files (decode, dispatch,
# emulate, reply); link-time optimisation inlines across them, as the kernel's build does.
VMM_CFLAGS := -Ivmm/include -Ivirtio/include -flto
VMM_SRCS   := $(wildcard vmm/src/*.c vmm/port/*.c)
VMM_OBJS   := $(patsubst vmm/%.c,$(BUILD)/vmm/%.o,$(VMM_SRCS))

$(BUILD)/vmm/%.o: vmm/%.c
	@mkdir -p $(@D)
	$(CC_PD) $(PD_CFLAGS) $(VMM_CFLAGS) -MMD -MP -c -o $@ $<

# A change of flags here or in the PD flags rebuilds the library (make tracks no flags).
$(VMM_OBJS): vmm/build.mk libmicrokit/build.mk

$(VMM_LIB): $(VMM_OBJS)
	@rm -f $@
	$(CROSS)gcc-ar rcs $@ $^

-include $(VMM_OBJS:.o=.d)

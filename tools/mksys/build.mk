# Host image tool. Everything but main.c goes into libmksys.a, which the unit tests link too.
MKSYS_DIR     := tools/mksys
MKSYS_OBJDIR  := $(BUILD)/host/mksys-obj
MKSYS         := $(BUILD)/host/mksys
MKSYS_LIB     := $(BUILD)/host/libmksys.a
MKSYS_PKGS    := libxml-2.0 libelf
MKSYS_CFLAGS  := $(HOST_CFLAGS) -I$(MKSYS_DIR) $(shell pkg-config --cflags $(MKSYS_PKGS))
MKSYS_LDLIBS  := $(shell pkg-config --libs $(MKSYS_PKGS)) -lfdt
MKSYS_SRCS    := $(filter-out $(MKSYS_DIR)/main.c,$(wildcard $(MKSYS_DIR)/*.c))
MKSYS_OBJS    := $(patsubst $(MKSYS_DIR)/%.c,$(MKSYS_OBJDIR)/%.o,$(MKSYS_SRCS))
MKSYS_HDRS    := $(wildcard $(MKSYS_DIR)/*.h) include/sysimg.h include/pd_abi.h include/vmm_config.h include/serial_config.h include/serial_queue.h \
                 include/sys_limits.h vmm/include/arm64_image.h vmm/src/arm64_image.c

$(MKSYS_OBJDIR)/%.o: $(MKSYS_DIR)/%.c $(MKSYS_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(MKSYS_CFLAGS) -c -o $@ $<

$(MKSYS_LIB): $(MKSYS_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(MKSYS): $(MKSYS_OBJDIR)/main.o $(MKSYS_LIB)
	$(HOST_CC) $(MKSYS_CFLAGS) -o $@ $^ $(MKSYS_LDLIBS)

# Lets `make $(pwd)/build/host/mksys` work as well as `make build/host/mksys`.
ifneq ($(abspath $(MKSYS)),$(MKSYS))
$(abspath $(MKSYS)): $(MKSYS)
endif

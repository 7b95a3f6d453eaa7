# The PD runtime: libmicrokit.a, the PD link map, and `pd_link` for the top-level PD rule.
# PDs are freestanding EL1 programs using picolibc as their C library.
LIBMICROKIT := $(BUILD)/libmicrokit/libmicrokit.a
PD_LDSCRIPT := libmicrokit/pd.ld

PICOLIBC := /usr/lib/picolibc/aarch64-linux-gnu
# -nostdinc drops gcc's own headers too; stddef.h, stdarg.h and stdbool.h come from there.
PD_GCC_INC := $(shell $(CC_PD) -print-file-name=include)

# Outline atomics would need getauxval(); PDs run on one known CPU, so inline them.
PD_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -nostdinc \
             -isystem $(PICOLIBC)/include -isystem $(PD_GCC_INC) -Iinclude -Ilibmicrokit/include \
             -fno-pie -mcmodel=small -mno-outline-atomics -ftls-model=local-exec \
             -ffunction-sections -fdata-sections -fno-stack-protector -fno-asynchronous-unwind-tables
ifeq ($(STATS),1)
PD_CFLAGS += -DSERIAL_TX_STATS # serial_virt/tx_mux.c's per-client counters (kernel/build.mk)
endif
PD_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,$(PD_LDSCRIPT) -Wl,-u,_start -Wl,--gc-sections \
              -Wl,-z,max-page-size=4096 -Wl,-z,common-page-size=4096 -Wl,--build-id=none \
              -Wl,-z,noexecstack

LIBMICROKIT_SRCS := $(wildcard libmicrokit/src/*.c libmicrokit/src/*.S)
LIBMICROKIT_OBJS := $(patsubst libmicrokit/src/%,$(BUILD)/libmicrokit/%.o,$(LIBMICROKIT_SRCS))

$(BUILD)/libmicrokit/%.c.o: libmicrokit/src/%.c
	@mkdir -p $(@D)
	$(CC_PD) $(PD_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libmicrokit/%.S.o: libmicrokit/src/%.S
	@mkdir -p $(@D)
	$(CC_PD) $(PD_CFLAGS) -MMD -MP -c -o $@ $<

$(LIBMICROKIT_OBJS): libmicrokit/build.mk

$(LIBMICROKIT): $(LIBMICROKIT_OBJS)
	@rm -f $@
	$(CROSS)ar rcs $@ $^

-include $(LIBMICROKIT_OBJS:.o=.d)

# $(call pd_link,OUT_ELF,SRC_C): compile one PD source of a system and link it with the runtime
# and libc. The group lets libc call back into the runtime (stdout, _exit) and vice versa (memcpy).
define pd_link
$(CC_PD) $(PD_CFLAGS) -I$(dir $(2)) -MMD -MP -MF $(1).deps $(PD_LDFLAGS) -o $(1) \
    $(2) -Wl,--start-group $(LIBMICROKIT) $(PICOLIBC)/lib/libc.a -lgcc -Wl,--end-group
endef

# (.deps, not .d: dependency files from before PD programs could come from component folders
# name sources that have moved since.)
-include $(wildcard $(SYS_DIR)/*.elf.deps)

# A component is a PD program with a folder of its own and a component.mk there that says
#   COMPONENTS += NAME            the program is NAME.elf, in any system that names it
#   NAME_SRCS   := ...            its C sources (paths from the project root)
#   NAME_CFLAGS := ...            more compiler flags (include paths)
#   NAME_LIBS   := ...            libraries it links before libmicrokit (the VMM library, say)
# $(call component_rules,NAME) makes $(COMPONENT_DIR)/NAME.elf from them, each source compiled
# once to $(COMPONENT_DIR)/NAME/, whatever the board or system.
define component_rules
$(1)_OBJS := $$(patsubst %.c,$$(COMPONENT_DIR)/$(1)/%.o,$$($(1)_SRCS))
$$(COMPONENT_DIR)/$(1)/%.o: %.c
	@mkdir -p $$(@D)
	$$(CC_PD) $$(PD_CFLAGS) $$($(1)_CFLAGS) -MMD -MP -c -o $$@ $$<
$$(COMPONENT_DIR)/$(1).elf: $$($(1)_OBJS) $$($(1)_LIBS) $$(LIBMICROKIT) $$(PD_LDSCRIPT)
	$$(CC_PD) $$(PD_CFLAGS) $$(PD_LDFLAGS) -o $$@ $$($(1)_OBJS) \
	    -Wl,--start-group $$($(1)_LIBS) $$(LIBMICROKIT) $$(PICOLIBC)/lib/libc.a -lgcc -Wl,--end-group
-include $$($(1)_OBJS:.o=.d)
endef

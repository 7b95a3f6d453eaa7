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

$(LIBMICROKIT): $(LIBMICROKIT_OBJS)
	@rm -f $@
	$(CROSS)ar rcs $@ $^

-include $(LIBMICROKIT_OBJS:.o=.d)

# $(call pd_link,OUT_ELF,SRC_C): compile one PD source and link it with the runtime and libc.
# The group lets libc call back into the runtime (stdout, _exit) and vice versa (memcpy).
# PD_EXTRA_CFLAGS and PD_EXTRA_LIBS let a PD use more libraries (the VMM library, for one).
define pd_link
$(CC_PD) $(PD_CFLAGS) $(PD_EXTRA_CFLAGS) -I$(dir $(2)) -MMD -MP -MF $(1).deps $(PD_LDFLAGS) -o $(1) \
    $(2) -Wl,--start-group $(PD_EXTRA_LIBS) $(LIBMICROKIT) $(PICOLIBC)/lib/libc.a -lgcc \
    -Wl,--end-group
endef

# (.deps, not .d: dependency files from before PD programs could come from component folders
# name sources that have moved since.)
-include $(wildcard $(SYS_DIR)/*.elf.deps)

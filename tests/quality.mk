# Code quality gates that `make test` runs:
#   test-sanitize  mksys and every host unit test built with clang's AddressSanitizer and
#                  UndefinedBehaviorSanitizer and run; any finding (leaks included) fails the run
#   check-format   every C source and header matches .clang-format (`make format` applies it)
#   check-static   cppcheck over all C sources, no findings allowed
SAN_CC      ?= clang
SAN_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_BUILD   := $(BUILD)/san
SAN_ENV     := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1 \
               UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
CLANG_FORMAT ?= clang-format
CPPCHECK     ?= cppcheck
# Sources under version control (new, not yet added files too), minus generated ones.
FORMAT_SRCS = $(shell git ls-files --cached --others --exclude-standard '*.c' '*.h')

.PHONY: test-sanitize check check-format check-static format
# The board tree QEMU dumps does not depend on the compiler: the sanitizer run reuses this one's.
test-sanitize: $(UNIT_VIRT_DTB)
	@echo "== sanitizer build (ASan + UBSan): $(SAN_BUILD)"
	@$(SAN_ENV) $(MAKE) --no-print-directory BUILD=$(SAN_BUILD) HOST_CC="$(SAN_CC) $(SAN_FLAGS)" \
	    UNIT_VIRT_DTB=$(UNIT_VIRT_DTB) test-unit test-vmm test-virtio test-kernel test-serial test-serial-drivers \
	    test-serial-virt

check: check-format check-static

check-format:
	@$(CLANG_FORMAT) --dry-run --Werror $(FORMAT_SRCS) && echo "format check passed"

format:
	$(CLANG_FORMAT) -i $(FORMAT_SRCS)

check-static:
	@$(CPPCHECK) --quiet --error-exitcode=1 --enable=warning,portability,performance --std=c11 \
	    --inline-suppr --suppressions-list=tests/static/cppcheck.supp \
	    --template='{file}:{line}: {severity}: {message} [{id}]' \
	    -Iinclude -Ikernel/include -Ikernel/arch/aarch64/include -Ilibmicrokit/include -Ivmm/include -Itools/mksys \
	    -Idrivers/serial/common -Idrivers/serial/pl011 -Idrivers/serial/imx -Iserial_virt -Ivirtio/include \
	    kernel libmicrokit vmm tools tests guests examples drivers serial_virt virtio && echo "static check passed"

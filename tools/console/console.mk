# tools/console, a terminal per serial client (docs/console.md):
#   console       boots $(IMAGE) in QEMU with its serial port on a UNIX socket, and runs the tool
#                 on it: a tmux window per client, logs in $(CONSOLE_LOGS). Quitting the tool
#                 (C-b Q, or ending the tmux session) stops QEMU too. `make run` is unchanged.
#   test-console  the framing's unit tests and the tool's end-to-end test against a fake UART
#                 peer (tests/console/), with $(PYTHON) and tmux.
#   test-console-qemu  the tool on $(IMAGE) in QEMU, started as `make console` does, driven through
#                 tmux (tests/system/test_console_tool.py); `make test` runs it on
#                 qemu_virt/virtio_console8.
CONSOLE_DIR  := $(BUILD)/console
CONSOLE_SOCK := $(CONSOLE_DIR)/uart.sock
CONSOLE_LOGS ?= $(CONSOLE_DIR)/logs
CONSOLE_ARGS ?=
console_comma := ,
# The board's run arguments with the console's serial port (the one on mon:stdio) on the UNIX
# socket $(1); QEMU waits for the tool to connect before it starts, so no output is lost. No
# monitor: the tool's quit key stops QEMU.
console_qemu_args = -display none -monitor none \
    $(subst -serial mon:stdio,-serial unix:$(1)$(console_comma)server=on$(console_comma)wait=on,\
            $(filter-out -nographic,$(QEMU_RUN_ARGS)))
CONSOLE_QEMU_ARGS := $(call console_qemu_args,$(CONSOLE_SOCK))
# The whole QEMU command of `make console`, with the socket's path as @SOCK@ (for a test that
# puts it in a directory of its own).
CONSOLE_QEMU_CMD = $(QEMU) $(QEMU_MACHINE_ARGS) $(call console_qemu_args,@SOCK@) -kernel $(IMAGE)

.PHONY: console test-console test-console-qemu
console: $(IMAGE)
ifneq ($(BOARD_NO_QEMU),)
	@echo "$(BOARD): $(BOARD_NO_QEMU)"; echo "image: $(IMAGE)"; \
	echo "on the board's serial line: tools/console/console /dev/ttyUSB0 --baud 115200"; exit 1
else
	@mkdir -p $(CONSOLE_DIR) && rm -f $(CONSOLE_SOCK)
	$(PYTHON) tools/console/console --log-dir $(CONSOLE_LOGS) $(CONSOLE_ARGS) \
	    --run "$(subst @SOCK@,$(CONSOLE_SOCK),$(CONSOLE_QEMU_CMD))" unix:$(CONSOLE_SOCK)
endif

test-console:
	@$(PYTHON) tests/console/test_framing.py
	@$(PYTHON) tests/console/test_console_e2e.py
	@echo "console tests passed"

test-console-qemu: $(IMAGE)
	$(PYTHON) tests/system/test_console_tool.py --system $(SYSTEM_FILE) --qemu "$(CONSOLE_QEMU_CMD)"

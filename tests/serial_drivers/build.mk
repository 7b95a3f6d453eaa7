# The UART drivers' register logic and driver core (drivers/serial/), host unit tests (cmocka):
#   test-serial-drivers  tests/serial_drivers/test_pl011.c and test_imx.c run each driver's
#                        register logic and the driver core against a simulated UART (sim_*.c);
#                        test_config.c the config checks; test_pd.c the PD glue with fakes of
#                        the microkit calls. Built with HOST_CC and HOST_CFLAGS, so
#                        test-sanitize can run them again under ASan and UBSan.
SDRVT_DIR    := tests/serial_drivers
SDRVT_OUT    := $(BUILD)/host/serial_drivers
SDRVT_CFLAGS := $(HOST_CFLAGS) -Ilibmicrokit/include -Idrivers/serial/common -Idrivers/serial/pl011 -Idrivers/serial/imx \
                $(shell pkg-config --cflags cmocka)
SDRVT_LDLIBS := $(shell pkg-config --libs cmocka)
SDRVT_CORE   := drivers/serial/common/serial_drv.c drivers/serial/common/serial_drv_config.c \
                drivers/serial/common/uart_errors.c
SDRVT_RIG    := $(SDRVT_DIR)/rig.c $(SDRVT_DIR)/drv_tests.c
SDRVT_HDRS   := $(wildcard drivers/serial/*/*.h $(SDRVT_DIR)/*.h) include/serial_queue.h include/serial_config.h

SDRVT_pl011_SRCS  := $(SDRVT_DIR)/test_pl011.c $(SDRVT_DIR)/sim_pl011.c drivers/serial/pl011/pl011.c \
                     $(SDRVT_RIG) $(SDRVT_CORE)
SDRVT_imx_SRCS    := $(SDRVT_DIR)/test_imx.c $(SDRVT_DIR)/sim_imx.c drivers/serial/imx/imx_uart.c \
                     $(SDRVT_RIG) $(SDRVT_CORE)
SDRVT_config_SRCS := $(SDRVT_DIR)/test_config.c drivers/serial/common/serial_drv_config.c
SDRVT_pd_SRCS     := $(SDRVT_DIR)/test_pd.c $(SDRVT_DIR)/sim_pl011.c $(SDRVT_DIR)/rig.c drivers/serial/pl011/pl011.c \
                     drivers/serial/common/serial_drv_pd.c $(SDRVT_CORE)
SDRVT_TESTS  := $(SDRVT_OUT)/test_pl011 $(SDRVT_OUT)/test_imx $(SDRVT_OUT)/test_config $(SDRVT_OUT)/test_pd

.PHONY: test-serial-drivers
test-serial-drivers: $(SDRVT_TESTS)
	@fail=0; for t in $(SDRVT_TESTS); do echo "== $$t"; $$t || fail=1; done; \
	if [ $$fail = 0 ]; then echo "serial driver tests passed"; else echo "serial driver tests FAILED"; exit 1; fi

define sdrvt_rule
$$(SDRVT_OUT)/test_$(1): $$(SDRVT_$(1)_SRCS) $$(SDRVT_HDRS)
	@mkdir -p $$(@D)
	$$(HOST_CC) $$(SDRVT_CFLAGS) -o $$@ $$(SDRVT_$(1)_SRCS) $$(SDRVT_LDLIBS)
endef
$(foreach t,pl011 imx config pd,$(eval $(call sdrvt_rule,$(t))))

# test-boards: the boards that cannot run here (maaxboard) still build bootable images. Builds
# both MaaXBoard systems and checks their layout reports and image headers against the board's
# device tree (tests/boards/test_maaxboard.py; docs/boards.md).
.PHONY: test-boards
test-boards:
	@$(MAKE) --no-print-directory BOARD=maaxboard SYSTEM=passthrough all
	@$(MAKE) --no-print-directory BOARD=maaxboard SYSTEM=serial all
	$(PYTHON) tests/boards/test_maaxboard.py --board-dir $(BUILD)/maaxboard \
	    --evk-tree $(IMAGES_DTB_DIR)/freescale/imx8mq-evk.dtb

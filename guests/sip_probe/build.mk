# The SiP probe guest (guests/sip_probe/head.S): a bare-metal arm64 Image the VMM loads like
# Linux, which makes the i.MX SiP call 0xc2000006 and powers off if it was answered
# NOT_SUPPORTED. systems/imx8mp_evk/passthrough.system runs it beside the Linux guest, whose
# i.MX 8M Plus kernel never makes that call (docs/boards.md).
SIP_GUEST := $(BUILD)/guests/sip_probe.img

$(BUILD)/guests/sip_probe.elf: guests/sip_probe/head.S $(GUEST_IMAGE_HEADER)
	@mkdir -p $(@D)
	$(CC_PD) -Iguests/include -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-Ttext=0 $< -o $@

$(SIP_GUEST): $(BUILD)/guests/sip_probe.elf
	$(OBJCOPY) -O binary -j .text $< $@

# Guest images (DESIGN.md section 2 item 7), built from Debian arm64 packages only:
#   $(GUEST_KERNEL)  raw arm64 Image from linux-image-6.1.0-*-arm64
#   $(GUEST_INITRD)  busybox initramfs with a root login on the console (docs/guest-images.md)
#   $(IMAGES_DTB_DIR)/VENDOR/NAME.dtb  a board device tree the same kernel package ships (docs/boards.md)
IMAGES_DIR      := $(BUILD)/images
IMAGES_MANIFEST := $(IMAGES_DIR)/debs/manifest
GUEST_KERNEL    := $(IMAGES_DIR)/Image
GUEST_INITRD    := $(IMAGES_DIR)/rootfs.cpio.gz
IMAGES_DTB_DIR  := $(IMAGES_DIR)/dtbs
IMAGES_ROOTFS   := $(shell find images/rootfs -type f 2>/dev/null)

.PHONY: images images-check test-images
images: $(GUEST_KERNEL) $(GUEST_INITRD)

# Asks apt every time which packages are current (fast, offline); the manifest changes, and the
# images are rebuilt, only when they do.
images-check:
$(IMAGES_MANIFEST): images/fetch-debs.sh images-check
	@images/fetch-debs.sh $(@D)

$(GUEST_KERNEL): images/mkimage.sh $(IMAGES_MANIFEST)
	@echo "images: $@"
	@images/mkimage.sh $(IMAGES_MANIFEST) $@

$(GUEST_INITRD): images/mkinitramfs.sh images/mkcpio.py images/applets $(IMAGES_ROOTFS) $(IMAGES_MANIFEST)
	@echo "images: $@"
	@PYTHON=$(PYTHON) images/mkinitramfs.sh $(IMAGES_MANIFEST) $@

# Board trees (boards/*/board.mk name the ones they start from): freescale/imx8mp-evk.dtb and the like.
$(IMAGES_DTB_DIR)/%.dtb: images/mkdtb.sh $(IMAGES_MANIFEST)
	@echo "images: $@"
	@images/mkdtb.sh $(IMAGES_MANIFEST) $*.dtb $@

# Boots the guest directly in QEMU, no hypervisor: the reference the hypervisor is measured against.
test-images: images
	$(PYTHON) tests/system/test_native_guest.py --image-dir $(IMAGES_DIR)

/* Guest loader: arm64 Image header, placement checks with their messages, copy and registers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arm64_image.h"
#include "fixture.h"

static char err[GUEST_ERR_MAX];
static struct guest_layout lay;

static enum guest_image_err check(const struct guest_images *im)
{
    return guest_image_check(im, &lay, err, sizeof(err));
}

static void load_places_everything(void **state)
{
    (void)state;
    fx_setup();
    struct guest_images im;
    struct guest_boot b;
    fx_images(&im);
    assert_int_equal(guest_image_load(&im, &lay, &b, err, sizeof(err)), GUEST_IMAGE_OK);
    assert_string_equal(err, "");
    assert_int_equal(lay.kernel_ipa, FX_RAM_IPA);
    assert_int_equal(lay.kernel_end, FX_RAM_IPA + FX_IMAGE_SIZE);
    assert_memory_equal(fx.ram, fx.kernel, FX_KERNEL_FILE);
    for (uint64_t i = FX_KERNEL_FILE; i < FX_IMAGE_SIZE; i++) /* .bss zeroed */
        assert_int_equal(fx.ram[i], 0);
    assert_int_equal(fx.ram[FX_IMAGE_SIZE], 0xee); /* nothing past image_size touched */
    assert_memory_equal(fx.ram + (FX_DTB_IPA - FX_RAM_IPA), fx.dtb, FX_DTB_SIZE);
    assert_memory_equal(fx.ram + (FX_INITRD_IPA - FX_RAM_IPA), fx.initrd, FX_INITRD_SIZE);
    assert_int_equal(b.pc, FX_RAM_IPA);
    assert_int_equal(b.x[0], FX_DTB_IPA);
    assert_int_equal(b.x[1], 0);
    assert_int_equal(b.x[2], 0);
    assert_int_equal(b.x[3], 0);
    assert_int_equal(b.spsr, 0x3c5);
}

static void text_offset_is_honoured(void **state)
{
    (void)state;
    fx_setup();
    fx_make_image(fx.kernel, sizeof(fx.kernel), 0x80000, FX_IMAGE_SIZE, 0xa);
    struct guest_images im;
    struct guest_boot b;
    fx_images(&im);
    assert_int_equal(guest_image_load(&im, &lay, &b, err, sizeof(err)), GUEST_IMAGE_OK);
    assert_int_equal(b.pc, FX_RAM_IPA + 0x80000);
    assert_memory_equal(fx.ram + 0x80000, fx.kernel, FX_KERNEL_FILE);
}

static void old_kernel_uses_0x80000_and_file_size(void **state)
{
    (void)state;
    fx_setup();
    fx_make_image(fx.kernel, sizeof(fx.kernel), 0x12345, 0, 0); /* image_size 0: pre-3.17 */
    struct guest_images im;
    fx_images(&im);
    assert_int_equal(check(&im), GUEST_IMAGE_OK);
    assert_int_equal(lay.kernel_ipa, FX_RAM_IPA + 0x80000);
    assert_int_equal(lay.kernel_end, FX_RAM_IPA + 0x80000 + FX_KERNEL_FILE);
}

static void header_parse(void **state)
{
    (void)state;
    uint8_t buf[128];
    struct arm64_image_header h;
    fx_make_image(buf, sizeof(buf), 0x1000, 0x2000, 0xa);
    assert_int_equal(arm64_image_parse(buf, sizeof(buf), &h), ARM64_IMAGE_OK);
    assert_int_equal(h.magic, ARM64_IMAGE_MAGIC);
    assert_int_equal(h.text_offset, 0x1000);
    assert_int_equal(h.image_size, 0x2000);
    assert_int_equal(h.flags, 0xa);
    assert_int_equal(h.footprint, 0x2000);
    assert_int_equal(arm64_image_parse(buf, 63, &h), ARM64_IMAGE_TOO_SMALL);
    fx_make_image(buf, sizeof(buf), 0, 0x40, 0); /* image_size smaller than the file */
    assert_int_equal(arm64_image_parse(buf, sizeof(buf), &h), ARM64_IMAGE_OK);
    assert_int_equal(h.footprint, sizeof(buf));
}

static void bad_magic(void **state)
{
    (void)state;
    fx_setup();
    fx.kernel[0x38] = 'X';
    struct guest_images im;
    fx_images(&im);
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_KERNEL_MAGIC);
    assert_non_null(strstr(err, "vmm: guest 'linux': kernel is not an arm64 Image: magic 0x644d5258"));
}

static void kernel_smaller_than_header(void **state)
{
    (void)state;
    fx_setup();
    struct guest_images im;
    fx_images(&im);
    im.kernel_size = 10;
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_KERNEL_SIZE);
    assert_non_null(strstr(err, "kernel image is 10 bytes"));
}

static void big_endian_kernel(void **state)
{
    (void)state;
    fx_setup();
    fx_make_image(fx.kernel, sizeof(fx.kernel), 0, FX_IMAGE_SIZE, 0xb);
    struct guest_images im;
    fx_images(&im);
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_KERNEL_BE);
}

static void kernel_too_large_for_ram(void **state)
{
    (void)state;
    fx_setup();
    fx_make_image(fx.kernel, sizeof(fx.kernel), 0, FX_RAM_SIZE + 0x1000, 0xa);
    struct guest_images im;
    fx_images(&im);
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_KERNEL_FIT);
    assert_string_equal(err, "vmm: guest 'linux': kernel needs 0x1001000 bytes at RAM + 0x0 "
                             "(text_offset) but RAM is 0x40000000-0x41000000 (0x1000000 bytes)");
    /* text_offset alone past the end of RAM, and a sum that would wrap */
    fx_make_image(fx.kernel, sizeof(fx.kernel), FX_RAM_SIZE, 0x1000, 0xa);
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_KERNEL_FIT);
    fx_make_image(fx.kernel, sizeof(fx.kernel), 0x1000, UINT64_MAX - 0x10, 0xa);
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_KERNEL_FIT);
}

static void ram_not_2mib_aligned(void **state)
{
    (void)state;
    fx_setup();
    struct guest_images im;
    fx_images(&im);
    im.ram_ipa += 0x1000;
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_RAM_ALIGN);
    assert_non_null(strstr(err, "0x40001000 is not 2 MiB aligned"));
}

static void dtb_checks(void **state)
{
    (void)state;
    fx_setup();
    struct guest_images im;
    fx_images(&im);

    im.dtb_ipa = FX_DTB_IPA + 4;
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_DTB_ALIGN);
    assert_string_equal(err, "vmm: guest 'linux': DTB address 0x40f00004 is not 8-byte aligned");

    im.dtb_ipa = FX_RAM_IPA + 0x10000; /* inside the kernel's image_size */
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_DTB_KERNEL);
    assert_string_equal(err, "vmm: guest 'linux': DTB 0x40010000-0x40010100 overlaps the kernel "
                             "at 0x40000000-0x40020000");

    im.dtb_ipa = FX_RAM_IPA + FX_RAM_SIZE - 0x80; /* runs off the end of RAM */
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_DTB_FIT);
    im.dtb_ipa = 0x1000; /* below RAM */
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_DTB_FIT);

    fx_images(&im);
    im.dtb_size = 0;
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_DTB_MISSING);
    fx_images(&im);
    fx.dtb[0] = 0;
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_DTB_MAGIC);
    fx_make_dtb(fx.dtb, FX_DTB_SIZE + 1);
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_DTB_TRUNCATED);
}

static void dtb_larger_than_2mib(void **state)
{
    (void)state;
    fx_setup();
    static uint8_t big[0x200008];
    fx_make_dtb(big, 0x200008);
    struct guest_images im;
    fx_images(&im);
    im.dtb = big;
    im.dtb_size = sizeof(big);
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_DTB_SIZE);
    assert_non_null(strstr(err, "DTB is 0x200008 bytes, more than the 2 MiB"));
}

static void initrd_checks(void **state)
{
    (void)state;
    fx_setup();
    struct guest_images im;
    fx_images(&im);

    im.initrd_ipa = FX_RAM_IPA + 0x1f000; /* last page of the kernel's image_size */
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_INITRD_KERNEL);
    assert_string_equal(err, "vmm: guest 'linux': initrd 0x4001f000-0x40020000 overlaps the "
                             "kernel at 0x40000000-0x40020000");
    im.initrd_ipa = FX_RAM_IPA + 0x20000; /* right after it: fine */
    assert_int_equal(check(&im), GUEST_IMAGE_OK);

    im.initrd_ipa = FX_DTB_IPA - 0x800; /* the last 0x800 bytes cover the DTB */
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_INITRD_DTB);
    assert_string_equal(err, "vmm: guest 'linux': initrd 0x40eff800-0x40f00800 overlaps the DTB at "
                             "0x40f00000");

    im.initrd_ipa = FX_RAM_IPA + FX_RAM_SIZE - 0x800;
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_INITRD_FIT);
    assert_non_null(strstr(err, "initrd 0x40fff800-0x41000800 lies outside RAM 0x40000000-0x41000000"));

    im.initrd_size = 0; /* no initrd: its address does not matter */
    assert_int_equal(check(&im), GUEST_IMAGE_OK);
}

static void brief_example_message(void **state)
{
    (void)state;
    /* The layout of a 256 MiB guest at 0x40000000 with a 2 MiB initrd over the DTB. */
    fx_setup();
    struct guest_images im;
    fx_images(&im);
    im.ram_size = 0x10000000;
    im.dtb_ipa = 0x4f100000;
    im.initrd_ipa = 0x4f000000;
    im.initrd_size = 0x200000;
    assert_int_equal(check(&im), GUEST_IMAGE_ERR_INITRD_DTB);
    assert_string_equal(err, "vmm: guest 'linux': initrd 0x4f000000-0x4f200000 overlaps the DTB "
                             "at 0x4f100000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(load_places_everything),
        cmocka_unit_test(text_offset_is_honoured),
        cmocka_unit_test(old_kernel_uses_0x80000_and_file_size),
        cmocka_unit_test(header_parse),
        cmocka_unit_test(bad_magic),
        cmocka_unit_test(kernel_smaller_than_header),
        cmocka_unit_test(big_endian_kernel),
        cmocka_unit_test(kernel_too_large_for_ram),
        cmocka_unit_test(ram_not_2mib_aligned),
        cmocka_unit_test(dtb_checks),
        cmocka_unit_test(dtb_larger_than_2mib),
        cmocka_unit_test(initrd_checks),
        cmocka_unit_test(brief_example_message),
    };
    return cmocka_run_group_tests_name("guest_image", tests, NULL, NULL);
}

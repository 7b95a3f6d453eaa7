/* A kernel the image tool placed in guest RAM (VMM_CONFIG_F_KERNEL_IN_RAM): the first boot
 * checks it and copies nothing; a reset copies the pristine image over whatever the guest left. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arm64_image.h"
#include "fixture.h"

#define RAM_BODY 0x55 /* what the "image tool" left after the header: not the pristine bytes */

/* RAM as the boot loader left it: the kernel's header at text_offset 0, then bytes that differ
 * from the pristine copy, so a copy would be seen. */
static void preplace(void)
{
    memcpy(fx.ram, fx.kernel, ARM64_IMAGE_HEADER_SIZE);
    memset(fx.ram + ARM64_IMAGE_HEADER_SIZE, RAM_BODY, FX_KERNEL_FILE - ARM64_IMAGE_HEADER_SIZE);
    fx.cfg.flags |= VMM_CONFIG_F_KERNEL_IN_RAM;
}

static void load_leaves_a_placed_kernel_alone(void **state)
{
    (void)state;
    fx_setup();
    preplace();
    struct guest_images im;
    struct guest_layout lay;
    struct guest_boot b;
    char err[GUEST_ERR_MAX];
    fx_images(&im);
    im.kernel_in_ram = true;
    assert_int_equal(guest_image_load(&im, &lay, &b, err, sizeof(err)), GUEST_IMAGE_OK);
    for (uint64_t i = ARM64_IMAGE_HEADER_SIZE; i < FX_KERNEL_FILE; i++)
        assert_int_equal(fx.ram[i], RAM_BODY);
    for (uint64_t i = FX_KERNEL_FILE; i < FX_IMAGE_SIZE; i++) /* .bss still zeroed */
        assert_int_equal(fx.ram[i], 0);
    assert_memory_equal(fx.ram + (FX_DTB_IPA - FX_RAM_IPA), fx.dtb, FX_DTB_SIZE);
    assert_memory_equal(fx.ram + (FX_INITRD_IPA - FX_RAM_IPA), fx.initrd, FX_INITRD_SIZE);
    assert_int_equal(b.pc, FX_RAM_IPA);
}

static void placed_kernel_at_text_offset(void **state)
{
    (void)state;
    fx_setup();
    fx_make_image(fx.kernel, sizeof(fx.kernel), 0x80000, FX_IMAGE_SIZE, 0xa);
    memcpy(fx.ram + 0x80000, fx.kernel, ARM64_IMAGE_HEADER_SIZE);
    struct guest_images im;
    struct guest_layout lay;
    char err[GUEST_ERR_MAX];
    fx_images(&im);
    im.kernel_in_ram = true;
    assert_int_equal(guest_image_check(&im, &lay, err, sizeof(err)), GUEST_IMAGE_OK);
    fx.ram[0x80000] ^= 1; /* the header at RAM + 0 would not do */
    memcpy(fx.ram, fx.kernel, ARM64_IMAGE_HEADER_SIZE);
    assert_int_equal(guest_image_check(&im, &lay, err, sizeof(err)), GUEST_IMAGE_ERR_KERNEL_PLACED);
}

static void first_boot_copies_nothing_reset_copies(void **state)
{
    (void)state;
    fx_setup();
    preplace();
    assert_int_equal(vmm_init(&fx.vm, &fx.cfg, &fx.g), 0);
    assert_int_equal(vmm_boot(&fx.vm), 0);
    assert_int_equal(fp.restarts[FX_VCPU_ID], 1);
    assert_int_equal(fx.ram[ARM64_IMAGE_HEADER_SIZE], RAM_BODY);
    /* cleaned: the .bss the VMM zeroed, DTB and initrd; not the kernel's file bytes */
    assert_int_equal(fp.synced, FX_IMAGE_SIZE - FX_KERNEL_FILE + FX_DTB_SIZE + FX_INITRD_SIZE);
    assert_int_equal(fake_log_count("vmm: guest 'linux': booting: kernel 0x40000000-0x40020000 (pre-placed), "
                                    "DTB 0x40f00000, initrd 0x40800000-0x40801000"),
                     1);

    memset(fx.ram, 0x99, FX_IMAGE_SIZE); /* the guest ran and overwrote its kernel */
    fp.synced = 0;
    vmm_reset(&fx.vm);
    assert_int_equal(fp.restarts[FX_VCPU_ID], 2);
    assert_memory_equal(fx.ram, fx.kernel, FX_KERNEL_FILE);
    assert_int_equal(fp.synced, FX_IMAGE_SIZE + FX_DTB_SIZE + FX_INITRD_SIZE);
    assert_int_equal(fake_log_count("(copied)"), 1);

    memset(fx.ram, 0x99, FX_IMAGE_SIZE); /* and every later reset copies too */
    vmm_reset(&fx.vm);
    assert_memory_equal(fx.ram, fx.kernel, FX_KERNEL_FILE);
    assert_int_equal(fake_log_count("(copied)"), 2);
}

static void wrong_placed_kernel_is_not_started(void **state)
{
    (void)state;
    fx_setup();
    preplace();
    fx.ram[ARM64_IMAGE_MAGIC_OFFSET] ^= 1; /* RAM does not hold this Image */
    assert_int_equal(vmm_init(&fx.vm, &fx.cfg, &fx.g), 0);
    assert_int_not_equal(vmm_boot(&fx.vm), 0);
    assert_int_equal(fp.restarts[FX_VCPU_ID], 0);
    assert_int_equal(
        fake_log_count("vmm: guest 'linux': the kernel placed in RAM at 0x40000000 does not start "
                       "with the kernel image's header"),
        1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(load_leaves_a_placed_kernel_alone),
        cmocka_unit_test(placed_kernel_at_text_offset),
        cmocka_unit_test(first_boot_copies_nothing_reset_copies),
        cmocka_unit_test(wrong_placed_kernel_is_not_started),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

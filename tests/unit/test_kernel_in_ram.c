/* --kernel-in-ram: one guest's kernel stored pre-placed in its RAM, so its VMM's first boot copies nothing: the
 * bytes at ram_base + text_offset in the image, the vmm_config flag, the report, the pristine
 * copy kept once for resets and the other guests, and the image ending inside that RAM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"
#include "imgread.h"
#include "mksys.h"
#include "vmm_config.h"

#define OUT_IMG    TEST_OUT "/out/kernel_in_ram.img"
#define OUT_REPORT TEST_OUT "/out/kernel_in_ram.txt"

static struct vmm_config config_of(const struct img *im, const char *vmm)
{
    uint64_t va = elf_sym(TEST_OUT "/vmm.elf", "vmm_config");
    const struct sysimg_map *m = img_map(im, img_pd(im, vmm), va);
    assert_non_null(m);
    const uint8_t *p = img_at(im, m->pa + (va - m->ipa));
    assert_non_null(p);
    struct vmm_config c;
    memcpy(&c, p, sizeof c);
    return c;
}

static void build(struct img *im, const char *system, bool kernel_in_ram)
{
    struct mksys_opts o = {
        .system = system, .output = OUT_IMG, .report = OUT_REPORT, .kernel_in_ram = kernel_in_ram
    };
    assert_int_equal(img_build(im, &o), 0);
}

/* Two guests share one kernel file: the first is pre-placed, the second copies at boot. */
static void first_guest_of_a_shared_kernel(void **state)
{
    (void)state;
    struct img im;
    build(&im, FIXTURES "/guest.system", true);
    size_t len;
    uint8_t *kernel = (uint8_t *)read_whole(TEST_OUT "/Image", &len);
    assert_non_null(kernel);
    struct vmm_config a = config_of(&im, "vmm_a"), b = config_of(&im, "vmm_b");
    assert_int_equal(a.flags & VMM_CONFIG_F_KERNEL_IN_RAM, VMM_CONFIG_F_KERNEL_IN_RAM);
    assert_int_equal(b.flags & VMM_CONFIG_F_KERNEL_IN_RAM, 0);

    /* alpha's RAM (text_offset 0) starts with the kernel, in the file, the last bytes of it */
    const struct sysimg_map *ram = img_map(&im, img_pd(&im, "alpha:0"), 0x40000000);
    assert_non_null(ram);
    const uint8_t *placed = img_at(&im, ram->pa);
    assert_non_null(placed);
    assert_memory_equal(placed, kernel, len);
    assert_int_equal(im.load + im.size, ram->pa + ((len + 0xfff) & ~0xfffull));
    assert_false(img_zeroed(&im, ram->pa, ram->size)); /* the rest of RAM is left as it is */

    /* the pristine copy is still there, once, and is what both VMMs map */
    const struct sysimg_map *ka = img_map(&im, img_pd(&im, "vmm_a"), a.kernel_vaddr);
    const struct sysimg_map *kb = img_map(&im, img_pd(&im, "vmm_b"), b.kernel_vaddr);
    assert_true(ka && kb && ka->pa == kb->pa && ka->pa != ram->pa);
    assert_memory_equal(img_at(&im, ka->pa), kernel, len);

    /* beta's RAM lies past the file: not stored */
    const struct sysimg_map *bram = img_map(&im, img_pd(&im, "beta:0"), 0x60000000);
    assert_non_null(bram);
    assert_null(img_at(&im, bram->pa));

    char *report = read_whole(OUT_REPORT, NULL);
    assert_non_null(report);
    const char *alpha = strstr(report, "guest 'alpha'"), *beta = strstr(report, "guest 'beta'");
    assert_true(alpha && beta && alpha < beta);
    const char *pre = strstr(alpha, "first boot   kernel pre-placed in RAM by the image");
    assert_true(pre && pre < beta);
    assert_non_null(strstr(beta, "first boot   kernel copied into RAM by the VMM"));
    char line[128];
    snprintf(line, sizeof line, "allocated (not zeroed), its first 0x%zx bytes in the image file", len);
    assert_non_null(strstr(report, line));
    free(report);
    free(kernel);
    img_free(&im);
}

/* text_offset 0x80000: the kernel at RAM + 0x80000, zeros before it. */
static void at_its_text_offset(void **state)
{
    (void)state;
    struct img im;
    build(&im, FIXTURES "/l_image_text_offset.system", true);
    size_t len;
    uint8_t *kernel = (uint8_t *)read_whole(TEST_OUT "/Image_text_offset", &len);
    assert_non_null(kernel);
    assert_int_equal(config_of(&im, "vmm").flags, VMM_CONFIG_F_KERNEL_IN_RAM);
    const struct sysimg_map *ram = img_map(&im, img_pd(&im, "linux:0"), 0x40000000);
    assert_non_null(ram);
    const uint8_t *p = img_at(&im, ram->pa);
    assert_non_null(p);
    for (size_t i = 0; i < 0x80000; i++)
        assert_int_equal(p[i], 0);
    assert_memory_equal(p + 0x80000, kernel, len);
    free(kernel);
    img_free(&im);
}

/* Without --kernel-in-ram (the MaaXBoard, where the boot loader reads the file from storage):
 * no guest's RAM is in the image and every VMM copies. */
static void not_without_the_option(void **state)
{
    (void)state;
    struct img im;
    build(&im, FIXTURES "/guest.system", false);
    assert_int_equal(config_of(&im, "vmm_a").flags & VMM_CONFIG_F_KERNEL_IN_RAM, 0);
    assert_int_equal(config_of(&im, "vmm_b").flags & VMM_CONFIG_F_KERNEL_IN_RAM, 0);
    assert_null(img_at(&im, img_map(&im, img_pd(&im, "alpha:0"), 0x40000000)->pa));
    char *report = read_whole(OUT_REPORT, NULL);
    assert_non_null(report);
    assert_null(strstr(report, "pre-placed"));
    free(report);
    img_free(&im);
}

/* A guest whose RAM cannot hold its kernel is still an error with the option, before any store. */
static void too_small_ram_is_still_an_error(void **state)
{
    (void)state;
    struct mksys_opts o = { .system = FIXTURES "/err/guest_initrd_overlap.system",
                            .output = TEST_OUT "/out/kernel_in_ram_err.img",
                            .kernel_in_ram = true };
    struct run_result r;
    run_mksys_opts(&o, &r);
    assert_int_equal(r.rc, -1);
    assert_non_null(strstr(r.error,
                           "guest 'linux': kernel (3145728 bytes) + initrd (8893 bytes) + DTB do not "
                           "fit in its RAM of 5242880 bytes"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_guest_of_a_shared_kernel),
        cmocka_unit_test(at_its_text_offset),
        cmocka_unit_test(not_without_the_option),
        cmocka_unit_test(too_small_ram_is_still_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The one arm64 Image parser (vmm/src/arm64_image.c, compiled into mksys too) on the guest
 * Image fixtures, and mksys placing kernels where the VMM loads them: an image_size of 0 means
 * a pre-3.17 kernel at RAM + 0x80000 (it used to be placed at RAM + 0). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../vmm/include/arm64_image.h"
#include "harness.h"

static enum arm64_image_status parse_file(const char *name, struct arm64_image_header *h, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", TEST_OUT, name);
    char *data = read_whole(path, len);
    assert_non_null(data);
    enum arm64_image_status s = arm64_image_parse(data, *len, h);
    free(data);
    return s;
}

static void parser_reads_the_fixtures(void **state)
{
    (void)state;
    struct arm64_image_header h;
    size_t len;
    assert_int_equal(parse_file("Image", &h, &len), ARM64_IMAGE_OK);
    assert_int_equal(h.load_offset, 0);
    assert_int_equal(h.footprint, 0x300000);
    assert_int_equal(parse_file("Image_text_offset", &h, &len), ARM64_IMAGE_OK);
    assert_int_equal(h.load_offset, 0x80000);
    assert_int_equal(parse_file("Image_nosize", &h, &len), ARM64_IMAGE_OK);
    assert_int_equal(h.load_offset, ARM64_IMAGE_OLD_TEXT_OFFSET);
    assert_int_equal(h.footprint, len);
    assert_int_equal(parse_file("Image_huge", &h, &len), ARM64_IMAGE_OK);
    assert_int_equal(h.footprint, 0x10000000);
    assert_int_equal(parse_file("Image_bad_magic", &h, &len), ARM64_IMAGE_BAD_MAGIC);
    assert_int_equal(parse_file("Image_be", &h, &len), ARM64_IMAGE_BIG_ENDIAN);
    assert_int_equal(h.flags, 0xb);
    assert_int_equal(parse_file("Image_short", &h, &len), ARM64_IMAGE_TOO_SMALL);
}

/* mksys's report says where the kernel goes; the VMM computes the same from the same parser. */
static void placed(const char *system, const char *kernel_line)
{
    char out[256], report[256];
    snprintf(out, sizeof out, "%s/out/limits_image.img", TEST_OUT);
    snprintf(report, sizeof report, "%s/out/limits_image.txt", TEST_OUT);
    struct run_result r;
    run_mksys(system, NULL, NULL, out, report, &r);
    if (r.rc)
        fprintf(stderr, "mksys failed: %s\n", r.error);
    assert_int_equal(r.rc, 0);
    size_t len;
    char *text = read_whole(report, &len);
    assert_non_null(text);
    if (!strstr(text, kernel_line))
        fprintf(stderr, "report lacks '%s':\n%s", kernel_line, text);
    assert_non_null(strstr(text, kernel_line));
    free(text);
}

static void old_kernel_is_placed_at_0x80000(void **state)
{
    (void)state;
    placed(FIXTURES "/l_image_nosize.system",
           "kernel       0x40080000-0x40082440 (load offset 0x80000, footprint 0x2440,");
}

static void text_offset_is_placed(void **state)
{
    (void)state;
    placed(FIXTURES "/l_image_text_offset.system",
           "kernel       0x40080000-0x40380000 (load offset 0x80000, footprint 0x300000,");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parser_reads_the_fixtures),
        cmocka_unit_test(old_kernel_is_placed_at_0x80000),
        cmocka_unit_test(text_offset_is_placed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

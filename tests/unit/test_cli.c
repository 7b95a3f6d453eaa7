/* The mksys program itself: exit status, stderr format, --help, no partial output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness.h"
#include "imgread.h"

#ifndef MKSYS_BIN
#define MKSYS_BIN "build/host/mksys"
#endif

static int run(const char *args, char *out, size_t outlen)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s %s 2>&1", MKSYS_BIN, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, outlen - 1, p);
    out[n] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define COMMON "--board " TEST_BOARD " --kernel " TEST_KERNEL " --search " TEST_OUT

static void success_writes_image(void **state)
{
    (void)state;
    char out[4096];
    unlink(TEST_OUT "/out/cli.img");
    assert_int_equal(run(COMMON " -o " TEST_OUT "/out/cli.img " FIXTURES "/valid.system", out, sizeof out),
                     0);
    assert_string_equal(out, "");
    assert_int_equal(access(TEST_OUT "/out/cli.img", F_OK), 0);
}

static void error_exits_1_with_file_and_line(void **state)
{
    (void)state;
    char out[4096];
    unlink(TEST_OUT "/out/cli_err.img");
    assert_int_equal(
        run(COMMON " -o " TEST_OUT "/out/cli_err.img " FIXTURES "/err/dup_mr.system", out, sizeof out), 1);
    assert_string_equal(out, FIXTURES "/err/dup_mr.system:4: error: duplicate memory region name 'buf' "
                                      "(first defined on line 3)\n");
    assert_int_equal(access(TEST_OUT "/out/cli_err.img", F_OK), -1);
}

static void emit_options(void **state)
{
    (void)state;
    char out[4096];
    unlink(TEST_OUT "/out/cli_guest.system");
    unlink(TEST_OUT "/out/cli_dtb/alpha.dtb");
    mkdir(TEST_OUT "/out/cli_dtb", 0755);
    assert_int_equal(run(COMMON " --emit-system " TEST_OUT "/out/cli_guest.system --emit-dtb " TEST_OUT
                                "/out/cli_dtb -o " TEST_OUT "/out/cli_guest.img " FIXTURES "/guest.system",
                         out, sizeof out),
                     0);
    assert_string_equal(out, "");
    char *text = read_whole(TEST_OUT "/out/cli_guest.system", NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "<virtual_machine name=\"beta\""));
    free(text);
    assert_int_equal(access(TEST_OUT "/out/cli_dtb/alpha.dtb", F_OK), 0);
    assert_int_equal(access(TEST_OUT "/out/cli_dtb/beta.dtb", F_OK), 0);
}

static void help_and_usage(void **state)
{
    (void)state;
    char out[4096];
    assert_int_equal(run("--help", out, sizeof out), 0);
    assert_non_null(strstr(out, "usage: mksys --board"));
    assert_non_null(strstr(out, "--emit-system FILE"));
    assert_non_null(strstr(out, "--emit-dtb DIR"));
    assert_int_equal(run("--board x", out, sizeof out), 1);
    assert_non_null(strstr(out, "usage: mksys"));
}

/* --stage2-block: the board's largest stage-2 leaf, into the header; anything but 4k or 2m is
 * refused before any work, and the image is not written. */
static void stage2_block_option(void **state)
{
    (void)state;
    char out[4096];
    const char *img_path = TEST_OUT "/out/cli_s2.img";
    unlink(img_path);
    assert_int_equal(run(COMMON " --stage2-block 1g -o " TEST_OUT "/out/cli_s2.img " FIXTURES "/valid.system",
                         out, sizeof out),
                     1);
    assert_string_equal(out, "mksys: error: --stage2-block '1g': expected 4k or 2m\n");
    assert_int_equal(access(img_path, F_OK), -1);
    assert_int_equal(run(COMMON " --stage2-block 4K -o " TEST_OUT "/out/cli_s2.img " FIXTURES "/valid.system",
                         out, sizeof out),
                     1);
    assert_int_equal(access(img_path, F_OK), -1);
    static const struct {
        const char *arg;
        unsigned want;
        const char *report;
    } ok[] = { { "4k", SYSIMG_S2_BLOCK_4K, "\nstage-2 leaves 4 KiB pages only (the board's STAGE2_BLOCK)\n" },
               { "2m", SYSIMG_S2_BLOCK_2M, "\nstage-2 leaves 2 MiB blocks where aligned, else 4 KiB pages" },
               { NULL, SYSIMG_S2_BLOCK_2M,
                 "\nstage-2 leaves 2 MiB blocks where aligned, else 4 KiB pages" } };
    for (unsigned i = 0; i < 3; i++) {
        char args[1024];
        snprintf(args, sizeof args,
                 COMMON "%s%s --report " TEST_OUT "/out/cli_s2.txt -o %s " FIXTURES "/valid.system",
                 ok[i].arg ? " --stage2-block " : "", ok[i].arg ? ok[i].arg : "", img_path);
        assert_int_equal(run(args, out, sizeof out), 0);
        assert_string_equal(out, "");
        struct img img;
        assert_int_equal(img_load(&img, img_path), 0);
        assert_int_equal(img.h->stage2_block, ok[i].want);
        img_free(&img);
        char *report = read_whole(TEST_OUT "/out/cli_s2.txt", NULL);
        assert_non_null(report);
        assert_non_null(strstr(report, ok[i].report));
        free(report);
    }
    assert_int_equal(run("--help", out, sizeof out), 0);
    assert_non_null(strstr(out, "--stage2-block 4k|2m"));
}

/* --kernel-in-ram (the QEMU boards' KERNEL_IN_RAM): the report says which guest is pre-placed. */
static void kernel_in_ram_option(void **state)
{
    (void)state;
    char out[4096];
    assert_int_equal(run(COMMON " --kernel-in-ram --report " TEST_OUT "/out/cli_kir.txt -o " TEST_OUT
                                "/out/cli_kir.img " FIXTURES "/guest.system",
                         out, sizeof out),
                     0);
    char *report = read_whole(TEST_OUT "/out/cli_kir.txt", NULL);
    assert_non_null(report);
    assert_non_null(strstr(report, "first boot   kernel pre-placed in RAM by the image"));
    free(report);
    assert_int_equal(run(COMMON " --report " TEST_OUT "/out/cli_kir.txt -o " TEST_OUT
                                "/out/cli_kir.img " FIXTURES "/guest.system",
                         out, sizeof out),
                     0);
    report = read_whole(TEST_OUT "/out/cli_kir.txt", NULL);
    assert_non_null(report);
    assert_null(strstr(report, "pre-placed"));
    free(report);
    assert_int_equal(run("--help", out, sizeof out), 0);
    assert_non_null(strstr(out, "--kernel-in-ram"));
}

/* --list-inputs stands alone: with an option of the image build it is refused, not ignored. */
static void list_inputs_alone(void **state)
{
    (void)state;
    char out[4096];
    unlink(TEST_OUT "/out/cli_inputs.mk");
    assert_int_equal(
        run("--list-inputs " TEST_OUT "/out/cli_inputs.mk " FIXTURES "/guest.system", out, sizeof out), 0);
    assert_string_equal(out, "");
    char *mk = read_whole(TEST_OUT "/out/cli_inputs.mk", NULL);
    assert_non_null(mk);
    assert_non_null(strstr(mk, "MKSYS_PROGRAMS := vmm.elf\n"));
    free(mk);
    assert_int_equal(run("--list-inputs " TEST_OUT "/out/cli_inputs2.mk --report " TEST_OUT
                         "/out/r.txt " FIXTURES "/guest.system",
                         out, sizeof out),
                     1);
    assert_non_null(strstr(out, "mksys: error: --list-inputs takes only its output file, an optional --board "
                                "and one system description"));
    assert_int_equal(access(TEST_OUT "/out/cli_inputs2.mk", F_OK), -1);
    /* --board is its one option: a <serial> then names only its UART's driver */
    assert_int_equal(run("--list-inputs " TEST_OUT "/out/cli_inputs3.mk --board " TEST_OUT
                         "/board_serial.dtb " FIXTURES "/serial.system",
                         out, sizeof out),
                     0);
    assert_string_equal(out, "");
    mk = read_whole(TEST_OUT "/out/cli_inputs3.mk", NULL);
    assert_non_null(mk);
    assert_non_null(
        strstr(mk, "MKSYS_PROGRAMS := serial_client.elf pd.elf pl011.elf serial_tx.elf serial_rx.elf\n"));
    free(mk);
}

int main(void)
{
    mkdir(TEST_OUT "/out", 0755);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(success_writes_image), cmocka_unit_test(error_exits_1_with_file_and_line),
        cmocka_unit_test(emit_options),         cmocka_unit_test(help_and_usage),
        cmocka_unit_test(kernel_in_ram_option), cmocka_unit_test(list_inputs_alone),
        cmocka_unit_test(stage2_block_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

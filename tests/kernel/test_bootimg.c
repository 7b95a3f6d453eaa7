/*
 * The kernel's boot-image checks (kernel/core/bootimg.c) on the host: bootimg.c is compiled as
 * it is, against a panic that jumps back to the test with its message, and a boot image whose
 * "RAM" is a mapping of this process (far from the fake kernel symbols). Covers the header's
 * stage-2 block size: the two values the image tool writes pass, any other is a clear panic.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <setjmp.h>

#include <cmocka.h>

#include "bootimg.h"

/* ---- fakes: the linker's kernel bounds (renamed by tests/kernel/build.mk) and panic ---- */
char kern_image_start[1], kern_image_end[1];
static jmp_buf panicked;
static char panic_msg[256];

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(panic_msg, sizeof panic_msg, fmt, ap);
    va_end(ap);
    longjmp(panicked, 1);
}

/* ---- a one-PD boot image: header and PD table in page 0, pool in page 1, IPC buffer page 2 ---- */
#define RAM_SIZE 0x4000ul
static uint8_t *ram;

static struct sysimg_header *image(uint32_t stage2_block)
{
    memset(ram, 0, RAM_SIZE);
    struct sysimg_header *h = (struct sysimg_header *)ram;
    struct sysimg_pd *pd = (struct sysimg_pd *)(ram + sizeof *h);
    *h = (struct sysimg_header){
        .magic = SYSIMG_MAGIC,
        .version = SYSIMG_VERSION,
        .size = (uint32_t)(sizeof *h + sizeof *pd),
        .num_pds = 1,
        .pds_off = sizeof *h,
        .maps_off = (uint32_t)(sizeof *h + sizeof *pd),
        .zero_off = (uint32_t)(sizeof *h + sizeof *pd),
        .ram_base = (uint64_t)(uintptr_t)ram,
        .ram_size = RAM_SIZE,
        .gicd_base = 0x08000000,
        .gicr_base = 0x080a0000,
        .gicr_size = 0xf60000,
        .timer_irq = 26,
        .stage2_block = stage2_block,
        .pt_pool_pa = (uint64_t)(uintptr_t)ram + 0x1000,
        .pt_pool_size = 0x1000,
        .num_cpus = 1,
    };
    strcpy(pd->name, "pd");
    pd->parent = SYSIMG_NO_PARENT;
    pd->ipc_buf_pa = (uint64_t)(uintptr_t)ram + 0x2000;
    return h;
}

/* The message bootimg_check panicked with, or NULL if it accepted the image. */
static const char *check(const struct sysimg_header *h)
{
    if (setjmp(panicked))
        return panic_msg;
    assert_ptr_equal(bootimg_check((uint64_t)(uintptr_t)h), h);
    return NULL;
}

static void both_block_sizes_pass(void **state)
{
    (void)state;
    assert_null(check(image(SYSIMG_S2_BLOCK_4K)));
    assert_null(check(image(SYSIMG_S2_BLOCK_2M)));
}

static void unknown_block_size_panics(void **state)
{
    (void)state;
    static const uint32_t bad[] = { 0, 0x2000, 0x10000, 0x40000000, 0xffffffff };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *msg = check(image(bad[i]));
        assert_non_null(msg);
        char want[128];
        snprintf(want, sizeof want, "bad boot image: stage-2 block size 0x%x (0x1000 or 0x200000 allowed)",
                 bad[i]);
        assert_string_equal(msg, want);
    }
}

/* An image of the format before the field existed is refused by version, not misread. */
static void old_version_panics(void **state)
{
    (void)state;
    struct sysimg_header *h = image(SYSIMG_S2_BLOCK_2M);
    h->version = SYSIMG_VERSION - 1;
    const char *msg = check(h);
    assert_non_null(msg);
    char want[96];
    snprintf(want, sizeof want, "boot image version %u, this kernel reads version %u", SYSIMG_VERSION - 1,
             SYSIMG_VERSION);
    assert_string_equal(msg, want);
}

/* Placement: the core count and each PD's core are checked before anything uses them. */
static void bad_cores_panic(void **state)
{
    (void)state;
    struct sysimg_header *h = image(SYSIMG_S2_BLOCK_4K);
    h->num_cpus = 0;
    assert_string_equal(check(h), "bad boot image: 0 cores (1..8 allowed)");
    h->num_cpus = SYS_MAX_CPUS + 1;
    assert_string_equal(check(h), "bad boot image: 9 cores (1..8 allowed)");
    h->num_cpus = 2;
    struct sysimg_pd *pd = (struct sysimg_pd *)(ram + sizeof *h);
    pd->cpu = 1;
    assert_null(check(h));
    pd->cpu = 2;
    assert_string_equal(check(h), "bad boot image: PD 'pd' placed on core 2 of 2");
    pd->cpu = 0xffffffff;
    assert_string_equal(check(h), "bad boot image: PD 'pd' placed on core 4294967295 of 2");
}

/* Flags: only the known ones, and the virtual-timer one only on a vCPU. */
static void bad_flags_panic(void **state)
{
    (void)state;
    struct sysimg_header *h = image(SYSIMG_S2_BLOCK_4K);
    struct sysimg_pd *pd = (struct sysimg_pd *)(ram + sizeof *h);
    pd->flags = SYSIMG_PD_VTIMER_TO_VMM;
    assert_string_equal(check(h), "bad boot image: PD 'pd' flags 0x2");
    pd->flags = 1u << 7;
    assert_string_equal(check(h), "bad boot image: PD 'pd' flags 0x80");
    pd->flags = 0;
    assert_null(check(h));
}

int main(void)
{
    ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ram == MAP_FAILED)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(both_block_sizes_pass), cmocka_unit_test(unknown_block_size_panics),
        cmocka_unit_test(old_version_panics),    cmocka_unit_test(bad_cores_panic),
        cmocka_unit_test(bad_flags_panic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

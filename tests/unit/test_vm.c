/* Low-level <virtual_machine>: each vCPU is a PD-table entry after the native PDs, with
 * SYSIMG_PD_VCPU, its VMM as parent and the VM's guest-physical maps on the first vCPU. */
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
#include "pd_abi.h"

#define OUT_IMG    TEST_OUT "/out/vm.img"
#define OUT_REPORT TEST_OUT "/out/vm.txt"

static struct img img;

static int setup(void **state)
{
    (void)state;
    struct mksys_opts o = { .system = FIXTURES "/vm.system", .output = OUT_IMG, .report = OUT_REPORT };
    return img_build(&img, &o);
}

static int teardown(void **state)
{
    (void)state;
    img_free(&img);
    return 0;
}

static void vcpus_follow_native_pds(void **state)
{
    (void)state;
    assert_int_equal(img.h->version, SYSIMG_VERSION);
    assert_int_equal(img.h->num_pds, 4 + 4);
    const char *names[] = { "client", "vmm", "helper", "vmm2", "guest:0", "guest:1", "guest:3", "other:5" };
    for (uint32_t i = 0; i < 8; i++)
        assert_string_equal(img.pds[i].name, names[i]);
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(img.pds[i].flags, 0);
        assert_int_equal(img.pds[i].vm_first, i);
    }
}

static void vcpu_entries(void **state)
{
    (void)state;
    const uint32_t ids[] = { 0, 1, 3, 5 }, parent[] = { 1, 1, 1, 3 }, first[] = { 4, 4, 4, 7 },
                   prio[] = { 100, 100, 100, 0 };
    for (uint32_t k = 0; k < 4; k++) {
        const struct sysimg_pd *v = &img.pds[4 + k];
        /* other (vCPU 5) has vtimer="vmm"; guest says vtimer="kernel", the default */
        assert_int_equal(v->flags, SYSIMG_PD_VCPU | (k == 3 ? SYSIMG_PD_VTIMER_TO_VMM : 0));
        assert_int_equal(v->child_id, ids[k]);
        assert_int_equal(v->parent, parent[k]);
        assert_int_equal(v->vm_first, first[k]);
        assert_int_equal(v->priority, prio[k]);
        assert_true(v->entry == 0 && v->stack_top == 0 && v->ipc_buf_pa == 0);
        for (unsigned c = 0; c < SYSIMG_MAX_CHANNELS; c++)
            assert_int_equal(v->ch[c].kind, SYSIMG_CH_NONE);
    }
    assert_int_equal(img.pds[2].parent, 1); /* helper is a child PD of vmm, id 2 */
    assert_int_equal(img.pds[2].child_id, 2);
}

static void maps_on_the_first_vcpu_only(void **state)
{
    (void)state;
    const struct sysimg_pd *g0 = &img.pds[4], *vmm = &img.pds[1];
    assert_int_equal(g0->num_maps, 2);
    assert_int_equal(img.pds[5].num_maps, 0);
    assert_int_equal(img.pds[6].num_maps, 0);
    const struct sysimg_map *ram = img_map(&img, g0, 0x40000000), *uart = img_map(&img, g0, 0x9000000);
    assert_non_null(ram);
    assert_non_null(uart);
    assert_true(ram->size == 0x200000 && ram->pa % 0x200000 == 0);
    assert_int_equal(ram->perms, SYSIMG_PERM_R | SYSIMG_PERM_W | SYSIMG_PERM_X);
    assert_int_equal(ram->cached, 1);
    assert_true(img_map(&img, vmm, 0x40000000)->pa == ram->pa); /* the VMM sees the same RAM */
    assert_true(uart->pa == 0x9000000 && uart->size == 0x1000 && uart->cached == 0);
    assert_int_equal(uart->perms, SYSIMG_PERM_R | SYSIMG_PERM_W);
    assert_true(img_zeroed(&img, ram->pa, ram->size)); /* a plain region: zeroed as ever */
    const struct sysimg_map *other = img_map(&img, &img.pds[7], 0x80000000);
    assert_true(other && other->size == 0x4000 && other->perms == (SYSIMG_PERM_R | SYSIMG_PERM_W));
    /* every map belongs to exactly one entry */
    uint32_t total = 0;
    for (uint32_t i = 0; i < img.h->num_pds; i++)
        total += img.pds[i].num_maps;
    assert_int_equal(total, img.h->num_maps);
}

static void report_lists_the_vm(void **state)
{
    (void)state;
    char *text = read_whole(OUT_REPORT, NULL);
    assert_non_null(text);
    assert_non_null(
        strstr(text, "VM 'guest' of PD 'vmm': priority 100, vCPUs 0 (entry 4) 1 (entry 5) 3 (entry 6)"));
    assert_non_null(strstr(text, "(4 PDs, 4 vCPUs,"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vcpus_follow_native_pds),
        cmocka_unit_test(vcpu_entries),
        cmocka_unit_test(maps_on_the_first_vcpu_only),
        cmocka_unit_test(report_lists_the_vm),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

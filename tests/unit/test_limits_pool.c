/* The stage-2 table pool in the boot image holds exactly the tables the kernel will allocate:
 * checked against a page-by-page model of kernel/arch/aarch64/stage2.c, for the fixture
 * systems and for a PD whose scattered maps need more tables than the old fixed 512-page pool. */
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
#include "sys_limits.h"

#define SZ_2M    0x200000ull
#define L2_SLOTS (1u << (SYS_IPA_BITS - 21))

/* One stage-2 table: which level-1 and level-2 entries hold tables or blocks. */
struct model {
    uint64_t tables;
    uint8_t l1[512]; /* 1: level-2 table allocated */
    uint8_t *l2;     /* per 2 MiB slot: 0 empty, 1 level-3 table, 2 block */
};

static void model_map(struct model *m, uint64_t ipa, uint64_t pa, uint64_t size)
{
    assert_true(ipa + size <= (1ull << SYS_IPA_BITS));
    while (size) { /* stage2_map's loop, one step at a time */
        unsigned i1 = (unsigned)(ipa >> 30), s2 = (unsigned)(ipa >> 21);
        if (!m->l1[i1]) {
            m->l1[i1] = 1;
            m->tables++;
        }
        if (!((ipa | pa) & (SZ_2M - 1)) && size >= SZ_2M) {
            assert_int_equal(m->l2[s2], 0);
            m->l2[s2] = 2;
            ipa += SZ_2M, pa += SZ_2M, size -= SZ_2M;
            continue;
        }
        assert_int_not_equal(m->l2[s2], 2);
        if (!m->l2[s2]) {
            m->l2[s2] = 1;
            m->tables++;
        }
        ipa += 0x1000, pa += 0x1000, size -= 0x1000;
    }
}

static uint64_t model_tables(const struct img *img)
{
    uint64_t total = 0;
    struct model m;
    m.l2 = malloc(L2_SLOTS);
    assert_non_null(m.l2);
    for (uint32_t i = 0; i < img->h->num_pds; i++) {
        const struct sysimg_pd *d = &img->pds[i];
        bool vcpu = d->flags & SYSIMG_PD_VCPU;
        if (vcpu && d->vm_first != i)
            continue;
        memset(m.l1, 0, sizeof m.l1);
        memset(m.l2, 0, L2_SLOTS);
        m.tables = 1; /* the root */
        for (uint32_t k = 0; k < d->num_maps; k++) {
            const struct sysimg_map *map = &img->maps[d->first_map + k];
            model_map(&m, map->ipa, map->pa, map->size);
        }
        if (!vcpu)
            model_map(&m, PD_VECTORS_VADDR, 0x40001000, 0x1000);
        total += m.tables;
    }
    free(m.l2);
    return total;
}

static void build(struct img *img, const char *system, const char *out)
{
    const char *search[] = { TEST_OUT };
    struct mksys_opts o = { .system = system, .output = out, .search = search, .nsearch = 1 };
    assert_int_equal(img_build(img, &o), 0);
}

static void pool_matches_model(const char *system, const char *out)
{
    struct img img;
    build(&img, system, out);
    assert_int_equal(img.h->pt_pool_size, model_tables(&img) * 0x1000);
    img_free(&img);
}

static void valid_system_pool_is_exact(void **state)
{
    (void)state;
    pool_matches_model(FIXTURES "/valid.system", TEST_OUT "/out/pool_valid.img");
}

static void vm_system_pool_is_exact(void **state)
{
    (void)state;
    pool_matches_model(FIXTURES "/vm.system", TEST_OUT "/out/pool_vm.img");
}

/* 600 one-page maps, each in its own 2 MiB slot: 600 level-3 tables, more than the 512 pages
 * the boot image used to reserve, so the kernel panicked at boot. */
#define SCATTERED 600
static void scattered_maps_get_their_tables(void **state)
{
    (void)state;
    const char *path = TEST_OUT "/out/pool_scattered.system";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "<?xml version=\"1.0\"?>\n<system>\n    <memory_region name=\"page\" size=\"0x1000\" />\n");
    fprintf(
        f, "    <protection_domain name=\"a\" priority=\"10\">\n        <program_image path=\"pd.elf\" />\n");
    for (unsigned i = 0; i < SCATTERED; i++)
        fprintf(f, "        <map mr=\"page\" vaddr=\"0x%llx\" perms=\"r\" />\n",
                0x100000000ull + (unsigned long long)i * SZ_2M);
    fprintf(f, "    </protection_domain>\n</system>\n");
    fclose(f);
    struct img img;
    build(&img, path, TEST_OUT "/out/pool_scattered.img");
    uint64_t tables = model_tables(&img);
    assert_true(tables > 512 + 1);
    assert_int_equal(img.h->pt_pool_size, tables * 0x1000);
    img_free(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_system_pool_is_exact),
        cmocka_unit_test(vm_system_pool_is_exact),
        cmocka_unit_test(scattered_maps_get_their_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The stage-2 table pool in the boot image holds exactly the tables the kernel will allocate:
 * checked against a page-by-page model of kernel/arch/aarch64/stage2.c, for the fixture
 * systems and for a PD whose scattered maps need more tables than the old fixed 512-page pool,
 * with 2 MiB blocks allowed and with 4 KiB pages only (the board's --stage2-block), which the
 * header records for the kernel. */
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

/* One stage-2 table: which level-1 and level-2 entries hold tables or blocks. A VM's has no
 * level 1: its root is SYS_VM_S2_ROOT_PAGES level-2 tables. */
struct model {
    bool vm;
    uint64_t tables;
    uint8_t l1[512]; /* 1: level-2 table allocated */
    uint8_t *l2;     /* per 2 MiB slot: 0 empty, 1 level-3 table, 2 block */
};

static void model_map(struct model *m, uint64_t ipa, uint64_t pa, uint64_t size, bool blocks)
{
    assert_true(ipa + size <= (m->vm ? SYS_VM_IPA_END : SYS_IPA_END));
    while (size) { /* stage2_map's loop, one step at a time */
        unsigned i1 = (unsigned)(ipa >> 30), s2 = (unsigned)(ipa >> 21);
        if (!m->vm && !m->l1[i1]) {
            m->l1[i1] = 1;
            m->tables++;
        }
        if (blocks && !((ipa | pa) & (SZ_2M - 1)) && size >= SZ_2M) {
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

/* The kernel follows the header: blocks only when it says 2 MiB. */
static uint64_t model_tables(const struct img *img)
{
    bool blocks = img->h->stage2_block == SYSIMG_S2_BLOCK_2M;
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
        m.vm = vcpu;
        m.tables = vcpu ? SYS_VM_S2_ROOT_PAGES : 1; /* the root */
        for (uint32_t k = 0; k < d->num_maps; k++) {
            const struct sysimg_map *map = &img->maps[d->first_map + k];
            model_map(&m, map->ipa, map->pa, map->size, blocks);
        }
        if (!vcpu)
            model_map(&m, PD_VECTORS_VADDR, 0x40001000, 0x1000, blocks);
        total += m.tables;
    }
    free(m.l2);
    return total;
}

/* block: 0 (the tool's default), SYSIMG_S2_BLOCK_4K or SYSIMG_S2_BLOCK_2M. */
static void build_block(struct img *img, const char *system, const char *out, unsigned block)
{
    const char *search[] = { TEST_OUT };
    struct mksys_opts o = {
        .system = system, .output = out, .search = search, .nsearch = 1, .stage2_block = block
    };
    assert_int_equal(img_build(img, &o), 0);
    assert_int_equal(img->h->stage2_block, block ? block : SYSIMG_S2_BLOCK_2M);
}

static void build(struct img *img, const char *system, const char *out)
{
    build_block(img, system, out, 0);
}

/* The pool's pages with 4 KiB pages only and with 2 MiB blocks, each checked against the model. */
static void pool_matches_model(const char *system, const char *out, uint64_t *pages_4k, uint64_t *pages_2m)
{
    static const unsigned blocks[] = { SYSIMG_S2_BLOCK_4K, SYSIMG_S2_BLOCK_2M };
    for (unsigned i = 0; i < 2; i++) {
        struct img img;
        build_block(&img, system, out, blocks[i]);
        uint64_t pages = model_tables(&img);
        assert_int_equal(img.h->pt_pool_size, pages * 0x1000);
        *(i ? pages_2m : pages_4k) = pages;
        img_free(&img);
    }
}

static void valid_system_pool_is_exact(void **state)
{
    (void)state;
    uint64_t p4, p2;
    pool_matches_model(FIXTURES "/valid.system", TEST_OUT "/out/pool_valid.img", &p4, &p2);
    assert_int_equal(p4, p2 + 1); /* "big", one aligned 2 MiB: a block, or a level-3 table */
}

/* guest_ram is one aligned 2 MiB region mapped by the VM and by its VMM: a block each with
 * blocks, a level-3 table each with pages only. The pool starts aligned for the VM's root. */
static void vm_system_pool_is_exact(void **state)
{
    (void)state;
    uint64_t p4, p2;
    pool_matches_model(FIXTURES "/vm.system", TEST_OUT "/out/pool_vm.img", &p4, &p2);
    assert_int_equal(p4, p2 + 2);
    struct img img;
    build(&img, FIXTURES "/vm.system", TEST_OUT "/out/pool_vm.img");
    assert_int_equal(img.h->pt_pool_pa % SYS_S2_POOL_ALIGN, 0);
    img_free(&img);
}

/* A VM with 1 GiB of RAM (a fixed region outside the board's RAM, so that it fits) at an
 * aligned IPA: 512 blocks in its root, or 512 level-3 tables. */
static void gib_guest_needs_512_tables_with_pages(void **state)
{
    (void)state;
    const char *path = TEST_OUT "/out/pool_gib.system";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "<?xml version=\"1.0\"?>\n<system>\n"
               "    <memory_region name=\"ram\" size=\"0x40000000\" phys_addr=\"0x100000000\" />\n"
               "    <protection_domain name=\"vmm\" priority=\"10\">\n"
               "        <program_image path=\"pd.elf\" />\n"
               "        <virtual_machine name=\"guest\">\n            <vcpu id=\"0\" />\n"
               "            <map mr=\"ram\" vaddr=\"0x40000000\" perms=\"rwx\" />\n"
               "        </virtual_machine>\n    </protection_domain>\n</system>\n");
    fclose(f);
    uint64_t p4, p2;
    pool_matches_model(path, TEST_OUT "/out/pool_gib.img", &p4, &p2);
    assert_int_equal(p4, p2 + 512);
}

/* 510 GiB of device memory in one native PD: 2 MiB of tables with blocks, more than the board's
 * 1 GiB of RAM with pages only, which the tool refuses, naming the pages-only board. */
#define HUGE_GIB 510u
static void pages_only_pool_too_big_is_refused(void **state)
{
    (void)state;
    const char *path = TEST_OUT "/out/pool_huge.system";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "<?xml version=\"1.0\"?>\n<system>\n"
               "    <memory_region name=\"dev\" size=\"0x7f80000000\" phys_addr=\"0x8000000000\" />\n"
               "    <protection_domain name=\"pd\" priority=\"10\">\n"
               "        <program_image path=\"pd.elf\" />\n"
               "        <map mr=\"dev\" vaddr=\"0x80000000\" perms=\"rw\" cached=\"false\" />\n"
               "    </protection_domain>\n</system>\n");
    fclose(f);
    struct img img;
    build_block(&img, path, TEST_OUT "/out/pool_huge.img", SYSIMG_S2_BLOCK_2M);
    assert_int_equal(img.h->pt_pool_size, model_tables(&img) * 0x1000);
    uint64_t own_pages = img.h->pt_pool_size / 0x1000 - HUGE_GIB; /* the device map's level-2 tables */
    assert_true(own_pages < 8); /* the root, the program's and the vectors page's tables */
    img_free(&img);
    const char *search[] = { TEST_OUT };
    struct mksys_opts o = { .system = path,
                            .output = TEST_OUT "/out/pool_huge4k.img",
                            .search = search,
                            .nsearch = 1,
                            .stage2_block = SYSIMG_S2_BLOCK_4K };
    struct run_result r;
    run_mksys_opts(&o, &r);
    assert_int_equal(r.rc, -1);
    /* the PD's own (no blocks either way), and a level-2 table per GiB and a level-3 table per
     * 2 MiB for the map */
    char want[256];
    snprintf(want, sizeof want,
             "(of them 0x%x for %u stage-2 table pages: the board maps 4 KiB stage-2 pages only)",
             (unsigned)(own_pages + HUGE_GIB * 513) * 0x1000, (unsigned)(own_pages + HUGE_GIB * 513));
    assert_non_null(strstr(r.error, "system does not fit in RAM"));
    assert_non_null(strstr(r.error, want));
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
        cmocka_unit_test(gib_guest_needs_512_tables_with_pages),
        cmocka_unit_test(pages_only_pool_too_big_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

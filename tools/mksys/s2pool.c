/*
 * How many stage-2 table pages the kernel will take from its pool for a system, counted the
 * way kernel/arch/aarch64/stage2.c allocates them, so the boot image reserves exactly that.
 * A native PD: a level-1 root and one level-2 table per 1 GiB slot a map touches. A VM (its
 * first vCPU, whose table the others share): a root of SYS_VM_S2_ROOT_PAGES level-2 tables.
 * Both: one level-3 table per 2 MiB slot not covered by a 2 MiB block. With 2 MiB blocks allowed (the board's stage2_block) the
 * kernel maps a slot with a block when the map covers it whole and its IPA and PA agree modulo
 * 2 MiB (stage2_map walks a map in address order); with 4 KiB pages only, every slot a map
 * touches gets a level-3 table (a 1 GiB guest: 512 of them).
 */
#include <stdlib.h>

#include "layout.h"
#include "pd_abi.h"
#include "sys_limits.h"

#define SLOT_2M 21
#define SLOT_1G 30

typedef VEC(uint64_t) keyvec;

static void key_add(keyvec *v, uint64_t key)
{
    if (v->n && v->v[v->n - 1] == key) /* consecutive slots of one map: cheap dedup */
        return;
    *VEC_PUSH(*v) = key;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t count_unique(keyvec *v)
{
    if (!v->n)
        return 0;
    qsort(v->v, v->n, sizeof *v->v, cmp_u64);
    uint64_t n = 1;
    for (size_t i = 1; i < v->n; i++)
        n += v->v[i] != v->v[i - 1];
    return n;
}

/* The slots one map needs. size > 0, and ipa + size is within the IPA range (check.c). */
static void map_slots(keyvec *l2, keyvec *l3, uint64_t ipa, uint64_t pa, uint64_t size, bool blocks)
{
    const uint64_t two_m = 1ull << SLOT_2M;
    bool congruent = blocks && ((ipa ^ pa) & (two_m - 1)) == 0;
    uint64_t end = ipa + size;
    for (uint64_t slot = ipa >> SLOT_2M; slot <= (end - 1) >> SLOT_2M; slot++) {
        uint64_t start = slot << SLOT_2M;
        key_add(l2, slot >> (SLOT_1G - SLOT_2M));
        bool block = congruent && start >= ipa && end - start >= two_m;
        if (!block)
            key_add(l3, slot);
    }
}

uint64_t s2pool_tables(const struct sysimg_pd *pds, size_t npds, const struct sysimg_map *maps,
                       uint32_t stage2_block)
{
    bool blocks = stage2_block == SYSIMG_S2_BLOCK_2M;
    uint64_t total = 0;
    for (size_t i = 0; i < npds; i++) {
        const struct sysimg_pd *d = &pds[i];
        bool vcpu = d->flags & SYSIMG_PD_VCPU;
        if (vcpu && d->vm_first != i)
            continue; /* shares its VM's first vCPU's table */
        keyvec l2 = { 0 }, l3 = { 0 };
        for (uint32_t m = 0; m < d->num_maps; m++) {
            const struct sysimg_map *map = &maps[d->first_map + m];
            if (map->size)
                map_slots(&l2, &l3, map->ipa, map->pa, map->size, blocks);
        }
        if (!vcpu) /* the kernel adds its EL1 vectors page to every native PD */
            map_slots(&l2, &l3, PD_VECTORS_VADDR, 0, PAGE_4K, blocks);
        total += vcpu ? SYS_VM_S2_ROOT_PAGES + count_unique(&l3) : 1 + count_unique(&l2) + count_unique(&l3);
        free(l2.v);
        free(l3.v);
    }
    return total;
}

/*
 * Stage-2 translation tables for PDs: 4 KiB granule. A native PD's walk starts at level 1
 * (39-bit IPA); a VM's starts at level 2 from 16 concatenated level-2 tables (34-bit IPA), so
 * each of the guest's TLB misses walks one level less (a cost QEMU pays in software on every
 * refill, docs/kernel.md). Where the board allows them (sysimg stage2_block), large aligned
 * ranges use 2 MiB blocks so big regions need few tables; the QEMU boards map only 4 KiB pages.
 * Tables come from a pool of zeroed pages the image tool reserved: the VMs' roots first, then
 * single pages. Nothing is freed.
 */
#include "mmu.h"
#include "console.h"
#include "sysreg.h"
#include "sys_limits.h"

#define DESC_VALID       0x1ul
#define DESC_TABLE       0x3ul
#define DESC_PAGE        0x3ul
#define DESC_BLOCK       0x1ul
#define S2_AF            (1ul << 10)
#define S2_SH_INNER      (3ul << 8)
#define S2_AP_R          (1ul << 6)
#define S2_AP_W          (1ul << 7)
#define S2_XN            (1ul << 54)
#define S2_MEM_NORMAL_WB (0xful << 2)
#define S2_MEM_DEVICE    (0x1ul << 2) /* Device-nGnRE */
#define ADDR_MASK        0x0000fffffffff000ul
#define SZ_2M            0x200000ul

/* Cacheable inner-shareable walks, 4 KiB granule, PS=40 bits, and T0SZ with the start level
 * (SL0): 25 from level 1 for PDs, 30 from level 2 for VMs. The ranges include/sys_limits.h
 * gives the image tool. */
_Static_assert(SYS_IPA_BITS == 64 - 25 && SYS_VM_IPA_BITS == 64 - 30 && SYS_PA_BITS == 40,
               "the VTCR values encode the IPA and PA sizes");
_Static_assert(SYS_VM_S2_ROOT_PAGES == 16 && SYS_S2_POOL_ALIGN == 16 * PAGE_SIZE,
               "a VM's root is 16 level-2 tables, aligned to their total size");
#define VTCR_COMMON ((1ul << 8) | (1ul << 10) | (3ul << 12) | (2ul << 16) | (1ul << 31))
#define VTCR_PD     (VTCR_COMMON | 25ul | (1ul << 6))
#define VTCR_VM     (VTCR_COMMON | 30ul | (0ul << 6))

/* Zeroed pages the image tool reserved (sysimg pt_pool_pa/size): the VM roots at the start,
 * then single tables front to back. */
static uint64_t roots_next, roots_end, pool_next, pool_end, pool_size;
static bool use_blocks;

void stage2_pool_init(uint64_t pa, uint64_t size, bool blocks_2m, unsigned vm_roots)
{
    uint64_t roots = (uint64_t)vm_roots * SYS_S2_POOL_ALIGN;
    if ((vm_roots && (pa & (SYS_S2_POOL_ALIGN - 1))) || roots > size)
        panic("stage-2 pool 0x%lx+0x%lx cannot hold %u VM roots (the image tool aligns and sizes it)", pa,
              size, vm_roots);
    roots_next = pa;
    roots_end = pool_next = pa + roots;
    pool_end = pa + size;
    pool_size = size;
    use_blocks = blocks_2m;
}

static uint64_t *table_alloc(void)
{
    if (pool_next >= pool_end)
        panic("out of stage-2 table pages (the boot image reserved 0x%lx bytes)", pool_size);
    uint64_t *t = (uint64_t *)pool_next;
    pool_next += PAGE_SIZE;
    return t;
}

uint64_t *stage2_new_root(bool vm)
{
    if (!vm)
        return table_alloc();
    if (roots_next >= roots_end)
        panic("out of stage-2 VM roots (the boot image reserved 0x%lx bytes)", pool_size);
    uint64_t *t = (uint64_t *)roots_next;
    roots_next += SYS_S2_POOL_ALIGN;
    return t;
}

uint64_t stage2_vtcr(bool vm)
{
    return vm ? VTCR_VM : VTCR_PD;
}

static uint64_t *next_table(uint64_t *table, unsigned idx)
{
    uint64_t d = table[idx];
    if (!(d & DESC_VALID)) {
        uint64_t *t = table_alloc();
        table[idx] = (uint64_t)t | DESC_TABLE;
        return t;
    }
    if ((d & 3) != DESC_TABLE)
        return NULL; /* a block is already there */
    return (uint64_t *)(d & ADDR_MASK);
}

static uint64_t leaf_attrs(unsigned perms, bool cached)
{
    uint64_t a = S2_AF;
    a |= cached ? (S2_MEM_NORMAL_WB | S2_SH_INNER) : S2_MEM_DEVICE;
    if (perms & S2_R)
        a |= S2_AP_R;
    if (perms & S2_W)
        a |= S2_AP_W;
    if (!(perms & S2_X) || !cached)
        a |= S2_XN;
    return a;
}

bool stage2_map(uint64_t *root, bool vm, uint64_t ipa, uint64_t pa, uint64_t size, unsigned perms,
                bool cached)
{
    uint64_t ipa_end = vm ? SYS_VM_IPA_END : SYS_IPA_END;
    if ((ipa | pa | size) & (PAGE_SIZE - 1) || ipa > ipa_end || size > ipa_end - ipa || pa > SYS_PA_END ||
        size > SYS_PA_END - pa) {
        kprintf("kernel: stage-2 map ipa 0x%lx pa 0x%lx size 0x%lx: misaligned or out of range\n", ipa, pa,
                size);
        return false;
    }
    uint64_t attrs = leaf_attrs(perms, cached);
    while (size) {
        /* a VM's root is its level-2 tables, indexed as one array by IPA bits 33..21 */
        uint64_t *l2 = vm ? root : next_table(root, (ipa >> 30) & 511);
        if (!l2)
            goto clash;
        unsigned i2 = (ipa >> 21) & (vm ? SYS_VM_S2_ROOT_PAGES * 512 - 1 : 511);
        if (use_blocks && !((ipa | pa) & (SZ_2M - 1)) && size >= SZ_2M) {
            if (l2[i2] & DESC_VALID)
                goto clash;
            l2[i2] = pa | attrs | DESC_BLOCK;
            ipa += SZ_2M, pa += SZ_2M, size -= SZ_2M;
            continue;
        }
        uint64_t *l3 = next_table(l2, i2);
        if (!l3)
            goto clash;
        /* the map's pages in this 2 MiB slot, without walking down again for each (a 256 MiB
         * guest is 65536 of them, mapped at boot) */
        for (unsigned i3 = (ipa >> 12) & 511; size && i3 < 512; i3++) {
            if (l3[i3] & DESC_VALID)
                goto clash;
            l3[i3] = pa | attrs | DESC_PAGE;
            ipa += PAGE_SIZE, pa += PAGE_SIZE, size -= PAGE_SIZE;
        }
    }
    return true;
clash:
    kprintf("kernel: stage-2 ipa 0x%lx is already mapped\n", ipa);
    return false;
}

void stage2_init_regs(void)
{
    sysreg_write(vtcr_el2, VTCR_PD); /* arch_enter_pd sets each PD's own */
    dsb(ishst);
    __asm__ volatile("tlbi alle1" ::: "memory");
    dsb(ish);
    isb();
}

/*
 * Stage-2 translation tables for PDs: 4 KiB granule, 39-bit IPA, walk starting at level 1.
 * Where the board allows them (sysimg stage2_block), large aligned ranges use 2 MiB blocks so
 * big regions need few tables; the QEMU boards map only 4 KiB pages (docs/kernel.md).
 * Tables come from a pool of zeroed pages the image tool reserved: nothing is freed.
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

/* T0SZ=25, SL0=1 (start level 1), cacheable inner-shareable walks, 4 KiB, PS=40 bits: the
 * ranges include/sys_limits.h gives the image tool. */
_Static_assert(SYS_IPA_BITS == 64 - 25 && SYS_PA_BITS == 40, "VTCR_VALUE encodes the IPA and PA sizes");
#define VTCR_VALUE ((25ul) | (1ul << 6) | (1ul << 8) | (1ul << 10) | (3ul << 12) | (2ul << 16) | (1ul << 31))

/* Zeroed pages the image tool reserved (sysimg pt_pool_pa/size), used front to back. */
static uint64_t pool_next, pool_end, pool_size;
static bool use_blocks;

void stage2_pool_init(uint64_t pa, uint64_t size, bool blocks_2m)
{
    pool_next = pa;
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

uint64_t *stage2_new_root(void)
{
    return table_alloc();
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

bool stage2_map(uint64_t *root, uint64_t ipa, uint64_t pa, uint64_t size, unsigned perms, bool cached)
{
    if ((ipa | pa | size) & (PAGE_SIZE - 1) || ipa > SYS_IPA_END || size > SYS_IPA_END - ipa ||
        pa > SYS_PA_END || size > SYS_PA_END - pa) {
        kprintf("kernel: stage-2 map ipa 0x%lx pa 0x%lx size 0x%lx: misaligned or out of range\n", ipa, pa,
                size);
        return false;
    }
    uint64_t attrs = leaf_attrs(perms, cached);
    while (size) {
        uint64_t *l2 = next_table(root, (ipa >> 30) & 511);
        if (!l2)
            goto clash;
        unsigned i2 = (ipa >> 21) & 511;
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
        unsigned i3 = (ipa >> 12) & 511;
        if (l3[i3] & DESC_VALID)
            goto clash;
        l3[i3] = pa | attrs | DESC_PAGE;
        ipa += PAGE_SIZE, pa += PAGE_SIZE, size -= PAGE_SIZE;
    }
    return true;
clash:
    kprintf("kernel: stage-2 ipa 0x%lx is already mapped\n", ipa);
    return false;
}

void stage2_init_regs(void)
{
    sysreg_write(vtcr_el2, VTCR_VALUE);
    dsb(ishst);
    __asm__ volatile("tlbi alle1" ::: "memory");
    dsb(ish);
    isb();
}

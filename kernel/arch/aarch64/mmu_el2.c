/*
 * The kernel's EL2 stage-1 map: an identity map in 1 GiB blocks. RAM is normal write-back
 * memory, everything else below 4 GiB (SYS_EL2_DEVICE_LIMIT) is device memory, the rest is
 * unmapped.
 */
#include "mmu.h"
#include "sysreg.h"
#include "sys_limits.h"

#define DESC_BLOCK    0x1ul
#define DESC_AF       (1ul << 10)
#define DESC_SH_INNER (3ul << 8)
#define DESC_XN       (1ul << 54)
#define ATTR_DEVICE   (0ul << 2) /* MAIR index 0 */
#define ATTR_NORMAL   (1ul << 2) /* MAIR index 1 */

#define MAIR_VALUE 0x04ffull /* attr0 Device-nGnRE, attr1 Normal write-back */
/* T0SZ=25 (39-bit VA), walks cacheable inner-shareable, 4 KiB granule, PS=40 bits, RES1 bits. */
#define TCR_VALUE      ((25ul) | (1ul << 8) | (1ul << 10) | (3ul << 12) | (2ul << 16) | (1ul << 23) | (1ul << 31))
#define SCTLR_EL2_RES1 0x30c50830ul
#define SCTLR_M        (1ul << 0)
#define SCTLR_C        (1ul << 2)
#define SCTLR_I        (1ul << 12)

static uint64_t el2_l1[512] __attribute__((aligned(4096)));
/* What the other cores load to share this map (head.S secondary_entry): MAIR, TCR, TTBR0,
 * SCTLR; a cache line of its own, cleaned to memory because they read it with the MMU off. */
uint64_t el2_mmu_regs[8] __attribute__((aligned(64)));
static uint64_t ram_lo, ram_hi;

bool mmu_is_ram(uint64_t pa, uint64_t size)
{
    return pa >= ram_lo && pa < ram_hi && size <= ram_hi - pa;
}

void mmu_el2_enable(uint64_t ram_base, uint64_t ram_size)
{
    const uint64_t gib = 1ul << 30;
    ram_lo = ram_base;
    ram_hi = ram_base + ram_size;
    for (uint64_t i = 0; i < 512; i++) {
        uint64_t pa = i * gib;
        bool is_ram = pa + gib > ram_base && pa < ram_base + ram_size;
        if (is_ram)
            el2_l1[i] = pa | DESC_BLOCK | DESC_AF | DESC_SH_INNER | ATTR_NORMAL;
        else if (pa < SYS_EL2_DEVICE_LIMIT) /* the image tool keeps the UART and GIC here */
            el2_l1[i] = pa | DESC_BLOCK | DESC_AF | DESC_XN | ATTR_DEVICE;
    }
    dsb(sy);
    sysreg_write(mair_el2, MAIR_VALUE);
    sysreg_write(tcr_el2, TCR_VALUE);
    sysreg_write(ttbr0_el2, (uint64_t)el2_l1);
    isb();
    __asm__ volatile("tlbi alle2" ::: "memory");
    __asm__ volatile("ic iallu" ::: "memory");
    dsb(sy);
    isb();
    sysreg_write(sctlr_el2, SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I);
    isb();
    el2_mmu_regs[0] = MAIR_VALUE;
    el2_mmu_regs[1] = TCR_VALUE;
    el2_mmu_regs[2] = (uint64_t)el2_l1;
    el2_mmu_regs[3] = SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I;
    __asm__ volatile("dc civac, %0" : : "r"(el2_mmu_regs) : "memory");
    dsb(sy);
}

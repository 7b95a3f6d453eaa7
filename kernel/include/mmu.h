/* Address translation: the kernel's own EL2 map and the stage-2 tables of PDs. */
#ifndef MMU_H
#define MMU_H
#include "types.h"

void mmu_el2_enable(uint64_t ram_base, uint64_t ram_size);
bool mmu_is_ram(uint64_t pa, uint64_t size);

/* Stage-2 tables (4 KiB granule): a native PD's from level 1 (39-bit IPA), a VM's (vm true)
 * from level 2 with a 16-page root (34-bit IPA). */
#define S2_R (1u << 0)
#define S2_W (1u << 1)
#define S2_X (1u << 2)
/* The table pool the boot image reserved, starting with vm_roots VM roots; blocks_2m: the board
 * allows 2 MiB leaves (sysimg stage2_block), otherwise every map is made of 4 KiB pages. */
void stage2_pool_init(uint64_t pa, uint64_t size, bool blocks_2m, unsigned vm_roots);
uint64_t *stage2_new_root(bool vm);
uint64_t stage2_vtcr(bool vm); /* the VTCR_EL2 value that goes with such a root */
/* Returns false (after printing why) if the range is misaligned, beyond the IPA or PA range
 * (include/sys_limits.h) or already mapped. */
bool stage2_map(uint64_t *root, bool vm, uint64_t ipa, uint64_t pa, uint64_t size, unsigned perms,
                bool cached);
void stage2_init_regs(void);
#endif

/* Physical placement of everything the image holds or reserves. */
#ifndef MKSYS_LAYOUT_H
#define MKSYS_LAYOUT_H

#include <stdint.h>

#include "board.h"
#include "elfimg.h"
#include "sdesc.h"
#include "sysimg.h"

/* A PD's program pages: ELF segments rounded out to pages, merged where they share a page.
 * [ipa, ipa+file_size) holds file bytes and lives in the image file at pa; the rest,
 * [ipa+file_size, ipa+size), is .bss only and is zero-filled memory at bss_pa. */
struct prog_region {
    uint64_t ipa;
    uint64_t file_size;
    uint64_t size;
    uint32_t perms;
    uint64_t pa, bss_pa;
};

struct pd_layout {
    struct elf_img *elf;
    VEC(struct prog_region) regions;
    uint64_t low_limit; /* IPAs from here up are the runtime's (stack, vectors, IPC buffer) */
    uint64_t stack_pa;
    uint64_t ipc_pa;
    uint32_t first_map, num_maps;
};

struct kernel_info {
    struct elf_img *elf;
    uint64_t load;          /* lowest p_paddr: where the Image is loaded */
    uint64_t end;           /* highest p_paddr + p_memsz */
    uint64_t sysimg_ptr_pa; /* physical address of boot_sysimg_pa */
};

struct layout {
    uint64_t load;
    uint64_t kernel_end;
    uint64_t sysimg_pa, sysimg_size;
    uint32_t pds_off, maps_off, zero_off;
    uint32_t num_maps, num_zero;
    uint64_t file_end;     /* first byte past the file's contents */
    uint64_t image_end;    /* first byte past the zero-filled memory */
    uint64_t pt_pool_pa;   /* the kernel's stage-2 table pages (zero-filled) */
    uint64_t pt_pool_size; /* exactly the pages the kernel will take (s2pool.c) */
    uint64_t zero_bytes;
    struct pd_layout pd[SYSIMG_MAX_PDS];
};

/* kernel.c: validate the kernel ELF against the board. */
int kernel_load(const char *path, const struct board *b, struct kernel_info *k);

/* programs.c: find and open each PD's ELF, build its program regions, and check its IPAs. */
int programs_load(const struct sd_system *sys, const char *const *search, size_t nsearch, struct layout *lay);
int programs_check_vaddrs(const struct sd_system *sys, const struct layout *lay);
/* The physical address of a PD IPA inside its program's file-backed pages, or 0. */
uint64_t program_pa(const struct pd_layout *pl, uint64_t ipa);
void programs_free(struct layout *lay, size_t npds);

/* layout.c: assign physical addresses and check that it all fits in RAM. */
bool mr_zeroed(const struct sd_mr *mr);
int layout_assign(struct sd_system *sys, const struct board *b, const struct kernel_info *k,
                  struct layout *lay);

/* sysimg.c: the PD, map and zero tables, sized as layout.c counted them. */
void sysimg_tables(const struct sd_system *sys, const struct layout *lay, struct sysimg_pd *pds,
                   struct sysimg_map *maps, struct sysimg_zero *zero);
/* s2pool.c: stage-2 table pages the kernel allocates for these tables (roots included). */
uint64_t s2pool_tables(const struct sysimg_pd *pds, size_t npds, const struct sysimg_map *maps,
                       uint32_t stage2_block);

#endif

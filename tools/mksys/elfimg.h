/* AArch64 executables read with libelf: loadable segments and symbol lookup. */
#ifndef MKSYS_ELFIMG_H
#define MKSYS_ELFIMG_H

#include <stddef.h>
#include <stdint.h>

struct elf_seg {
    uint64_t vaddr, paddr;
    uint64_t filesz, memsz;
    uint32_t flags;      /* PF_R / PF_W / PF_X */
    const uint8_t *data; /* filesz bytes inside the mapped file */
};

struct elf_img {
    char *path;
    uint64_t entry;
    struct elf_seg *segs; /* PT_LOAD segments with memsz > 0, in file order */
    size_t nsegs;
    struct elf_img_priv *priv;
};

/* Opens and validates an AArch64 little-endian ET_EXEC with at least one PT_LOAD.
 * Errors are reported as "PATH: error: ...". */
int elfimg_open(const char *path, struct elf_img **out);
void elfimg_close(struct elf_img *e);

/* Where a symbol's bytes are. */
enum sym_where {
    SYM_OK,       /* inside a segment's file-backed bytes: *seg, *vaddr, *size valid */
    SYM_MISSING,  /* no such symbol */
    SYM_BSS,      /* in a segment but past its file-backed bytes */
    SYM_UNLOADED, /* not inside any loadable segment */
    SYM_OVERRUN,  /* starts in a segment but its st_size runs past the segment's end (forged) */
};
enum sym_where elfimg_symbol(const struct elf_img *e, const char *name, uint64_t *vaddr, uint64_t *size,
                             size_t *seg);

/* Reports the standard error for a symbol that is not SYM_OK or is smaller than `need` (the
 * size is reported before .bss: initialising a too small variable would not help), at
 * sysfile:line, or against the ELF itself when sysfile is NULL. Always returns -1. */
int elfimg_symbol_error(const struct elf_img *e, const char *sysfile, long line, const char *name,
                        enum sym_where w, uint64_t size, uint64_t need);

#endif

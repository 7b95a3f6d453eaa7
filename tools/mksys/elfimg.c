#include "elfimg.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gelf.h>

#include "diag.h"
#include "files.h"
#include "util.h"

struct elf_img_priv {
    int fd;
    Elf *elf;
};

static int check_header(struct elf_img *e, Elf *elf)
{
    GElf_Ehdr eh;
    if (elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh))
        return err_file(e->path, "not an ELF file");
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
        eh.e_machine != EM_AARCH64)
        return err_file(e->path, "not an AArch64 little-endian 64-bit ELF (e_machine %u)", eh.e_machine);
    if (eh.e_type != ET_EXEC)
        return err_file(e->path, "not an executable (e_type %u; link it, and without -pie)", eh.e_type);
    e->entry = eh.e_entry;
    return 0;
}

static int read_segments(struct elf_img *e, Elf *elf)
{
    size_t n, rawsz;
    const uint8_t *raw = (const uint8_t *)elf_rawfile(elf, &rawsz);
    if (elf_getphdrnum(elf, &n) || !raw)
        return err_file(e->path, "cannot read program headers: %s", elf_errmsg(-1));
    e->segs = xcalloc(n, sizeof *e->segs);
    for (size_t i = 0; i < n; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(elf, (int)i, &ph))
            return err_file(e->path, "cannot read program header %zu: %s", i, elf_errmsg(-1));
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ph.p_filesz > ph.p_memsz || ph.p_offset > rawsz || ph.p_filesz > rawsz - ph.p_offset ||
            ph.p_memsz > ADDR_LIMIT || ph.p_vaddr > ADDR_LIMIT || ph.p_paddr > ADDR_LIMIT)
            return err_file(e->path, "segment %zu is malformed (sizes or offsets out of range)", i);
        struct elf_seg *s = &e->segs[e->nsegs++];
        s->vaddr = ph.p_vaddr;
        s->paddr = ph.p_paddr;
        s->filesz = ph.p_filesz;
        s->memsz = ph.p_memsz;
        s->flags = ph.p_flags;
        s->data = raw + ph.p_offset;
    }
    if (!e->nsegs)
        return err_file(e->path, "no loadable (PT_LOAD) segments");
    return 0;
}

/* Section headers and symbol tables are read once here, so a forged offset is an error
 * naming the file rather than a symbol that seems to be missing. */
static int check_sections(struct elf_img *e, Elf *elf)
{
    size_t n, seen = 0, rawsz;
    GElf_Ehdr eh;
    if (!elf_rawfile(elf, &rawsz) || !gelf_getehdr(elf, &eh))
        return err_file(e->path, "cannot read ELF header: %s", elf_errmsg(-1));
    /* libelf quietly shows no sections when the table lies outside the file */
    size_t raw_n = eh.e_shnum;
    if (raw_n && (eh.e_shoff > rawsz || raw_n > (rawsz - eh.e_shoff) / sizeof(Elf64_Shdr)))
        return err_file(e->path, "section header table (offset 0x%llx, %zu entries) lies outside the file",
                        (unsigned long long)eh.e_shoff, raw_n);
    if (elf_getshdrnum(elf, &n))
        return err_file(e->path, "cannot read section headers: %s", elf_errmsg(-1));
    for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn; scn = elf_nextscn(elf, scn), seen++) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh))
            return err_file(e->path, "cannot read section headers: %s", elf_errmsg(-1));
        if ((sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM) && !elf_getdata(scn, NULL))
            return err_file(e->path, "cannot read its symbol table: %s", elf_errmsg(-1));
    }
    if (n > 0 && seen + 1 < n) /* section 0 is not returned by elf_nextscn */
        return err_file(e->path, "only %zu of its %zu section headers can be read", seen + 1, n);
    return 0;
}

int elfimg_open(const char *path, struct elf_img **out)
{
    struct elf_img *e = xcalloc(1, sizeof *e);
    e->path = xstrdup(path);
    e->priv = xcalloc(1, sizeof *e->priv);
    e->priv->fd = -1;
    *out = e;
    if (elf_version(EV_CURRENT) == EV_NONE)
        return err_file(path, "libelf initialisation failed");
    e->priv->fd = files_open(path, "ELF file", NULL);
    if (e->priv->fd < 0)
        return -1;
    e->priv->elf = elf_begin(e->priv->fd, ELF_C_READ_MMAP, NULL);
    if (!e->priv->elf)
        return err_file(path, "cannot read ELF: %s", elf_errmsg(-1));
    return (check_header(e, e->priv->elf) || read_segments(e, e->priv->elf) ||
            check_sections(e, e->priv->elf))
               ? -1
               : 0;
}

void elfimg_close(struct elf_img *e)
{
    if (!e)
        return;
    if (e->priv->elf)
        elf_end(e->priv->elf);
    if (e->priv->fd >= 0)
        close(e->priv->fd);
    free(e->priv);
    free(e->segs);
    free(e->path);
    free(e);
}

/* Searches .symtab (and .dynsym for completeness) for a defined symbol. */
static bool lookup(Elf *elf, const char *name, GElf_Sym *out)
{
    for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn; scn = elf_nextscn(elf, scn)) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
            !sh.sh_entsize)
            continue;
        Elf_Data *data = elf_getdata(scn, NULL);
        size_t count = sh.sh_size / sh.sh_entsize;
        for (size_t i = 0; data && i < count; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(data, (int)i, &sym) || sym.st_shndx == SHN_UNDEF)
                continue;
            const char *s = elf_strptr(elf, sh.sh_link, sym.st_name);
            if (s && !strcmp(s, name)) {
                *out = sym;
                return true;
            }
        }
    }
    return false;
}

enum sym_where elfimg_symbol(const struct elf_img *e, const char *name, uint64_t *vaddr, uint64_t *size,
                             size_t *seg)
{
    GElf_Sym sym;
    if (!lookup(e->priv->elf, name, &sym))
        return SYM_MISSING;
    *vaddr = sym.st_value;
    *size = sym.st_size;
    for (size_t i = 0; i < e->nsegs; i++) {
        const struct elf_seg *s = &e->segs[i];
        if (sym.st_value < s->vaddr || sym.st_value - s->vaddr >= s->memsz)
            continue;
        *seg = i;
        /* Compared against what remains of the segment, never as off + st_size: a forged
         * st_size would wrap the sum and pass. */
        uint64_t off = sym.st_value - s->vaddr;
        if (sym.st_size > s->memsz - off)
            return SYM_OVERRUN;
        if (off >= s->filesz || sym.st_size > s->filesz - off)
            return SYM_BSS;
        return SYM_OK;
    }
    return SYM_UNLOADED;
}

int elfimg_symbol_error(const struct elf_img *e, const char *sysfile, long line, const char *name,
                        enum sym_where w, uint64_t size, uint64_t need)
{
    char msg[512];
    if ((w == SYM_OK || w == SYM_BSS) && size < need)
        w = SYM_OK; /* too small is the first thing to fix */
    switch (w) {
    case SYM_MISSING: snprintf(msg, sizeof msg, "symbol '%s' not found in '%s'", name, e->path); break;
    case SYM_BSS:
        snprintf(msg, sizeof msg,
                 "symbol '%s' in '%s' is in .bss (not stored in the file); initialise it to move it to .data",
                 name, e->path);
        break;
    case SYM_UNLOADED:
        snprintf(msg, sizeof msg, "symbol '%s' in '%s' is not inside a loadable segment", name, e->path);
        break;
    case SYM_OVERRUN:
        snprintf(msg, sizeof msg,
                 "symbol '%s' in '%s' is malformed: its size %llu runs past the end of its segment", name,
                 e->path, (unsigned long long)size);
        break;
    case SYM_OK:
    default:
        snprintf(msg, sizeof msg, "symbol '%s' in '%s' is %llu bytes, expected at least %llu", name, e->path,
                 (unsigned long long)size, (unsigned long long)need);
        break;
    }
    return sysfile ? err_at(sysfile, line, "%s", msg) : err_file(e->path, "%s", msg);
}

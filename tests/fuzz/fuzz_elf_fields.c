/*
 * libFuzzer target: forged fields in real ELF files. Byte mutation of a whole ELF rarely lands
 * on the few bytes that matter, so the input here is a role (the PD program of valid.system,
 * the VMM of guest.system, or the kernel) and a list of edits to one field each of the fixture
 * ELF for that role: a symbol's value, size, section or type, a program header's offset,
 * addresses and sizes, a section header's offset, size, link or entry size, or an ELF header
 * field. The forged file then goes through mksys_run like fuzz_elf's inputs.
 * Each edit: kind (u8: field), index (u8: which symbol/header), value (see value()).
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_bytes.h"
#include "mksys_driver.h"

struct fixture_elf {
    uint8_t *data;
    size_t size;
    size_t symtab, nsyms; /* file offset and count of .symtab's entries */
};

static struct fixture_elf elves[3];
static const char *const files[3] = { "pd.elf", "vmm.elf", "kernel.elf" };

static void load(unsigned i)
{
    FILE *f = fopen(fz_out(0, files[i]), "rb");
    if (!f || fseek(f, 0, SEEK_END)) {
        perror(files[i]);
        abort();
    }
    struct fixture_elf *e = &elves[i];
    e->size = (size_t)ftell(f);
    e->data = malloc(e->size);
    rewind(f);
    if (fread(e->data, 1, e->size, f) != e->size || e->size < sizeof(Elf64_Ehdr)) {
        fprintf(stderr, "fuzz: cannot read %s\n", files[i]);
        abort();
    }
    fclose(f);
    /* The fixtures are well formed: find .symtab through the section headers. */
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)e->data;
    for (unsigned s = 0; s < eh->e_shnum; s++) {
        const Elf64_Shdr *sh = (const Elf64_Shdr *)(e->data + eh->e_shoff + s * sizeof(Elf64_Shdr));
        if (sh->sh_type == SHT_SYMTAB) {
            e->symtab = sh->sh_offset;
            e->nsyms = sh->sh_size / sizeof(Elf64_Sym);
        }
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_selftest();
    for (unsigned i = 0; i < 3; i++)
        load(i);
    return 0;
}

/* Writes the low `width` bytes of v at off, if the field lies inside the file. */
static void put(uint8_t *p, size_t size, size_t off, unsigned width, uint64_t v)
{
    if (off > size || width > size - off)
        return;
    for (unsigned i = 0; i < width; i++)
        p[off + i] = (uint8_t)(v >> (8 * i));
}

static void edit(const struct fixture_elf *e, uint8_t *p, unsigned kind, unsigned index, uint64_t v)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)e->data;
    switch (kind % 4) {
    case 0: { /* symbol: value, size, section index, type/binding */
        static const struct {
            size_t off;
            unsigned width;
        } f[] = {
            { offsetof(Elf64_Sym, st_value), 8 }, { offsetof(Elf64_Sym, st_size), 8 },
            { offsetof(Elf64_Sym, st_shndx), 2 }, { offsetof(Elf64_Sym, st_info), 1 },
            { offsetof(Elf64_Sym, st_name), 4 },
        };
        unsigned k = kind / 4 % 5;
        if (e->nsyms)
            put(p, e->size, e->symtab + index % e->nsyms * sizeof(Elf64_Sym) + f[k].off, f[k].width, v);
        break;
    }
    case 1: { /* program header */
        static const size_t f[] = {
            offsetof(Elf64_Phdr, p_offset), offsetof(Elf64_Phdr, p_vaddr), offsetof(Elf64_Phdr, p_paddr),
            offsetof(Elf64_Phdr, p_filesz), offsetof(Elf64_Phdr, p_memsz), offsetof(Elf64_Phdr, p_align),
        };
        if (eh->e_phnum)
            put(p, e->size, eh->e_phoff + index % eh->e_phnum * sizeof(Elf64_Phdr) + f[kind / 4 % 6], 8, v);
        break;
    }
    case 2: { /* section header */
        static const struct {
            size_t off;
            unsigned width;
        } f[] = {
            { offsetof(Elf64_Shdr, sh_offset), 8 }, { offsetof(Elf64_Shdr, sh_size), 8 },
            { offsetof(Elf64_Shdr, sh_link), 4 },   { offsetof(Elf64_Shdr, sh_entsize), 8 },
            { offsetof(Elf64_Shdr, sh_type), 4 },   { offsetof(Elf64_Shdr, sh_addr), 8 },
        };
        unsigned k = kind / 4 % 6;
        if (eh->e_shnum)
            put(p, e->size, eh->e_shoff + index % eh->e_shnum * sizeof(Elf64_Shdr) + f[k].off, f[k].width, v);
        break;
    }
    default: { /* ELF header */
        static const struct {
            size_t off;
            unsigned width;
        } f[] = {
            { offsetof(Elf64_Ehdr, e_entry), 8 }, { offsetof(Elf64_Ehdr, e_phoff), 8 },
            { offsetof(Elf64_Ehdr, e_shoff), 8 }, { offsetof(Elf64_Ehdr, e_phnum), 2 },
            { offsetof(Elf64_Ehdr, e_shnum), 2 }, { offsetof(Elf64_Ehdr, e_shstrndx), 2 },
            { offsetof(Elf64_Ehdr, e_type), 2 },
        };
        unsigned k = kind / 4 % 7;
        put(p, e->size, f[k].off, f[k].width, v);
        break;
    }
    }
}

/* Values that break range checks are rare among random u64s: small ones, ones just below 2^64
 * (which wrap a sum), and powers of two are drawn as often as raw ones. */
static uint64_t value(struct fuzz_bytes *b)
{
    switch (fb_u8(b) % 4) {
    case 0: return fb_u16(b);
    case 1: return fb_u64(b);
    case 2: return ~(uint64_t)fb_u16(b);
    default: return 1ull << (fb_u8(b) % 64);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_bytes b = { data, size };
    unsigned role = fb_u8(&b) % 3;
    const struct fixture_elf *e = &elves[role];
    uint8_t *p = malloc(e->size);
    memcpy(p, e->data, e->size);
    for (unsigned n = 0; b.left && n < 16; n++) {
        unsigned kind = fb_u8(&b), index = fb_u8(&b);
        uint64_t v = value(&b);
        edit(e, p, kind, index, v);
    }
    const char *path = fz_write(0, files[role], p, e->size);
    free(p);
    if (role == 2)
        fz_mksys(&(struct fz_run){ .kernel = path, .system = fz_src(1, "valid.system") });
    else
        fz_mksys(&(struct fz_run){ .system = fz_src(1, role ? "guest.system" : "valid.system") });
    fz_remove(files[role]);
    return 0;
}

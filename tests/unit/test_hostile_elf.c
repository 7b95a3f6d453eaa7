/* Forged PD and kernel ELFs (issue 6, classes 2 and 7): copies of the fixture ELFs with one
 * symbol or program header field changed. Every range check must hold against values chosen
 * to wrap an offset + size sum; each case gives one error naming the ELF, never a crash or a
 * write outside the image. */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness.h"
#include "mksys.h"

#define OUT_IMG TEST_OUT "/out/hostile_elf.img"

struct elf_copy {
    char path[256];
    uint8_t *data;
    size_t len;
};

static void copy_elf(struct elf_copy *c, const char *from, const char *name)
{
    snprintf(c->path, sizeof c->path, "%s/h_%s.elf", TEST_OUT, name);
    c->data = (uint8_t *)read_whole(from, &c->len);
    assert_non_null(c->data);
    assert_true(c->len >= sizeof(Elf64_Ehdr));
}

static void save_elf(struct elf_copy *c)
{
    FILE *f = fopen(c->path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(c->data, 1, c->len, f), c->len);
    fclose(f);
    free(c->data);
}

static Elf64_Ehdr *ehdr(struct elf_copy *c)
{
    return (Elf64_Ehdr *)c->data;
}

static Elf64_Shdr *shdr(struct elf_copy *c, size_t i)
{
    return (Elf64_Shdr *)(c->data + ehdr(c)->e_shoff + i * sizeof(Elf64_Shdr));
}

/* The symbol called name in .symtab (the fixture is our own, so it is well formed). */
static Elf64_Sym *symbol(struct elf_copy *c, const char *name)
{
    for (size_t i = 0; i < ehdr(c)->e_shnum; i++) {
        Elf64_Shdr *sh = shdr(c, i);
        if (sh->sh_type != SHT_SYMTAB)
            continue;
        const char *strtab = (const char *)c->data + shdr(c, sh->sh_link)->sh_offset;
        Elf64_Sym *syms = (Elf64_Sym *)(c->data + sh->sh_offset);
        for (size_t k = 0; k < sh->sh_size / sizeof *syms; k++)
            if (!strcmp(strtab + syms[k].st_name, name))
                return &syms[k];
    }
    fail_msg("no symbol %s", name);
    return NULL;
}

static Elf64_Phdr *first_load(struct elf_copy *c)
{
    Elf64_Phdr *ph = (Elf64_Phdr *)(c->data + ehdr(c)->e_phoff);
    for (size_t i = 0; i < ehdr(c)->e_phnum; i++)
        if (ph[i].p_type == PT_LOAD)
            return &ph[i];
    fail_msg("no PT_LOAD");
    return NULL;
}

/* A PD running h_<name>.elf with a setvar on `sym` (line 6) and the program on line 5. */
static const char *pd_system(const char *name, const char *sym)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/h_elf_%s.system", TEST_OUT, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<system>\n"
            "    <memory_region name=\"buf\" size=\"0x1000\" />\n"
            "    <protection_domain name=\"a\" priority=\"10\">\n"
            "        <program_image path=\"h_%s.elf\" />\n"
            "        <setvar symbol=\"%s\" region_paddr=\"buf\" />\n"
            "    </protection_domain>\n</system>\n",
            name, sym);
    fclose(f);
    return path;
}

static void expect(const char *system, const char *kernel, const char *want)
{
    struct run_result r;
    run_mksys(system, NULL, kernel, OUT_IMG, NULL, &r);
    assert_int_equal(r.rc, -1);
    assert_int_equal(r.nerrors, 1);
    assert_string_equal(r.error, want);
    assert_int_equal(access(OUT_IMG, F_OK), -1);
}

/* microkit_name is cleared over its st_size: a size that wraps off + size used to pass the
 * bounds check and memset far past the image. */
static void name_size_wraps(void **state)
{
    (void)state;
    struct elf_copy c = { 0 };
    copy_elf(&c, TEST_OUT "/pd.elf", "name_size");
    symbol(&c, "microkit_name")->st_size = UINT64_MAX;
    save_elf(&c);
    const char *sys = pd_system("name_size", "shared_paddr");
    char want[1024];
    snprintf(
        want, sizeof want,
        "%s:5: error: symbol 'microkit_name' in '%s' is malformed: its size 18446744073709551615 runs past "
        "the end of its segment",
        sys, c.path);
    expect(sys, NULL, want);
}

static void setvar_size_wraps(void **state)
{
    (void)state;
    struct elf_copy c = { 0 };
    copy_elf(&c, TEST_OUT "/pd.elf", "setvar_size");
    symbol(&c, "shared_paddr")->st_size = 0 - (uint64_t)8;
    save_elf(&c);
    const char *sys = pd_system("setvar_size", "shared_paddr");
    char want[1024];
    snprintf(
        want, sizeof want,
        "%s:6: error: symbol 'shared_paddr' in '%s' is malformed: its size 18446744073709551608 runs past "
        "the end of its segment",
        sys, c.path);
    expect(sys, NULL, want);
}

static void setvar_value_near_top(void **state)
{
    (void)state;
    struct elf_copy c = { 0 };
    copy_elf(&c, TEST_OUT "/pd.elf", "setvar_value");
    symbol(&c, "shared_paddr")->st_value = 0 - (uint64_t)4;
    save_elf(&c);
    const char *sys = pd_system("setvar_value", "shared_paddr");
    char want[1024];
    snprintf(want, sizeof want, "%s:6: error: symbol 'shared_paddr' in '%s' is not inside a loadable segment",
             sys, c.path);
    expect(sys, NULL, want);
}

/* Too small comes before "in .bss": initialising a 4-byte variable would not make it fit. */
static void small_symbol_is_too_small(void **state)
{
    (void)state;
    struct elf_copy c = { 0 };
    copy_elf(&c, TEST_OUT "/pd.elf", "small");
    symbol(&c, "in_bss")->st_size = 4;
    save_elf(&c);
    const char *sys = pd_system("small", "in_bss");
    char want[1024];
    snprintf(want, sizeof want, "%s:6: error: symbol 'in_bss' in '%s' is 4 bytes, expected at least 8", sys,
             c.path);
    expect(sys, NULL, want);
}

/* One program-header field of the first PT_LOAD forged. */
static void forged_segment(const char *name, size_t field_off, uint64_t value)
{
    struct elf_copy c = { 0 };
    copy_elf(&c, TEST_OUT "/pd.elf", name);
    memcpy((uint8_t *)first_load(&c) + field_off, &value, sizeof value);
    save_elf(&c);
    const char *sys = pd_system(name, "shared_paddr");
    char want[1024];
    snprintf(want, sizeof want, "%s: error: segment %zu is malformed (sizes or offsets out of range)", c.path,
             (size_t)0);
    expect(sys, NULL, want);
}

static void segment_offset_wraps(void **state)
{
    (void)state;
    forged_segment("p_offset", offsetof(Elf64_Phdr, p_offset), 0 - (uint64_t)0x10);
}

static void segment_filesz_past_file(void **state)
{
    (void)state;
    forged_segment("p_filesz", offsetof(Elf64_Phdr, p_filesz), 0 - (uint64_t)0x10);
}

static void segment_memsz_huge(void **state)
{
    (void)state;
    forged_segment("p_memsz", offsetof(Elf64_Phdr, p_memsz), UINT64_MAX);
}

static void segment_vaddr_near_top(void **state)
{
    (void)state;
    forged_segment("p_vaddr", offsetof(Elf64_Phdr, p_vaddr), 0 - (uint64_t)0x1000);
}

/* The symbol table's own offset past the end of the file. */
static void symtab_offset_past_file(void **state)
{
    (void)state;
    struct elf_copy c = { 0 };
    copy_elf(&c, TEST_OUT "/pd.elf", "symtab_off");
    for (size_t i = 0; i < ehdr(&c)->e_shnum; i++)
        if (shdr(&c, i)->sh_type == SHT_SYMTAB)
            shdr(&c, i)->sh_offset = 0 - (uint64_t)0x100;
    save_elf(&c);
    const char *sys = pd_system("symtab_off", "shared_paddr");
    char want[1024];
    snprintf(want, sizeof want, "%s: error: cannot read its symbol table: invalid section header", c.path);
    expect(sys, NULL, want);
}

static void section_headers_past_file(void **state)
{
    (void)state;
    struct elf_copy c = { 0 };
    copy_elf(&c, TEST_OUT "/pd.elf", "shoff");
    unsigned nsec = ehdr(&c)->e_shnum;
    ehdr(&c)->e_shoff = 0 - (uint64_t)0x40;
    save_elf(&c);
    const char *sys = pd_system("shoff", "shared_paddr");
    char want[1024];
    snprintf(want, sizeof want,
             "%s: error: section header table (offset 0xffffffffffffffc0, %u entries) lies outside the file",
             c.path, nsec);
    expect(sys, NULL, want);
}

static void kernel_symbol_size_wraps(void **state)
{
    (void)state;
    struct elf_copy c = { 0 };
    copy_elf(&c, TEST_OUT "/kernel.elf", "kernel_sym");
    symbol(&c, "boot_sysimg_pa")->st_size = UINT64_MAX;
    save_elf(&c);
    char want[1024];
    snprintf(want, sizeof want,
             "%s: error: symbol 'boot_sysimg_pa' in '%s' is malformed: its size 18446744073709551615 runs "
             "past the "
             "end of its segment",
             c.path, c.path);
    expect(FIXTURES "/valid.system", c.path, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(name_size_wraps),          cmocka_unit_test(setvar_size_wraps),
        cmocka_unit_test(setvar_value_near_top),    cmocka_unit_test(small_symbol_is_too_small),
        cmocka_unit_test(segment_offset_wraps),     cmocka_unit_test(segment_filesz_past_file),
        cmocka_unit_test(segment_memsz_huge),       cmocka_unit_test(segment_vaddr_near_top),
        cmocka_unit_test(symtab_offset_past_file),  cmocka_unit_test(section_headers_past_file),
        cmocka_unit_test(kernel_symbol_size_wraps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

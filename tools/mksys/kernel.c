/* The kernel ELF: where it loads, that it is an arm64 Image, and where boot_sysimg_pa is. */
#include <string.h>

#include "../../vmm/include/arm64_image.h"
#include "diag.h"
#include "layout.h"

/* QEMU and U-Boot place an Image at RAM base + text_offset (RAM base + 2 MiB when text_offset
 * is below 4 KiB); an image linked elsewhere would run at the wrong address. The header is read
 * by the project's one Image parser (vmm/src/arm64_image.c), as guest kernels are. */
static int check_image_header(const struct kernel_info *k, const struct board *b)
{
    const struct elf_seg *first = NULL;
    for (size_t i = 0; i < k->elf->nsegs; i++)
        if (k->elf->segs[i].paddr == k->load)
            first = &k->elf->segs[i];
    struct arm64_image_header h;
    enum arm64_image_status st =
        first ? arm64_image_parse(first->data, first->filesz, &h) : ARM64_IMAGE_TOO_SMALL;
    if (st == ARM64_IMAGE_BIG_ENDIAN)
        return err_file(k->elf->path,
                        "its arm64 Image header says big-endian (flags bit 0); the kernel is little-endian");
    if (st != ARM64_IMAGE_OK)
        return err_file(k->elf->path,
                        "does not start with an arm64 Image header (no \"ARM\\x64\" magic at 0x38)");
    uint64_t expect = b->ram_base + (h.text_offset < 0x1000 ? PAGE_2M : h.text_offset);
    if (k->load != expect)
        return err_file(k->elf->path,
                        "load address 0x%llx does not match its Image header: text_offset 0x%llx means it is "
                        "loaded at 0x%llx",
                        (unsigned long long)k->load, (unsigned long long)h.text_offset,
                        (unsigned long long)expect);
    return 0;
}

int kernel_load(const char *path, const struct board *b, struct kernel_info *k)
{
    memset(k, 0, sizeof *k);
    if (elfimg_open(path, &k->elf))
        return -1;
    k->load = UINT64_MAX;
    for (size_t i = 0; i < k->elf->nsegs; i++) {
        const struct elf_seg *s = &k->elf->segs[i];
        if (s->paddr < k->load)
            k->load = s->paddr;
        if (s->paddr + s->memsz > k->end)
            k->end = s->paddr + s->memsz;
    }
    uint64_t ram_end = b->ram_base + b->ram_size;
    if (k->load < b->ram_base || k->load >= ram_end)
        return err_file(path, "load address 0x%llx is outside RAM 0x%llx-0x%llx", (unsigned long long)k->load,
                        (unsigned long long)b->ram_base, (unsigned long long)ram_end);
    if (k->load % PAGE_4K)
        return err_file(path, "load address 0x%llx is not 4 KiB aligned", (unsigned long long)k->load);
    if (check_image_header(k, b))
        return -1;
    uint64_t vaddr, size;
    size_t seg;
    enum sym_where w = elfimg_symbol(k->elf, "boot_sysimg_pa", &vaddr, &size, &seg);
    if (w != SYM_OK || size < 8)
        return elfimg_symbol_error(k->elf, NULL, 0, "boot_sysimg_pa", w, size, 8);
    if (size != 8)
        return err_file(path, "symbol 'boot_sysimg_pa' is %llu bytes; it must be a uint64_t (8 bytes)",
                        (unsigned long long)size);
    k->sysimg_ptr_pa = k->elf->segs[seg].paddr + (vaddr - k->elf->segs[seg].vaddr);
    return 0;
}

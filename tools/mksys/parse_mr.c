/* <memory_region>. */
#include "names.h"
#include "parse.h"

int parse_mr(struct ctx *c, xmlNodePtr n)
{
    static const char *const attrs[] = { "name", "size", "phys_addr", "page_size", NULL };
    struct sd_mr *mr = VEC_PUSH(c->sys->mrs);
    mr->line = xa_line(n);
    mr->page_size = PAGE_4K;
    if (xa_allowed(c->file, n, attrs) || xa_str(c->file, n, "name", true, &mr->name) ||
        xa_u64(c->file, n, "size", true, &mr->size) ||
        xa_u64(c->file, n, "page_size", false, &mr->page_size) ||
        xa_u64(c->file, n, "phys_addr", false, &mr->phys_addr) || for_children(c, n, NULL, NULL) ||
        name_check(c->file, mr->line, "memory region", mr->name, MR_NAME_MAX))
        return -1;
    mr->fixed = xa_has(n, "phys_addr");
    if (mr->page_size != PAGE_4K && mr->page_size != PAGE_2M)
        return err_at(c->file, mr->line,
                      "memory region '%s': page_size 0x%llx is not supported (use 0x1000 or 0x200000)",
                      mr->name, (unsigned long long)mr->page_size);
    if (mr->size == 0 || mr->size % mr->page_size)
        return err_at(c->file, mr->line,
                      "memory region '%s': size 0x%llx is not a non-zero multiple of its page size 0x%llx",
                      mr->name, (unsigned long long)mr->size, (unsigned long long)mr->page_size);
    if (mr->fixed && mr->phys_addr % mr->page_size)
        return err_at(c->file, mr->line,
                      "memory region '%s': phys_addr 0x%llx is not aligned to its page size 0x%llx", mr->name,
                      (unsigned long long)mr->phys_addr, (unsigned long long)mr->page_size);
    if (mr->size > ADDR_LIMIT || mr->phys_addr > ADDR_LIMIT - mr->size)
        return err_at(c->file, mr->line, "memory region '%s' extends past the 48-bit physical address space",
                      mr->name);
    mr->pa = mr->phys_addr;
    return 0;
}

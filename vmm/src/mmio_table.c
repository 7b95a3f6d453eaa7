/* Registering emulated MMIO ranges (mmio_table.h): the checks that keep lookups unambiguous. */
#include "mmio_table.h"
#include "range.h"
#include "vmm.h"
#include "vmm_log.h"

typedef unsigned long long ull;

int vmm_mmio_register(struct vmm *vm, uint64_t base, uint64_t size, vmm_mmio_fn fn, void *ctx,
                      const char *name)
{
    struct vmm_mmio_table *t = &vm->mmio;
    const char *what = name != NULL ? name : "?";
    if (fn == NULL || size == 0) {
        vmm_log(vm, "MMIO range '%s' at 0x%llx of 0x%llx bytes: %s: not registered", what, (ull)base,
                (ull)size, fn == NULL ? "no handler" : "empty");
        return -1;
    }
    if (range_wraps(base, size)) {
        vmm_log(vm,
                "MMIO range '%s' at 0x%llx of 0x%llx bytes runs past the end of the address space: not "
                "registered",
                what, (ull)base, (ull)size);
        return -1;
    }
    /* From here on base + size fits, as it does for every range in the table. */
    for (unsigned i = 0; i < t->num; i++) {
        const struct vmm_mmio_range *r = &t->range[i];
        if (range_overlaps(base, size, r->base, r->size)) {
            vmm_log(vm, "MMIO range '%s' 0x%llx-0x%llx overlaps '%s' 0x%llx-0x%llx: not registered", what,
                    (ull)base, (ull)(base + size), r->name, (ull)r->base, (ull)(r->base + r->size));
            return -1;
        }
    }
    if (t->num == VMM_MAX_MMIO_RANGES) {
        vmm_log(vm, "MMIO range '%s' 0x%llx-0x%llx: the table is full (%u ranges): not registered", what,
                (ull)base, (ull)(base + size), VMM_MAX_MMIO_RANGES);
        return -1;
    }
    t->range[t->num++] = (struct vmm_mmio_range){ base, size, fn, ctx, what };
    return 0;
}

/*
 * The guest-physical ranges the VMM emulates: where a stage-2 data abort that the VMM can
 * decode goes. Each device (the vGIC's distributor and redistributors, each virtIO device)
 * registers its ranges once, at init; an address in none of them is a foreign access
 * (docs/vmm.md). The table is scanned in registration order, so the busiest device registers
 * first (the vGIC does, in vmm_init).
 */
#ifndef VMM_MMIO_TABLE_H
#define VMM_MMIO_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for the vGIC's two ranges and a window for every virtIO device of vmm_config. */
#define VMM_MAX_MMIO_RANGES 16u

/*
 * One trapped load or store at `offset` from the range's base, by vCPU index `vcpu`; `size` is
 * 1, 2, 4 or 8 bytes. A write passes the stored bytes in *value (zero-extended); a read puts
 * the loaded bytes there (it starts as 0; the VMM extends them as the instruction says).
 * Returns false when the device cannot satisfy the access: the guest then gets what a
 * foreign access gets (an abort, or stopped), with one line naming the device.
 */
typedef bool (*vmm_mmio_fn)(void *ctx, unsigned vcpu, uint64_t offset, unsigned size, bool write,
                            uint64_t *value);

struct vmm_mmio_range {
    uint64_t base;
    uint64_t size;
    vmm_mmio_fn fn;
    void *ctx;
    const char *name; /* for messages: "GICD", "virtio-console 0", ... (kept, not copied) */
};

struct vmm_mmio_table {
    unsigned num;
    struct vmm_mmio_range range[VMM_MAX_MMIO_RANGES];
};

struct vmm;

/*
 * Adds [base, base + size) to the guest's table. Fails (-1, after a line naming the guest and
 * the ranges) if the range is empty or runs past 2^64, overlaps one already registered, the
 * table is full, or fn is NULL. Call it after vmm_init and before vmm_boot.
 */
int vmm_mmio_register(struct vmm *vm, uint64_t base, uint64_t size, vmm_mmio_fn fn, void *ctx,
                      const char *name);

/* The range holding ipa, or NULL. Every emulated access comes here: kept to a compare per
 * range (ranges never overlap, so the first hit is the only one). */
static inline const struct vmm_mmio_range *vmm_mmio_find(const struct vmm_mmio_table *t, uint64_t ipa)
{
    for (unsigned i = 0; i < t->num; i++)
        if (ipa - t->range[i].base < t->range[i].size)
            return &t->range[i];
    return NULL;
}

#endif

/*
 * libFuzzer target: the vGIC as a guest drives it. The input picks 1..8 vCPUs, then a sequence
 * of events: distributor and redistributor MMIO (any offset, width and value), devices raising
 * INTIDs (in range or not), the guest completing list registers, ICC_SGI1R_EL1 writes, and the
 * kernel refusing a list register. A fake list-register port checks what the vGIC asks of the
 * kernel: valid vCPU, LR and INTID, no INTID in two LRs at once, EOIs matching what the LR held.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_bytes.h"
#include "vgic.h"

#define GICD       0x08000000ull
#define GICR       0x080a0000ull
#define LR_FOREIGN 0x40000000u /* held by something the vGIC did not put there */

static struct vgic g;
static uint32_t hw_lr[VGIC_MAX_VCPUS][VGIC_NUM_LRS]; /* 0 free, else intid | 0x80000000 */
static struct {
    unsigned vcpu;
    uint32_t intid;
    int calls;
    bool in_maintenance;
} eoi;

#define CHECK(cond, ...)                                                                                     \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            fprintf(stderr, "fuzz_vgic: " __VA_ARGS__);                                                      \
            fprintf(stderr, " (%s)\n", #cond);                                                               \
            abort();                                                                                         \
        }                                                                                                    \
    } while (0)

int vgic_port_write_lr(unsigned vcpu, unsigned lr, uint32_t intid, uint8_t priority)
{
    CHECK(vcpu < g.num_vcpus && lr < VGIC_NUM_LRS, "LR %u of vCPU %u written", lr, vcpu);
    CHECK(intid < VGIC_NUM_IRQS, "INTID %u written into an LR", intid);
    CHECK((priority & 7u) == 0, "priority 0x%x has unimplemented bits", priority);
    if (hw_lr[vcpu][lr])
        return -1; /* busy, as the kernel says */
    for (unsigned v = 0; v < g.num_vcpus; v++)
        for (unsigned l = 0; l < VGIC_NUM_LRS; l++)
            CHECK(!((v == vcpu || intid >= 32) && hw_lr[v][l] == (intid | 0x80000000u)),
                  "INTID %u put in LR %u of vCPU %u while in LR %u of vCPU %u", intid, lr, vcpu, l, v);
    hw_lr[vcpu][lr] = intid | 0x80000000u;
    return 0;
}

/* The callback also reports INTIDs the guest dropped some other way (cleared pending state);
 * within a maintenance exit it must report what the completed LR held, once. */
static void on_eoi(void *ctx, unsigned vcpu, uint32_t intid)
{
    CHECK(ctx == &g, "EOI callback context");
    CHECK(vcpu < g.num_vcpus && intid < VGIC_NUM_IRQS, "EOI callback for INTID %u on vCPU %u", intid, vcpu);
    if (!eoi.in_maintenance)
        return;
    CHECK(eoi.calls++ == 0, "two EOI callbacks for one maintenance");
    CHECK(vcpu == eoi.vcpu && intid == eoi.intid, "EOI of INTID %u on vCPU %u, but the LR held %u on %u",
          intid, vcpu, eoi.intid, eoi.vcpu);
}

static void mmio(struct fuzz_bytes *b, unsigned op, unsigned nv)
{
    unsigned vcpu = fb_u8(b) % nv;
    unsigned sel = fb_u8(b);
    uint64_t ipa;
    switch (sel % 4) {
    case 0: ipa = GICD + fb_u16(b); break;
    case 1: ipa = GICR + (uint64_t)(sel / 4 % nv) * VGIC_GICR_STRIDE + fb_u16(b); break;
    case 2: ipa = GICR + (uint64_t)(sel / 4 % nv) * VGIC_GICR_STRIDE + 0x10000 + fb_u16(b); break;
    default: ipa = fb_u64(b); break; /* anywhere */
    }
    bool write = op & 8;
    unsigned size = 1u << (op >> 4 & 3);
    uint64_t value = write ? fb_u64(b) : 0x5a5a5a5a5a5a5a5aull;
    bool ours = (ipa >= GICD && ipa - GICD < VGIC_GICD_SIZE) ||
                (ipa >= GICR && ipa - GICR < (uint64_t)nv * VGIC_GICR_STRIDE);
    bool claimed = vgic_mmio(&g, vcpu, ipa, write, size, &value);
    CHECK(claimed == ours, "IPA 0x%llx %s by the vGIC", (unsigned long long)ipa,
          claimed ? "claimed" : "not claimed");
    if (claimed && !write && size < 8)
        CHECK(value >> (8 * size) == 0, "%u-byte read of IPA 0x%llx returned 0x%llx", size,
              (unsigned long long)ipa, (unsigned long long)value);
}

/* The guest completes LR lr of vcpu: the kernel frees it, then tells the VMM. */
static void guest_eoi(unsigned vcpu, unsigned lr, bool spurious)
{
    uint32_t held = hw_lr[vcpu][lr];
    if (!held && !spurious)
        return;
    hw_lr[vcpu][lr] = 0;
    eoi.vcpu = vcpu;
    eoi.intid = held & 0x3fffffffu;
    eoi.calls = 0;
    eoi.in_maintenance = true;
    vgic_maintenance(&g, vcpu, lr);
    eoi.in_maintenance = false;
    if (held & LR_FOREIGN || !held)
        CHECK(eoi.calls == 0, "EOI callback for LR %u of vCPU %u, which the vGIC never filled", lr, vcpu);
    else
        CHECK(eoi.calls == 1, "no EOI callback for INTID %u completed on vCPU %u", eoi.intid, vcpu);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_bytes b = { data, size };
    unsigned nv = 1 + fb_u8(&b) % VGIC_MAX_VCPUS;
    memset(hw_lr, 0, sizeof hw_lr);
    memset(&g, 0xa5, sizeof g); /* vgic_init must set everything */
    vgic_init(&g, GICD, GICR, nv);
    vgic_set_eoi_callback(&g, on_eoi, &g);
    for (unsigned steps = 0; b.left && steps < 4096; steps++) {
        unsigned op = fb_u8(&b);
        switch (op & 7) {
        case 0:
        case 1:
        case 2:
        case 3: mmio(&b, op, nv); break;
        case 4: {
            unsigned vcpu = fb_u8(&b) % (nv + 1); /* sometimes one too many */
            vgic_raise(&g, vcpu, fb_u16(&b) % (VGIC_NUM_IRQS + 32));
            break;
        }
        case 5: {
            unsigned x = fb_u8(&b);
            guest_eoi(x % nv, x / 16 % VGIC_NUM_LRS, op & 8);
            break;
        }
        case 6: {
            unsigned vcpu = fb_u8(&b) % nv;
            vgic_sgi1r_write(&g, vcpu, fb_u64(&b));
            break;
        }
        default: { /* the kernel holds an LR the vGIC believes free */
            unsigned x = fb_u8(&b);
            if (!hw_lr[x % nv][x / 16 % VGIC_NUM_LRS])
                hw_lr[x % nv][x / 16 % VGIC_NUM_LRS] = LR_FOREIGN | 0x80000000u;
            break;
        }
        }
    }
    return 0;
}

/*
 * libFuzzer target: the vGIC as a guest drives it. The input picks 1..8 vCPUs, then a sequence
 * of events: distributor and redistributor MMIO (any offset, width and value), devices raising
 * INTIDs (in range or not), the guest completing list registers, ICC_SGI1R_EL1 writes, the
 * kernel refusing a list register, vCPUs stopped and started. A fake list-register port checks
 * what the vGIC asks of the kernel: valid vCPU, LR and INTID, no INTID in two LRs at once, no
 * LR of a stopped vCPU, EOIs matching what the LR held. At the end a well-behaved guest takes
 * over (everything enabled, group 1, inactive, routed to vCPU 0, every LR completed): then
 * every SPI raised must have been reported to the EOI callback, or its physical IRQ would stay
 * unacked forever.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_bytes.h"
#include "vgic.h"

#define GICD       0x08000000ull
#define GICR       0x080a0000ull
#define LR_FOREIGN 0x40000000u /* held by something the vGIC did not put there */
#define LR_QUIET   0x20000000u /* placed without the EOI bit: completes silently */
#define LR_AGAIN   0x10000000u /* a quiet one made pending again in place */
#define LR_INTID   0x0fffffffu

static struct vgic g;
static uint32_t hw_lr[VGIC_MAX_VCPUS][VGIC_NUM_LRS]; /* 0 free, else intid | 0x80000000 */
static bool off[VGIC_MAX_VCPUS];                     /* stopped (vgic_vcpu_power) */
static bool quiet_ignored; /* this run's host ignores the quiet flag (another core's vCPU) */
static uint32_t unacked[VGIC_NUM_IRQS / 32]; /* SPIs raised, not yet reported done */
static struct {
    unsigned vcpu;
    uint32_t intid;
    int calls;
    bool in_maintenance;
} eoi;

/* FUZZ_TRACE=1 in the environment prints each event, for replaying a finding. */
static bool trace;
#define TRACE(...)                                                                                           \
    do {                                                                                                     \
        if (trace)                                                                                           \
            fprintf(stderr, __VA_ARGS__);                                                                    \
    } while (0)

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
    CHECK(!off[vcpu], "LR %u of vCPU %u written while it is stopped", lr, vcpu);
    if (hw_lr[vcpu][lr])
        return -1; /* busy, as the kernel says */
    for (unsigned v = 0; v < g.num_vcpus; v++)
        for (unsigned l = 0; l < VGIC_NUM_LRS; l++)
            CHECK(!((v == vcpu || intid >= 32) &&
                    (hw_lr[v][l] & (LR_INTID | LR_FOREIGN | 0x80000000u)) == (intid | 0x80000000u)),
                  "INTID %u put in LR %u of vCPU %u while in LR %u of vCPU %u", intid, lr, vcpu, l, v);
    hw_lr[vcpu][lr] = intid | 0x80000000u;
    TRACE("  LR %u of vCPU %u <- INTID %u\n", lr, vcpu, intid);
    return 0;
}

int vgic_port_write_lr_quiet(unsigned vcpu, unsigned lr, uint32_t intid, uint8_t priority)
{
    if (quiet_ignored)
        return vgic_port_write_lr(vcpu, lr, intid, priority);
    CHECK(vcpu < g.num_vcpus && lr < VGIC_NUM_LRS, "LR %u of vCPU %u written quietly", lr, vcpu);
    CHECK(intid >= 32 && intid < VGIC_NUM_IRQS, "INTID %u written quietly", intid);
    CHECK(!off[vcpu], "LR %u of vCPU %u written while it is stopped", lr, vcpu);
    uint32_t held = hw_lr[vcpu][lr];
    if (held) {
        if (!(held & LR_QUIET) || (held & LR_INTID) != intid)
            return -1;
        hw_lr[vcpu][lr] = held | LR_AGAIN;
        TRACE("  LR %u of vCPU %u: INTID %u pending again\n", lr, vcpu, intid);
        return 1;
    }
    for (unsigned v = 0; v < g.num_vcpus; v++)
        for (unsigned l = 0; l < VGIC_NUM_LRS; l++)
            CHECK((hw_lr[v][l] & (LR_INTID | LR_FOREIGN | 0x80000000u)) != (intid | 0x80000000u),
                  "INTID %u put quietly in LR %u of vCPU %u while in LR %u of vCPU %u", intid, lr, vcpu, l,
                  v);
    hw_lr[vcpu][lr] = intid | 0x80000000u | LR_QUIET;
    TRACE("  LR %u of vCPU %u <- INTID %u quietly\n", lr, vcpu, intid);
    return 1;
}

uint32_t vgic_port_lr_busy(unsigned vcpu)
{
    CHECK(vcpu < g.num_vcpus, "busy registers of vCPU %u asked", vcpu);
    uint32_t busy = 0;
    for (unsigned lr = 0; lr < VGIC_NUM_LRS; lr++)
        if (hw_lr[vcpu][lr])
            busy |= 1u << lr;
    return busy;
}

/* The callback also reports INTIDs the guest dropped some other way (cleared pending state);
 * within a maintenance exit it must report what the completed LR held, once. */
static void on_eoi(void *ctx, unsigned vcpu, uint32_t intid)
{
    CHECK(ctx == &g, "EOI callback context");
    CHECK(vcpu < g.num_vcpus && intid < VGIC_NUM_IRQS, "EOI callback for INTID %u on vCPU %u", intid, vcpu);
    unacked[intid / 32] &= ~(1u << (intid % 32));
    TRACE("  EOI callback: INTID %u vCPU %u\n", intid, vcpu);
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
    TRACE("%s vCPU %u 0x%llx size %u value 0x%llx\n", write ? "write" : "read", vcpu, (unsigned long long)ipa,
          size, (unsigned long long)value);
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
    if (held & LR_QUIET) {
        /* no maintenance: pending again stays in the register, else it is free */
        hw_lr[vcpu][lr] = held & LR_AGAIN ? held & ~LR_AGAIN : 0;
        unacked[(held & LR_INTID) / 32] &= ~(1u << (held % 32));
        TRACE("guest EOI: LR %u of vCPU %u (quiet 0x%x)\n", lr, vcpu, held);
        return;
    }
    hw_lr[vcpu][lr] = 0;
    TRACE("guest EOI: LR %u of vCPU %u (held 0x%x)\n", lr, vcpu, held);
    eoi.vcpu = vcpu;
    eoi.intid = held & LR_INTID;
    eoi.calls = 0;
    eoi.in_maintenance = true;
    vgic_maintenance(&g, vcpu, lr);
    eoi.in_maintenance = false;
    if (held & LR_FOREIGN || !held)
        CHECK(eoi.calls == 0, "EOI callback for LR %u of vCPU %u, which the vGIC never filled", lr, vcpu);
    else
        CHECK(eoi.calls == 1, "no EOI callback for INTID %u completed on vCPU %u", eoi.intid, vcpu);
}

static void dev_raise(unsigned vcpu, uint32_t intid)
{
    if (vcpu < g.num_vcpus && intid >= 32 && intid < VGIC_NUM_IRQS)
        unacked[intid / 32] |= 1u << (intid % 32);
    TRACE("raise INTID %u vCPU %u\n", intid, vcpu);
    vgic_raise(&g, vcpu, intid);
}

static void power(unsigned vcpu, bool on)
{
    /* Stopped or (re)started, the host clears the vCPU's LRs; no maintenance reports them. */
    memset(hw_lr[vcpu], 0, sizeof hw_lr[vcpu]);
    off[vcpu] = !on;
    TRACE("vCPU %u %s\n", vcpu, on ? "started" : "stopped");
    vgic_vcpu_power(&g, vcpu, on);
}

static void wr(uint64_t ipa, unsigned size, uint64_t v)
{
    CHECK(vgic_mmio(&g, 0, ipa, true, size, &v), "write of 0x%llx refused", (unsigned long long)ipa);
}

/* A guest that wants every SPI, and completes whatever it is given. */
static void take_over(void)
{
    for (unsigned v = 0; v < g.num_vcpus; v++)
        if (off[v])
            power(v, true);
    wr(GICD, 4, 0x13); /* ARE, EnableGrp1, EnableGrp0 */
    for (unsigned n = 1; n < VGIC_NUM_IRQS / 32; n++) {
        wr(GICD + 0x0080 + 4 * n, 4, ~0u); /* IGROUPR: group 1 */
        wr(GICD + 0x0380 + 4 * n, 4, ~0u); /* ICACTIVER */
        wr(GICD + 0x0100 + 4 * n, 4, ~0u); /* ISENABLER */
    }
    for (unsigned i = 32; i < VGIC_NUM_IRQS; i++)
        wr(GICD + 0x6000 + 8 * i, 8, 0); /* IROUTER: vCPU 0 */
    bool busy = true;
    for (unsigned round = 0; busy && round < 4 * VGIC_NUM_IRQS; round++) {
        busy = false;
        for (unsigned v = 0; v < g.num_vcpus; v++)
            for (unsigned lr = 0; lr < VGIC_NUM_LRS; lr++)
                if (hw_lr[v][lr]) {
                    guest_eoi(v, lr, false);
                    busy = true;
                }
    }
    for (unsigned n = 1; n < VGIC_NUM_IRQS / 32; n++)
        CHECK(unacked[n] == 0,
              "SPIs 0x%08x of bank %u were raised but never completed or reported to the "
              "EOI callback",
              unacked[n], n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_bytes b = { data, size };
    trace = getenv("FUZZ_TRACE") != NULL;
    unsigned first = fb_u8(&b);
    unsigned nv = 1 + first % VGIC_MAX_VCPUS;
    memset(hw_lr, 0, sizeof hw_lr);
    memset(off, 0, sizeof off);
    memset(unacked, 0, sizeof unacked);
    memset(&g, 0xa5, sizeof g);         /* vgic_init must set everything... */
    memset(g.quiet, 0, sizeof g.quiet); /* ...but what it keeps across a reset */
    vgic_init(&g, GICD, GICR, nv);
    /* Some SPIs quiet (every eighth, from a chosen one), and sometimes a host that ignores it:
     * chosen by the first byte's high bits, so the corpus keeps its meaning. */
    unsigned q = first / VGIC_MAX_VCPUS;
    quiet_ignored = q & 2;
    if (q & 1)
        for (uint32_t i = 32 + (q >> 2) % 8; i < VGIC_NUM_IRQS; i += 8)
            vgic_set_quiet(&g, i);
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
            dev_raise(vcpu, fb_u16(&b) % (VGIC_NUM_IRQS + 32));
            break;
        }
        case 5: {
            unsigned x = fb_u8(&b);
            guest_eoi(x % nv, x / 16 % VGIC_NUM_LRS, op & 8);
            break;
        }
        case 6: {
            unsigned vcpu = fb_u8(&b) % nv;
            uint64_t v = fb_u64(&b);
            TRACE("SGI1R vCPU %u 0x%llx\n", vcpu, (unsigned long long)v);
            vgic_sgi1r_write(&g, vcpu, v);
            break;
        }
        default: {
            unsigned x = fb_u8(&b);
            if (op & 8) {
                power(x % nv, op & 16);
                break;
            }
            /* the kernel holds an LR the vGIC believes free (not one it keeps for a quiet SPI) */
            if (!hw_lr[x % nv][x / 16 % VGIC_NUM_LRS] &&
                !(g.cpu[x % nv].lr_quiet & (1u << (x / 16 % VGIC_NUM_LRS))))
                hw_lr[x % nv][x / 16 % VGIC_NUM_LRS] = LR_FOREIGN | 0x80000000u;
            break;
        }
        }
    }
    TRACE("take over\n");
    take_over();
    return 0;
}

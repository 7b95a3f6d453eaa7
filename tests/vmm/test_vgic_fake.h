/*
 * Shared by the test_vgic_*.c programs: a fake list-register port that behaves like the
 * kernel (an LR written twice without an EOI in between is refused as busy) and records
 * every write, a recording EOI callback, and MMIO shorthands at the QEMU virt addresses.
 */
#ifndef TEST_VGIC_FAKE_H
#define TEST_VGIC_FAKE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vgic.h"

#define GICD   0x08000000ull
#define GICR   0x080a0000ull
#define RD(v)  (GICR + (uint64_t)(v)*0x20000)
#define SGI(v) (RD(v) + 0x10000)

struct lr_write {
    unsigned vcpu, lr;
    uint32_t intid;
    uint8_t prio;
};

static struct vgic g;
static struct lr_write writes[256];
static unsigned nwrites;
static uint32_t hw_lr[VGIC_MAX_VCPUS][VGIC_NUM_LRS]; /* 0 = free in the fake "hardware" */
static struct {
    unsigned vcpu;
    uint32_t intid;
} eois[256];
static unsigned neois;

int vgic_port_write_lr(unsigned vcpu, unsigned lr, uint32_t intid, uint8_t priority)
{
    assert_true(vcpu < VGIC_MAX_VCPUS && lr < VGIC_NUM_LRS);
    if (hw_lr[vcpu][lr])
        return -1;
    hw_lr[vcpu][lr] = intid | 0x80000000u;
    assert_true(nwrites < sizeof(writes) / sizeof(writes[0]));
    writes[nwrites++] = (struct lr_write){ vcpu, lr, intid, priority };
    return 0;
}

#define FAKE_LR_QUIET 0x20000000u /* written without the EOI bit */
#define FAKE_LR_AGAIN 0x10000000u /* made pending again in place while live */
#define FAKE_LR_INTID 0x0fffffffu

static unsigned nquiet;    /* quiet writes, counted apart from writes[] */
static bool quiet_ignored; /* the host ignores the flag, as the kernel does for another core */

/* Like the kernel: a free register is written; one that holds the same INTID from an earlier
 * quiet write is made pending again; anything else is busy. */
int vgic_port_write_lr_quiet(unsigned vcpu, unsigned lr, uint32_t intid, uint8_t priority)
{
    if (quiet_ignored)
        return vgic_port_write_lr(vcpu, lr, intid, priority);
    assert_true(vcpu < VGIC_MAX_VCPUS && lr < VGIC_NUM_LRS);
    uint32_t held = hw_lr[vcpu][lr];
    if (held && (!(held & FAKE_LR_QUIET) || (held & FAKE_LR_INTID) != intid))
        return -1;
    hw_lr[vcpu][lr] = held ? held | FAKE_LR_AGAIN : intid | 0x80000000u | FAKE_LR_QUIET;
    nquiet++;
    return 1;
}

uint32_t vgic_port_lr_busy(unsigned vcpu)
{
    uint32_t busy = 0;
    for (unsigned lr = 0; lr < VGIC_NUM_LRS; lr++)
        if (hw_lr[vcpu][lr])
            busy |= 1u << lr;
    return busy;
}

static void record_eoi(void *ctx, unsigned vcpu, uint32_t intid)
{
    assert_ptr_equal(ctx, &g);
    assert_true(neois < sizeof(eois) / sizeof(eois[0]));
    eois[neois].vcpu = vcpu;
    eois[neois++].intid = intid;
}

static int reset(void **state)
{
    (void)state;
    memset(writes, 0, sizeof(writes));
    memset(hw_lr, 0, sizeof(hw_lr));
    nwrites = neois = nquiet = 0;
    quiet_ignored = false;
    memset(g.quiet, 0, sizeof(g.quiet)); /* vgic_init keeps them, as a VMM's reset must */
    vgic_init(&g, GICD, GICR, 2);
    vgic_set_eoi_callback(&g, record_eoi, &g);
    return 0;
}

static inline uint64_t rd(uint64_t ipa, unsigned size)
{
    uint64_t v = 0xdeadbeefdeadbeefull;
    assert_true(vgic_mmio(&g, 0, ipa, false, size, &v));
    return v;
}

static inline void wr(uint64_t ipa, unsigned size, uint64_t v)
{
    assert_true(vgic_mmio(&g, 0, ipa, true, size, &v));
}

static inline uint32_t rd32(uint64_t ipa)
{
    return (uint32_t)rd(ipa, 4);
}
static inline void wr32(uint64_t ipa, uint32_t v)
{
    wr(ipa, 4, v);
}

/* The guest completes whatever sits in LR lr of vcpu: the kernel frees it, then tells the VMM. */
static inline uint32_t guest_eoi(unsigned vcpu, unsigned lr)
{
    uint32_t intid = hw_lr[vcpu][lr] & FAKE_LR_INTID;
    assert_true(hw_lr[vcpu][lr] != 0);
    hw_lr[vcpu][lr] = 0;
    vgic_maintenance(&g, vcpu, lr);
    return intid;
}

/* Which LR of vcpu holds intid in the fake hardware, or -1. */
static inline int lr_of(unsigned vcpu, uint32_t intid)
{
    for (int lr = 0; lr < VGIC_NUM_LRS; lr++)
        if (hw_lr[vcpu][lr] == (intid | 0x80000000u))
            return lr;
    return -1;
}

/* What Linux's GICv3 probe leaves behind: distributor on (ARE|G1A|G1), SPIs group 1 routed to
 * CPU 0, each redistributor awake with SGIs/PPIs group 1. */
static inline void linux_like_setup(void)
{
    wr32(GICD + 0x0000, 0x13);
    for (unsigned v = 0; v < g.num_vcpus; v++) {
        wr32(RD(v) + 0x0014, 0);
        wr32(SGI(v) + 0x0080, ~0u);
    }
    for (unsigned n = 1; n < 4; n++)
        wr32(GICD + 0x0080 + 4 * n, ~0u);
}

#endif

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
    nwrites = neois = 0;
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
    uint32_t intid = hw_lr[vcpu][lr] & 0x7fffffffu;
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

/* A recording fake of the vGIC API (vgic.h) for the VMM core's host tests. */
#ifndef FAKE_VGIC_H
#define FAKE_VGIC_H

#include "vgic.h"

struct fake_vgic {
    unsigned inits;
    uint64_t gicd, gicr;
    unsigned num_vcpus;
    uint64_t claim_base, claim_size; /* vgic_mmio claims this range */
    uint64_t read_value;             /* what claimed reads return */
    unsigned mmio_calls;
    unsigned mmio_vcpu;
    uint64_t mmio_ipa;
    bool mmio_write;
    unsigned mmio_size;
    uint64_t mmio_value; /* the value a claimed write carried */
    unsigned raises;
    unsigned raise_vcpu;
    uint32_t raise_intid;
    unsigned maints;
    unsigned maint_vcpu, maint_lr;
    unsigned sgi1r_writes;
    unsigned sgi1r_vcpu;
    uint64_t sgi1r_value;
    unsigned powers; /* vgic_vcpu_power calls, the last one's arguments */
    unsigned power_vcpu;
    bool power_on;
    vgic_eoi_fn eoi_fn;
    void *eoi_ctx;
    uint32_t ppi_delivery[VGIC_MAX_VCPUS]; /* what vgic_ppi_delivery answers, per vCPU */
};

extern struct fake_vgic fv;
void fake_vgic_reset(void);

#endif

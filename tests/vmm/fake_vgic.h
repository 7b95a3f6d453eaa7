/* A recording fake of the vGIC API (vgic.h) for the VMM core's host tests. */
#ifndef FAKE_VGIC_H
#define FAKE_VGIC_H

#include "vgic.h"

struct fake_vgic {
    unsigned inits;
    uint64_t gicd, gicr;
    unsigned num_vcpus;
    char name[64];       /* vgic_set_name */
    uint64_t read_value; /* what reads of either frame return */
    unsigned mmio_calls; /* vgic_dist_mmio and vgic_redist_mmio, the last one's arguments */
    unsigned mmio_vcpu;
    bool mmio_redist;  /* the redistributors (else the distributor) */
    uint64_t mmio_off; /* the offset passed */
    uint64_t mmio_ipa; /* the IPA it means (vgic_init's base + offset) */
    bool mmio_write;
    unsigned mmio_size;
    uint64_t mmio_value; /* the value the write carried */
    unsigned raises;
    unsigned raise_vcpu;
    uint32_t raise_intid;
    unsigned maints;
    unsigned maint_vcpu, maint_lr;
    unsigned sgi1r_writes;
    unsigned sgi1r_vcpu;
    uint64_t sgi1r_value;
    uint32_t quiet_intid; /* the last vgic_set_quiet, 0 if none */
    unsigned powers;      /* vgic_vcpu_power calls, the last one's arguments */
    unsigned power_vcpu;
    bool power_on;
    vgic_eoi_fn eoi_fn;
    void *eoi_ctx;
    uint32_t ppi_delivery[VGIC_MAX_VCPUS]; /* what vgic_ppi_delivery answers, per vCPU */
};

extern struct fake_vgic fv;
void fake_vgic_reset(void);

#endif

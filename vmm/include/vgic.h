/*
 * Virtual GICv3 of the VMM: the distributor (GICD) and one redistributor per vCPU (GICR), emulated
 * through stage-2 data-abort exits, plus trapped ICC_SGI1R_EL1 writes. The CPU interface is the
 * hardware's (ICV_* registers fed by the list registers), so this file only decides which
 * interrupt goes into which list register (LR) and when. See docs/vgic.md.
 *
 * vCPU numbering: vCPU index i (0 .. num_vcpus-1) has MPIDR affinity 0.0.0.i; the VMM must give
 * the guest the same VMPIDR so that Linux finds its redistributor by GICR_TYPER affinity.
 * Single-threaded: the VMM calls everything from its one event loop.
 */
#ifndef VGIC_H
#define VGIC_H

#include <stdbool.h>
#include <stdint.h>

#include "sys_limits.h"

/* The limits mksys checks against (sys_limits.h), so an image it accepts fits the vGIC. */
#define VGIC_MAX_VCPUS SYS_VM_MAX_VCPUS
#define VGIC_NUM_SPIS  SYS_VGIC_NUM_SPIS /* INTIDs 32..127 */
#define VGIC_NUM_LRS   3 /* the host kernel keeps a fourth for the virtual timer (docs/kernel.md) */
#define VGIC_NUM_IRQS  (32 + VGIC_NUM_SPIS)

#define VGIC_GICD_SIZE   SYS_GICD_SIZE /* distributor frame */
#define VGIC_GICR_STRIDE 0x20000u      /* RD_base + SGI_base frames of one vCPU */

/* Called by vgic when the guest is done with an INTID the vGIC held: it EOI'd the list register
 * holding it, it cleared the pending state (ICPENDR) of a copy not yet delivered, or the vCPU
 * holding it in an LR went off. The owner acks the source then (a passthrough IRQ; a level
 * line still asserted fires again and is raised again), so no INTID stays masked forever. */
typedef void (*vgic_eoi_fn)(void *ctx, unsigned vcpu, uint32_t intid);

/* State of 32 consecutive INTIDs, one bit each: the layout of the GIC's own bitmap registers,
 * so ISENABLER<n> and friends are a single word operation. */
struct vgic_bank {
    uint32_t group;   /* IGROUPR: 1 = group 1 (only group 1 is delivered) */
    uint32_t enabled; /* ISENABLER/ICENABLER */
    uint32_t pending; /* waiting for a list register (not counting the copy in an LR) */
    uint32_t active;  /* set by the guest through ISACTIVER; blocks delivery like hardware */
    uint32_t in_lr;   /* sitting in a list register of some vCPU until the guest EOIs it */
    uint32_t edge;    /* ICFGR Int_config: 1 = edge, 0 = level */
    uint8_t prio[32]; /* IPRIORITYR, top 5 bits implemented */
};

#define VGIC_LR_FREE  0xffffffffu /* lr_intid[]: nothing in that list register */
#define VGIC_LR_STALE 0xfffffffeu /* the kernel said busy although we thought it free */

struct vgic_vcpu {
    struct vgic_bank priv;           /* SGIs 0-15 and PPIs 16-31 (redistributor SGI_base) */
    uint32_t lr_intid[VGIC_NUM_LRS]; /* what each list register holds */
    uint8_t lr_quiet;                /* bit per LR placed quietly: kept until taken back */
    bool asleep;                     /* GICR_WAKER.ProcessorSleep */
    bool off;                        /* stopped: its LRs are not written (vgic_vcpu_power) */
};

#define VGIC_LOG_SLOTS 32
#define VGIC_NAME_LEN  64

struct vgic {
    uint64_t gicd_ipa;
    uint64_t gicr_ipa;
    unsigned num_vcpus;
    uint32_t ctlr;                            /* GICD_CTLR EnableGrp0/EnableGrp1 as written */
    struct vgic_bank spi[VGIC_NUM_SPIS / 32]; /* INTIDs 32.. in banks of 32 */
    uint64_t irouter[VGIC_NUM_SPIS];          /* GICD_IROUTER as written (masked) */
    uint8_t target[VGIC_NUM_SPIS];            /* vCPU index derived from irouter, or 0xff */
    struct vgic_vcpu cpu[VGIC_MAX_VCPUS];
    vgic_eoi_fn eoi_fn;
    void *eoi_ctx;
    uint32_t logged[VGIC_LOG_SLOTS]; /* keys already logged, so nothing floods */
    unsigned num_logged;
    char name[VGIC_NAME_LEN];           /* the guest's, for messages (vgic_set_name; vgic_init keeps it) */
    uint32_t quiet[VGIC_NUM_SPIS / 32]; /* SPIs injected without EOI maintenance (vgic_set_quiet) */
};

/* Resets every interrupt and register; the name set by vgic_set_name stays. */
void vgic_init(struct vgic *g, uint64_t gicd_ipa, uint64_t gicr_ipa, unsigned num_vcpus);
/* The guest's name, which every vGIC message carries ("vmm: guest 'NAME': vgic: ..."); copied.
 * Set it before vgic_init so that even vgic_init's own message has it. */
void vgic_set_name(struct vgic *g, const char *guest);
/* Emulates one MMIO access if ipa lies in the distributor or a redistributor frame.
 * size is 1, 2, 4 or 8 bytes; for reads fill *value. Returns false if ipa is not ours. */
bool vgic_mmio(struct vgic *g, unsigned vcpu, uint64_t ipa, bool write, unsigned size, uint64_t *value);
/* The same for an access already known to be at `off` within the distributor frame, or within
 * the redistributor area (vCPU off / VGIC_GICR_STRIDE's frames): what the VMM's MMIO table
 * calls (vmm/src/gic_device.c). False if off lies outside. */
bool vgic_dist_mmio(struct vgic *g, unsigned vcpu, uint64_t off, unsigned size, bool write, uint64_t *value);
bool vgic_redist_mmio(struct vgic *g, unsigned vcpu, uint64_t off, unsigned size, bool write,
                      uint64_t *value);
/* A device (passthrough or virtual) raises INTID for vcpu (SPIs: routing decides; vcpu is used for SGI/PPI).
 * If it is enabled and the CPU interface can take it now, it goes into a free list register;
 * if all LRs are busy it waits in a per-vCPU overflow queue (by priority); if it is disabled it stays
 * pending and is delivered when the guest enables it. Never lost. */
void vgic_raise(struct vgic *g, unsigned vcpu, uint32_t intid);
/* The guest EOI'd the interrupt in list register lr of vcpu (FAULT_VGIC_MAINT): free it, refill from
 * the overflow queue, and tell the owner (callback) that intid completed. */
void vgic_maintenance(struct vgic *g, unsigned vcpu, unsigned lr);
/* ICC_SGI1R_EL1 write from vcpu (trapped): raise the SGI on each target vCPU (including self). */
void vgic_sgi1r_write(struct vgic *g, unsigned vcpu, uint64_t value);
void vgic_set_eoi_callback(struct vgic *g, vgic_eoi_fn fn, void *ctx);
/* The VMM stopped (on = false) or (re)started vcpu. Stopping forgets its LRs, since the host
 * clears them when it restarts the vCPU and no maintenance exit will ever report them: SPIs in
 * them become pending again (routed anew), SGIs/PPIs in them are reported to the EOI callback.
 * While off nothing is written to its LRs; starting refills them. vCPUs start out on. */
void vgic_vcpu_power(struct vgic *g, unsigned vcpu, bool on);

/* Whether vcpu can take PPI intid now (enabled, group 1, the distributor's group 1 enabled):
 * 0 if not, else VGIC_PPI_CAN_TAKE | priority << VGIC_PPI_PRIO_SHIFT. What a host that injects
 * that PPI itself (the kernel's virtual timer) must be told; 0 for an INTID that is no PPI. */
#define VGIC_PPI_CAN_TAKE   1u
#define VGIC_PPI_PRIO_SHIFT 8
uint32_t vgic_ppi_delivery(const struct vgic *g, unsigned vcpu, uint32_t intid);

/* INTID (an SPI) needs no EOI report: nobody acks a source for it (a virtIO device's). It goes
 * into a list register without the EOI maintenance bit, so the guest's EOI costs no exit; the
 * register stays its own until another interrupt needs one (then vgic_port_lr_busy says whether
 * the guest is done with it), and a new raise meanwhile makes it pending again in place. Kept
 * across vgic_init, as the device that asked is. */
void vgic_set_quiet(struct vgic *g, uint32_t intid);

/* Port hooks the VMM provides (the real one calls the kernel; tests provide fakes):
 * write list register lr of vcpu with intid (group 1, the given priority); return 0, or -1 if busy. */
int vgic_port_write_lr(unsigned vcpu, unsigned lr, uint32_t intid, uint8_t priority);
/* The same with no EOI maintenance; if lr already holds intid (pending or active) it becomes
 * pending again in place. Returns 1 if so placed, 0 if placed as by vgic_port_write_lr (the host
 * will report its EOI: a vCPU it cannot do this for), -1 if busy. */
int vgic_port_write_lr_quiet(unsigned vcpu, unsigned lr, uint32_t intid, uint8_t priority);
/* Bit n set while list register n of vcpu holds a live interrupt (all set when unknown). */
uint32_t vgic_port_lr_busy(unsigned vcpu);

#endif

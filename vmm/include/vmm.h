/*
 * The VMM core: one Linux guest, described by the image tool's struct vmm_config, run on
 * Microkit vCPUs. A per-system main (examples/<system>/vmm.c) forwards the PD's entry points:
 *
 *   init()      -> vmm_init(), devices register (vmm_mmio_register, vmm_channel_register),
 *                  then vmm_boot()
 *   notified()  -> vmm_notified()     the channel table: passthrough IRQs, devices
 *   fault()     -> vmm_fault()        vCPU exits; emulated MMIO through the MMIO table
 *
 * The core calls only microkit.h, the vGIC (vgic.h) and the port (vmm_port.h).
 * vCPUs are known by index 0..num_vcpus-1 (the vGIC's numbering, MPIDR Aff0 = index) and by
 * Microkit id (vcpu[i].id, what microkit_vcpu_* and fault() use).
 */
#ifndef VMM_H
#define VMM_H

#include <stdbool.h>
#include <stdint.h>

#include <microkit.h>

#include "channel_table.h"
#include "mmio_table.h"
#include "vgic.h"
#include "vmm_config.h"

#define VMM_MAX_VCPUS  VGIC_MAX_VCPUS
#define VMM_LOG_SLOTS  32
#define VMM_NAME_LEN   64
#define VMM_VTIMER_PPI 27u /* the EL1 virtual timer's PPI, the one the kernel delivers as a vPPI */

struct vmm_vcpu {
    unsigned id;          /* Microkit vCPU id */
    bool on;              /* running (or runnable) as far as PSCI is concerned */
    uint32_t vppi_wait;   /* bit n: PPI 16+n came from the kernel, ack it when the guest EOIs */
    uint32_t vtimer_told; /* what the kernel last heard of its timer PPI (vmm_vtimer_sync) */
};

/* A device's part of a guest reset (vmm_reset_register). */
#define VMM_MAX_RESET_HOOKS 8u
struct vmm_reset_hook {
    void (*fn)(void *ctx);
    void *ctx;
};

struct vmm {
    const struct vmm_config *config;
    char name[VMM_NAME_LEN]; /* the guest's name, terminated */
    struct vgic *vgic;
    unsigned num_vcpus;
    struct vmm_vcpu vcpu[VMM_MAX_VCPUS];
    uint32_t irq_wait;              /* bit i: config->irqs[i] raised, ack it when the guest EOIs */
    bool running;                   /* booted and not powered off or stopped for an error */
    bool kernel_in_ram;             /* the next boot finds the kernel in RAM (first boot only) */
    uint64_t logged[VMM_LOG_SLOTS]; /* vmm_log_first keys */
    unsigned num_logged;
    struct vmm_mmio_table mmio;                        /* emulated ranges: stage-2 faults go here */
    struct vmm_channel_table channels;                 /* notification handlers */
    struct vmm_reset_hook resets[VMM_MAX_RESET_HOOKS]; /* devices to reset with the guest */
    unsigned num_resets;
};

/* Errors of vmm_config_check (a message naming the problem is printed). */
enum vmm_config_err {
    VMM_CONFIG_OK = 0,
    VMM_CONFIG_ERR_MAGIC,
    VMM_CONFIG_ERR_VERSION,
    VMM_CONFIG_ERR_VCPU,
    VMM_CONFIG_ERR_IRQS,
    VMM_CONFIG_ERR_IRQ,
    VMM_CONFIG_ERR_RAM,
    VMM_CONFIG_ERR_GICR,
    VMM_CONFIG_ERR_VIRTIO_COUNT,  /* more virtIO devices than VMM_MAX_VIRTIO */
    VMM_CONFIG_ERR_VIRTIO_ID,     /* a device this VMM does not emulate */
    VMM_CONFIG_ERR_VIRTIO_IRQ,    /* not an SPI of the vGIC, or another's */
    VMM_CONFIG_ERR_VIRTIO_WINDOW, /* register window unaligned, wrapping, or on something else */
    VMM_CONFIG_ERR_VIRTIO_PORT,   /* a console's port count, serial client, flags or name */
};

/* vmm_config has no vCPU count: the guest has one redistributor frame per vCPU, so it is
 * gicr_size / VGIC_GICR_STRIDE, with ids vcpu_id .. vcpu_id + n - 1. */
unsigned vmm_config_vcpus(const struct vmm_config *c);

enum vmm_config_err vmm_config_check(const struct vmm_config *c);
/* The virtIO devices' part of it (config_virtio.c), after everything else passed. */
enum vmm_config_err vmm_config_check_virtio(const struct vmm_config *c);
/* Console device i's flags and ports (config_ports.c), for vmm_config_check_virtio. */
enum vmm_config_err vmm_config_check_ports(const struct vmm_config *c, unsigned i);
/* intid is an SPI the vGIC implements: the only kind a device outside the guest can raise. */
bool vmm_config_is_spi(uint32_t intid);

/* Checks the configuration, sets up the vCPUs and the vGIC, registers the vGIC's MMIO ranges and
 * the passthrough IRQs' channels; the guest is not started. Nonzero (after a message) if any of
 * it fails: the VMM then has no guest. */
int vmm_init(struct vmm *vm, const struct vmm_config *c, struct vgic *g);
/* Loads the guest images and starts the boot vCPU. Nonzero (after a message) if they do not fit. */
int vmm_boot(struct vmm *vm);
/* SYSTEM_RESET: stop every vCPU, release interrupts, reset the vGIC and the devices that
 * registered a hook, reload, boot again. */
void vmm_reset(struct vmm *vm);
/* A device's reset, run by vmm_reset after the vCPUs stopped. -1 (after a line) when full. */
int vmm_reset_register(struct vmm *vm, void (*fn)(void *ctx), void *ctx);
/* Stop every vCPU of the guest (an error, or SYSTEM_OFF). */
void vmm_halt(struct vmm *vm);
/* After an error already reported: halt, say so, return false (no reply to the exit). */
bool vmm_stop_guest(struct vmm *vm);

/* notified(): the handler registered for ch (channel_table.h), else one line per channel. */
void vmm_notified(struct vmm *vm, microkit_channel ch);
/* fault() for a vCPU exit; returns true to resume the vCPU, false when it was stopped. */
bool vmm_fault(struct vmm *vm, microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply);

/* vCPUs (vcpu.c) */
int vmm_vcpu_index(const struct vmm *vm, microkit_child id); /* -1 if not ours */
int vmm_vcpu_by_mpidr(const struct vmm *vm, uint64_t mpidr); /* -1 if none */
uint64_t vmm_vcpu_mpidr(unsigned index);
/* Fresh registers (reset values), x0 = arg, SPSR = EL1h masked, then run from pc. */
void vmm_vcpu_start(struct vmm *vm, unsigned index, uint64_t pc, uint64_t arg);
void vmm_vcpu_stop(struct vmm *vm, unsigned index);
/* Step vCPU index over the instruction at pc that trapped with syndrome esr. */
void vmm_vcpu_skip(struct vmm *vm, unsigned index, uint64_t pc, uint64_t esr);
uint64_t vmm_vcpu_reg(struct vmm *vm, unsigned index, unsigned reg);             /* reg 31 reads 0 (XZR) */
void vmm_vcpu_set_reg(struct vmm *vm, unsigned index, unsigned reg, uint64_t v); /* 31: dropped */

/* Virtual interrupts (virq.c) */
void vmm_vppi(struct vmm *vm, unsigned index, uint32_t intid);
void vmm_eoi(void *ctx, unsigned vcpu, uint32_t intid); /* the vGIC's EOI callback */
void vmm_vtimer_sync(struct vmm *vm);  /* tell the kernel of changes to the guest's timer PPI state */
void vmm_virq_release(struct vmm *vm); /* ack everything still waiting for an EOI */
int vmm_virq_attach(struct vmm *vm);   /* each passthrough IRQ's channel into the channel table */

/* The vGIC as a device (gic_device.c) */
int vmm_gic_attach(struct vmm *vm); /* vmm_gic_reset, then its frames into the MMIO table */
void vmm_gic_reset(struct vmm *vm); /* a fresh vGIC: at init and SYSTEM_RESET */

/* Exits (stage2.c): emulate, or inject an abort (or stop the guest, as configured). */
struct vmm_exit;
bool vmm_stage2_fault(struct vmm *vm, unsigned index, const struct vmm_exit *e);

#endif

/*
 * Limits that the image tool (tools/mksys) checks and the kernel or the VMM relies on. Each is
 * defined here once, so an image the tool accepts never fails a check at boot. Plain integer
 * constants only: this header is included by the host tool, the kernel and PD code.
 */
#ifndef SYS_LIMITS_H
#define SYS_LIMITS_H

/* Stage-2 translation (kernel/arch/aarch64/stage2.c): 4 KiB granule. A native PD's walk starts
 * at level 1, so its IPAs are below 2^39; a VM's starts at level 2, with 16 level-2 tables side
 * by side as its root, so guest IPAs are below 2^34 (one level less to walk on a TLB miss).
 * Output addresses (VTCR_EL2.PS) are below 2^40. */
#define SYS_IPA_BITS         39u
#define SYS_VM_IPA_BITS      34u
#define SYS_PA_BITS          40u
#define SYS_IPA_END          (1ull << SYS_IPA_BITS) /* the first IPA beyond the range */
#define SYS_VM_IPA_END       (1ull << SYS_VM_IPA_BITS)
#define SYS_PA_END           (1ull << SYS_PA_BITS)
#define SYS_VM_S2_ROOT_PAGES (1u << (SYS_VM_IPA_BITS - 30))     /* a VM's root: one page per GiB */
#define SYS_S2_POOL_ALIGN    (SYS_VM_S2_ROOT_PAGES * 0x1000ull) /* the VM roots lie first */

/* The kernel's own EL2 map (kernel/arch/aarch64/mmu_el2.c) makes only this much of the address
 * space device memory: the console UART and the GIC must lie below it, outside RAM. */
#define SYS_EL2_DEVICE_LIMIT 0x100000000ull
#define SYS_UART_SIZE        0x1000ull  /* the console UART's register frame */
#define SYS_GICD_SIZE        0x10000ull /* the GIC distributor's register frame */

/* Protection domains (vCPUs included) and channel ids, as in seL4 Microkit: ids 0..61. PD
 * child ids and vCPU ids share the channel ids' range (Microkit's PD_MAX_ID, VCPU_MAX_ID). */
#define SYS_MAX_PDS      63u
#define SYS_MAX_CHANNELS 62u
#define SYS_MAX_CHILD_ID (SYS_MAX_CHANNELS - 1)
#define SYS_MAX_VCPU_ID  (SYS_MAX_CHANNELS - 1)

/* A virtual machine: vCPUs per VM (the vGIC's redistributors), and the SPIs the virtual GIC
 * implements (INTIDs 32 .. 32 + SYS_VGIC_NUM_SPIS - 1): a passthrough interrupt above them
 * could never be delivered or acked. */
#define SYS_VM_MAX_VCPUS 8u

/* Physical cores the kernel runs on (the board device tree's /cpus, started through PSCI):
 * a PD's or vCPU's `cpu` is 0 .. the board's count - 1, and at most this. */
#define SYS_MAX_CPUS      8u
#define SYS_VGIC_NUM_SPIS 96u

#endif

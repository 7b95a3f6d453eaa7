/*
 * Boot image format: the contract between the image tool (tools/mksys) and the host kernel.
 *
 * The bootable image is a flat copy of physical memory starting at the kernel's load address.
 * The kernel's own ELF segments come first; the image tool then places this system description
 * ("sysimg") and every PD's program segments at physical addresses of its choosing, all inside
 * the flat file, and patches the kernel variable `boot_sysimg_pa` with the physical address of
 * the sysimg header. Memory that must start zeroed (PD .bss tails, stacks, IPC buffers, memory
 * regions) is not stored in the file: it is listed in the zero table and cleared by the kernel
 * at boot.
 *
 * All structures are little-endian, naturally aligned, and have fixed sizes so that the host
 * tool (x86_64) and the kernel (aarch64) agree without packing attributes.
 */
#ifndef SYSIMG_H
#define SYSIMG_H

#include <stdint.h>

#include "sys_limits.h"

#define SYSIMG_MAGIC   0x474d4953u /* "SIMG" */
#define SYSIMG_VERSION 8u
/* The longest CPU budget period a PD may have, in microseconds (1 s). */
#define SYSIMG_PERIOD_MAX_US 1000000u

#define SYSIMG_MAX_PDS      SYS_MAX_PDS
#define SYSIMG_MAX_CHANNELS SYS_MAX_CHANNELS /* channel ids 0..61, as in Microkit */
#define SYSIMG_NAME_LEN     64u

/* Console UART kinds the kernel can print on. */
#define SYSIMG_UART_NONE  0u
#define SYSIMG_UART_PL011 1u
#define SYSIMG_UART_IMX   2u

struct sysimg_header {
    uint32_t magic;    /* SYSIMG_MAGIC */
    uint32_t version;  /* SYSIMG_VERSION */
    uint32_t size;     /* bytes of the whole sysimg, header included */
    uint32_t num_pds;  /* entries in the PD table */
    uint32_t num_maps; /* entries in the map table */
    uint32_t num_zero; /* entries in the zero table */
    uint32_t pds_off;  /* byte offsets from the start of this header */
    uint32_t maps_off;
    uint32_t zero_off;
    uint32_t uart_kind; /* SYSIMG_UART_* */
    uint64_t uart_base; /* physical address of the kernel's debug console */
    uint64_t ram_base;  /* board RAM from the device tree's memory node */
    uint64_t ram_size;
    uint64_t gicd_base;    /* GICv3 distributor */
    uint64_t gicr_base;    /* first redistributor frame */
    uint64_t gicr_size;    /* size of the redistributor region */
    uint32_t timer_irq;    /* INTID of the EL2 physical (hypervisor) timer */
    uint32_t stage2_block; /* SYSIMG_S2_BLOCK_*: the largest leaf of every stage-2 map */
    uint64_t image_end;    /* first physical byte past everything the image uses */
    /* Zero-filled pages (also in the zero table) the kernel builds stage-2 tables from: kept
     * out of the kernel's .bss so the boot image file does not carry them as zeros. */
    uint64_t pt_pool_pa;
    uint64_t pt_pool_size;
    /* The kernel's log ring (a <serial> subsystem's; docs/serial.md): once the UART's driver PD
     * has run, the kernel puts its own lines and every PD's debug output into this ring, a
     * serial_queue.h region, instead of writing the UART, and signals log_ch of PD log_pd (the TX
     * virtualiser) when a line went in. log_pa 0: no ring, the kernel always writes the UART. */
    uint64_t log_pa;
    uint32_t log_region_size; /* bytes of the region */
    uint32_t log_size;        /* its data area: a power of two */
    uint32_t log_pd;          /* PD table index of the ring's consumer */
    uint32_t log_ch;          /* that PD's channel slot of kind SYSIMG_CH_KLOG */
    uint32_t uart_owner_pd;   /* PD table index of the UART's driver, or SYSIMG_NO_PARENT */
    /* The board's cores (its device tree's /cpus, in order): core k is cpu_mpidr[k] (the cpu
     * node's reg, MPIDR affinity bits), a PD's `cpu` indexes this table. Core 0 is the one the
     * loader entered the kernel on; the kernel starts the others with PSCI CPU_ON through
     * psci_conduit (the tree's /psci method). num_cpus 1 needs no PSCI. */
    uint32_t num_cpus;     /* 1 .. SYS_MAX_CPUS */
    uint32_t psci_conduit; /* SYSIMG_PSCI_* */
    uint32_t reserved2;
    uint64_t cpu_mpidr[SYS_MAX_CPUS];
};

#define SYSIMG_PSCI_NONE 0u
#define SYSIMG_PSCI_SMC  1u
#define SYSIMG_PSCI_HVC  2u

/* stage2_block, a board property (its board.mk's STAGE2_BLOCK): 2 MiB lets the kernel map an
 * aligned 2 MiB of a map with one block; 4 KiB maps everything with pages, for QEMU TCG,
 * which flushes a guest's whole software TLB on every TLB invalidation by address once any
 * stage-2 block backs it (docs/kernel.md, "Stage-2 page size"). */
#define SYSIMG_S2_BLOCK_4K 0x1000u
#define SYSIMG_S2_BLOCK_2M 0x200000u

/* pt_pool_size is what this system needs: the image tool counts the tables exactly as the
 * kernel's stage-2 code allocates them (tools/mksys/s2pool.c). */

/* One channel slot of a PD. Index = the channel id the PD uses. */
#define SYSIMG_CH_NONE    0u
#define SYSIMG_CH_CHANNEL 1u /* an end of a <channel> */
#define SYSIMG_CH_IRQ     2u /* an <irq> delivered on this id */
#define SYSIMG_CH_KLOG    3u /* the kernel signals new lines in its log ring on this id */

#define SYSIMG_CH_NOTIFY (1u << 0) /* this end may notify the peer */
#define SYSIMG_CH_PP     (1u << 1) /* this end may make a protected call to the peer */
#define SYSIMG_IRQ_EDGE  (1u << 2) /* for SYSIMG_CH_IRQ: edge-triggered (default level) */

struct sysimg_channel {
    uint8_t kind;    /* SYSIMG_CH_* */
    uint8_t flags;   /* SYSIMG_CH_NOTIFY, SYSIMG_CH_PP, SYSIMG_IRQ_EDGE */
    uint8_t peer_pd; /* CHANNEL: index of the other end's PD in the PD table */
    uint8_t peer_ch; /* CHANNEL: the channel id at the other end */
    uint32_t irq;    /* IRQ: the GIC INTID (SPI n is INTID n + 32) */
};

#define SYSIMG_NO_PARENT 0xffffffffu

/* sysimg_pd.flags */
#define SYSIMG_PD_VCPU (1u << 0) /* a vCPU of a <virtual_machine>, not a native PD */
/* A vCPU whose VM has vtimer="vmm": its virtual timer is a FAULT_VPPI exit to the VMM, not an
 * interrupt the kernel injects itself (docs/kernel.md, "Virtual timers"). */
#define SYSIMG_PD_VTIMER_TO_VMM (1u << 1)

/*
 * A native PD or, with SYSIMG_PD_VCPU, one vCPU of a virtual machine. A vCPU's parent is the
 * PD that declares the <virtual_machine> (its VMM), child_id is the <vcpu id>, name is
 * "<vm name>:<vcpu id>", priority is the VM's, it has no channels, entry/stack_top/ipc_buf_pa
 * are 0, and it starts stopped (the VMM starts it with SYS_VCPU_RESTART). The VM's maps
 * (guest-physical = ipa) belong to its first vCPU; vm_first is that vCPU's table index, so
 * every vCPU of one VM shares one stage-2 table and VMID. For a native PD vm_first is its own
 * index.
 */
struct sysimg_pd {
    char name[SYSIMG_NAME_LEN]; /* NUL-terminated */
    uint32_t priority;          /* 0..254, higher runs first */
    uint32_t parent;            /* PD table index of the parent, or SYSIMG_NO_PARENT */
    uint32_t child_id;          /* id as seen by its parent (Microkit `id`; vCPU id for vCPUs) */
    uint32_t first_map;         /* this PD's stage-2 mappings: maps[first_map .. +num_maps) */
    uint32_t num_maps;
    uint32_t flags;      /* SYSIMG_PD_* */
    uint32_t vm_first;   /* see above */
    uint32_t cpu;        /* the core it runs on: an index into the header's cpu_mpidr */
    uint32_t budget_us;  /* Microkit budget: at most this much of its core per period; 0: no limit */
    uint32_t period_us;  /* Microkit period (budget_us < period_us <= SYSIMG_PERIOD_MAX_US) */
    uint64_t entry;      /* initial PC (ELF e_entry; an IPA, stage-1 is off) */
    uint64_t stack_top;  /* initial SP (an IPA) */
    uint64_t ipc_buf_pa; /* physical page behind PD_IPC_BUF_VADDR (also in maps) */
    struct sysimg_channel ch[SYSIMG_MAX_CHANNELS]; /* indexed by channel id */
};

#define SYSIMG_PERM_R (1u << 0)
#define SYSIMG_PERM_W (1u << 1)
#define SYSIMG_PERM_X (1u << 2)

/* One stage-2 mapping; ipa, pa and size are 4 KiB aligned. */
struct sysimg_map {
    uint64_t ipa;
    uint64_t pa;
    uint64_t size;
    uint32_t perms;  /* SYSIMG_PERM_* */
    uint32_t cached; /* 1: normal write-back memory; 0: device memory (nGnRE) */
};

/* A physical range the kernel zeroes before any PD runs. */
struct sysimg_zero {
    uint64_t pa;
    uint64_t size;
};

#endif

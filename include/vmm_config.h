/*
 * Configuration of a VMM PD: the contract between the image tool (which fills it from a
 * <linux_vm> element and patches it into the VMM's ELF at the symbol `vmm_config`) and the VMM
 * (which checks magic and version at init and uses nothing else to learn about its guest).
 * Addresses named *_vaddr are in the VMM's own address space; *_ipa are guest-physical.
 */
#ifndef VMM_CONFIG_H
#define VMM_CONFIG_H

#include <stdint.h>

#define VMM_CONFIG_MAGIC         0x434d4d56u /* "VMMC" */
#define VMM_CONFIG_VERSION       4u          /* 4: a console's ports[] */
#define VMM_MAX_PASSTHROUGH_IRQS 16u
#define VMM_MAX_VIRTIO           8u
/* A console's ports: VIRTIO_CONSOLE_MAX_PORTS (the transport's 8 queues: 2 control + 2 a port). */
#define VMM_CONSOLE_PORTS 3u
#define VMM_PORT_NAME_LEN 32u /* a port's name, NUL included (VIRTIO_CONSOLE_NAME_MAX) */
/* Serial clients one VMM PD can be: the length of its serial_client_config[] array. */
#define VMM_SERIAL_CLIENTS 8u

/* virtIO device ids (virtIO 1.2, section 5) of the devices a VMM emulates. */
#define VMM_VIRTIO_CONSOLE 3u

/* One port of a console: the serial client behind it (index into the VMM PD's own
 * serial_client_config[]: its k-th <client> in the <serial> element), the name the guest sees
 * in /sys/class/virtio-ports/<vport>/name ("" for none: NUL-terminated, [A-Za-z0-9._-]) and
 * whether it is an hvc console. */
struct vmm_console_port {
    uint32_t serial_client; /* < VMM_SERIAL_CLIENTS, a different one for every port of the PD */
    uint32_t flags;         /* VMM_PORT_F_* */
    char name[VMM_PORT_NAME_LEN];
};

#define VMM_PORT_F_CONSOLE (1u << 0) /* CONSOLE_PORT sent: the guest makes it an hvc; port 0 always */

/* An emulated virtio-mmio device (docs/virtio.md): its register window in guest-physical
 * space, the SPI it interrupts on, and what backs it. A console has num_ports ports (1 to
 * VMM_CONSOLE_PORTS), each on a serial client of the VMM PD, which the image tool wires to the
 * serial virtualisers. */
struct vmm_virtio_dev {
    uint32_t device_id;  /* VMM_VIRTIO_* */
    uint32_t intid;      /* the guest's interrupt: an SPI (32 + n), unused by any passthrough */
    uint64_t mmio_ipa;   /* register window, page-aligned, outside RAM and passthrough devices */
    uint64_t mmio_size;  /* 0x1000 */
    uint32_t flags;      /* VMM_VIRTIO_F_* */
    uint16_t cols, rows; /* console: port 0's size offered with VIRTIO_CONSOLE_F_SIZE (80x24) */
    uint32_t num_ports;  /* console: entries used in ports[]; 1 without MULTIPORT */
    uint32_t reserved;   /* 0 */
    struct vmm_console_port ports[VMM_CONSOLE_PORTS];
};

/* Console: offer VIRTIO_CONSOLE_F_MULTIPORT (ports with names, more than one port). */
#define VMM_VIRTIO_F_MULTIPORT (1u << 0)
/* Console: RESIZE carries rows before cols, as Linux before its 2025 fix reads it (docs/virtio.md). */
#define VMM_VIRTIO_F_RESIZE_ROWS_FIRST (1u << 1)

/* A physical interrupt passed through to the guest: it reaches the VMM as a notification on
 * `channel` and is injected into the guest with the same INTID. */
struct vmm_passthrough_irq {
    uint32_t intid;
    uint32_t channel;
};

struct vmm_config {
    uint32_t magic;    /* VMM_CONFIG_MAGIC */
    uint32_t version;  /* VMM_CONFIG_VERSION */
    char vm_name[64];  /* the <linux_vm name>, for diagnostics */
    uint32_t vcpu_id;  /* the boot vCPU's id (Microkit <vcpu id>) */
    uint32_t num_irqs; /* entries used in irqs[] */
    uint64_t ram_ipa;  /* guest RAM, guest-physical */
    uint64_t ram_size;
    uint64_t ram_vaddr;    /* the same RAM as the VMM sees it (read-write) */
    uint64_t kernel_vaddr; /* the guest's arm64 Image, read-only in the VMM */
    uint64_t kernel_size;
    uint64_t initrd_vaddr; /* the initramfs, read-only in the VMM; size 0 = none */
    uint64_t initrd_size;
    uint64_t dtb_vaddr; /* the guest device tree the image tool generated */
    uint64_t dtb_size;
    uint64_t dtb_ipa;    /* where the guest expects the DTB (x0 at entry) */
    uint64_t initrd_ipa; /* where the DTB's /chosen says the initrd is */
    uint64_t gicd_ipa;   /* the GICv3 distributor the VMM emulates */
    uint64_t gicr_ipa;   /* the redistributor frames the VMM emulates (0x20000 each) */
    uint64_t gicr_size;
    struct vmm_passthrough_irq irqs[VMM_MAX_PASSTHROUGH_IRQS];
    uint32_t flags;      /* VMM_CONFIG_F_*; 0 is the default behaviour */
    uint32_t num_virtio; /* entries used in virtio[] */
    struct vmm_virtio_dev virtio[VMM_MAX_VIRTIO];
};

/* <linux_vm on_foreign_access="stop">: a guest access the VMM cannot satisfy (an address it was
 * not given, or an emulated one the VMM cannot decode) stops the guest instead of getting a
 * synchronous external abort injected. */
#define VMM_CONFIG_F_STOP_ON_FOREIGN (1u << 0)
/* The boot image already holds the kernel's file bytes in guest RAM at ram_ipa + text_offset:
 * the first boot checks them and copies nothing; a reset copies from kernel_vaddr as usual. */
#define VMM_CONFIG_F_KERNEL_IN_RAM (1u << 1)

#endif

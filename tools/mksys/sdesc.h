/* The system description as parsed from the XML: names as written, plus the indices that
 * resolve.c fills in. Every element keeps its line for error messages. */
#ifndef MKSYS_SDESC_H
#define MKSYS_SDESC_H

#include <stdbool.h>
#include <stdint.h>

#include "sys_limits.h"
#include "util.h"

struct guest_out;
struct serial_out;

struct sd_mr {
    char *name;
    uint64_t size;
    uint64_t page_size;
    uint64_t phys_addr;
    bool fixed; /* phys_addr was given */
    long line;
    uint64_t pa; /* fixed: phys_addr; otherwise assigned by the layout */
    /* Made by a <linux_vm> (never by the XML itself): */
    bool nozero;   /* allocated but not zeroed at boot (guest RAM) */
    uint8_t *data; /* non-NULL: the region's first data_len bytes are stored in the image */
    uint64_t data_len;
    char *source;     /* what data holds, for the report and --emit-system */
    bool from_file;   /* source is the path of a guest file (shared by every guest using it) */
    bool from_serial; /* made by a <serial> (--emit-system writes the <serial> instead) */
};

struct sd_map {
    char *mr_name;
    size_t mr; /* index into sd_system.mrs */
    uint64_t vaddr;
    uint32_t perms; /* SYSIMG_PERM_* */
    bool cached;
    char *setvar_vaddr; /* symbol to receive vaddr, or NULL */
    long line;
    bool from_serial;
};

struct sd_irq {
    uint32_t irq; /* GIC INTID */
    unsigned id;  /* channel id */
    bool edge;
    long line;
};

struct sd_setvar {
    char *symbol;
    char *region;
    size_t mr;
    long line;
};

/* Bytes patched over a symbol of the PD's program (a configuration struct). `why` says who
 * asked for it, for the error when the program lacks the symbol. */
struct sd_patch {
    char *symbol;
    uint8_t *data;
    size_t len;
    size_t offset; /* into the symbol: entry k of an array symbol is at k * len */
    char *why;
    long line;
};

struct sd_pd {
    char *name;
    long line;
    unsigned priority;
    uint64_t stack_size;
    uint32_t budget_us, period_us; /* Microkit budget and period; 0: no limit (parse_budget) */
    int parent;                    /* index into sd_system.pds, or -1 */
    unsigned child_id;             /* `id`, only for a child */
    char *image;                   /* program_image path as written */
    long image_line;
    VEC(struct sd_map) maps;
    VEC(struct sd_irq) irqs;
    VEC(struct sd_setvar) setvars;
    int vm;       /* index into sd_system.vms of the VM it owns, or -1 */
    long vm_line; /* line of that <virtual_machine> or <linux_vm> */
    VEC(struct sd_patch) patches;
    uint64_t cpu;  /* the core it runs on (`cpu`, default 0): < the board's num_cpus (check.c) */
    bool has_klog; /* channel klog_id is the kernel's log-ring slot (SYSIMG_CH_KLOG) */
    unsigned klog_id;
    bool from_serial;
};

struct sd_vcpu {
    unsigned id; /* Microkit <vcpu id>: the child id its VMM sees in fault() */
    long line;
    uint64_t cpu; /* its core (`cpu`; default: its VMM's) */
};

/* A <virtual_machine>: its vCPUs become entries of the PD table (SYSIMG_PD_VCPU) after the
 * native PDs; its maps are guest-physical and belong to its first vCPU. */
struct sd_vm {
    char *name;
    long line;
    unsigned priority;
    size_t vmm; /* index of the PD that declares it */
    VEC(struct sd_vcpu) vcpus;
    VEC(struct sd_map) maps;
    uint32_t first_pd;  /* PD-table index of vcpus.v[0], set by sd_resolve */
    bool vtimer_to_vmm; /* vtimer="vmm": FAULT_VPPI exits instead of the kernel's injection */
};

struct sd_passthrough {
    char *node;      /* path (or alias) in the board device tree */
    unsigned irq_id; /* the VMM's channel id for the node's first interrupt */
    bool has_irq_id;
    long line;
};

struct sd_end {
    char *pd_name;
    size_t pd;
    unsigned id;
    bool pp;
    bool notify;
    long line;
};

struct sd_channel {
    struct sd_end end[2];
    long line;
    bool from_serial;
};

/* A virtIO device of a <linux_vm> (<virtio_console>): parsed by parse_virtio.c, placed and
 * checked by guest_virtio.c, which fills the VMM's vmm_config.virtio[] entry. */
/* A console's port: port 0 is the <virtio_console>'s own client, then one per <port>. */
struct sd_vport {
    char *client; /* the <serial> client's name */
    char *name;   /* what the guest sees in /sys/class/virtio-ports; NULL: none */
    bool console; /* an hvc console (port 0 always) */
    long line;
    size_t serial;     /* index of `client` in the <serial>'s clients (guest_virtio.c) */
    unsigned pd_index; /* which of the VMM PD's clients it is: its serial_client_config[] entry */
};

struct sd_virtio {
    uint32_t device_id;         /* VMM_VIRTIO_* */
    VEC(struct sd_vport) ports; /* console: 1..VMM_CONSOLE_PORTS */
    bool multiport;             /* console: offer VIRTIO_CONSOLE_F_MULTIPORT (a <port> or a name) */
    bool resize_rows_first;     /* console: `resize_order`, RESIZE as Linux <= 6.1 reads it */
    bool has_addr, has_spi;
    uint64_t addr; /* guest-physical register window (given or chosen) */
    unsigned spi;  /* its interrupt, SPI number (INTID - 32) */
    unsigned cols, rows;
    long line;
};

/* A <linux_vm>: expanded by guest.c into memory regions, maps, IRQs and a <virtual_machine>. */
struct sd_guest {
    char *name;
    long line;
    size_t vmm; /* index of the PD that declares it */
    unsigned priority;
    uint64_t ram_base, ram_size;
    char *kernel, *initrd, *bootargs; /* initrd may be NULL; bootargs "" by default */
    unsigned vcpus;
    bool has_cpus;                   /* cpus="..." was given: vCPU k on cpus[k] */
    uint64_t cpus[SYS_VM_MAX_VCPUS]; /* otherwise guest.c spreads them (docs/system-description.md) */
    bool stop_on_foreign;            /* on_foreign_access="stop" (default "abort") */
    bool vtimer_to_vmm;              /* vtimer="vmm" (default "kernel"), passed to its sd_vm */
    VEC(struct sd_passthrough) pt;
    VEC(struct sd_virtio) virtio;
    struct guest_out *out; /* filled by the expansion (guest.h) */
};

/* A <serial>: expanded by serial_expand.c into the driver and virtualiser PDs, rings,
 * channels and configurations (serial.h). */
struct sd_serial_client {
    char *pd_name;
    char *name; /* `name`, default the PD's: what the banner, the prefix and <virtio_console> use */
    long line;
};

struct sd_serial {
    long line;
    char *uart; /* device-tree path or alias; NULL: the board's /chosen/stdout-path */
    uint32_t baud;
    uint32_t ring_size, log_size;
    bool log_size_set; /* written in the XML, not the default */
    bool colour, prefix, banner;
    unsigned driver_priority, tx_priority, rx_priority;
    uint32_t driver_budget_us, driver_period_us; /* the driver PD's budget and period; 0: none */
    unsigned initial_client;
    VEC(struct sd_serial_client) clients;
    struct serial_out *out; /* filled by the expansion */
};

struct sd_system {
    const char *file; /* path as given, for messages */
    VEC(struct sd_mr) mrs;
    VEC(struct sd_pd) pds; /* document order: a parent comes before its children */
    VEC(struct sd_channel) chans;
    VEC(struct sd_vm) vms;
    VEC(struct sd_guest) guests;
    VEC(struct sd_serial) serials;
};

/* Index of the memory region called name, or -1. */
int sd_find_mr(const struct sd_system *sys, const char *name);
/* resolve.c: one <map>'s region and alignment; `who` names the owner in messages. */
int sd_resolve_map(struct sd_system *sys, const char *who, struct sd_map *m);
/* resolve_vm.c: VM names, maps and vCPU ids; assigns each VM's first PD-table index. */
int sd_resolve_vms(struct sd_system *sys);

/* PD-table entries: native PDs, then every VM's vCPUs. */
size_t sd_num_vcpus(const struct sd_system *sys);
/* Client i of <serial> s: its number among the clients of the same PD, the entry of that PD's
 * serial_client_config[] it is patched into (serial_expand.c) and a VMM's port names. */
size_t sd_serial_pd_slot(const struct sd_serial *s, size_t i);

/* Parse FILE into sys (XML syntax, elements, attributes, value ranges). 0 or -1 after an error. */
int sd_parse(const char *file, struct sd_system *sys);
/* Resolve names to indices and reject duplicates and unknown names. */
int sd_resolve(struct sd_system *sys);
void sd_free(struct sd_system *sys);

#endif

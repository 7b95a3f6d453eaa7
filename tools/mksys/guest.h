/* <linux_vm> expansion: the guest's files, their placement in its RAM, passthrough devices,
 * the guest device tree and the VMM's configuration (include/vmm_config.h). */
#ifndef MKSYS_GUEST_H
#define MKSYS_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "sdesc.h"
#include "sys_limits.h"
#include "vmm_config.h"

#define GUEST_IMAGES_VADDR 0x1000000000ull /* the VMM sees guest files from here up */
#define GUEST_DTB_AREA     0x200000ull     /* the DTB's 2 MiB at the top of guest RAM */
#define GUEST_GICR_FRAME   0x20000ull      /* one GICv3 redistributor (RD + SGI frames) */
/* virtIO (guest_virtio.c): each device's register window, and where the search for a free one
 * starts unless `addr` is given: where QEMU virt puts its own virtio-mmio transports. A guest's
 * address space holds only its RAM, its passthrough devices and the GIC, so the same base
 * serves every board (the search steps over whatever of those lies there). */
#define VIRTIO_MMIO_SIZE    0x1000ull
#define VIRTIO_MMIO_BASE    0xa000000ull
#define VIRTIO_CONSOLE_COLS 80u
#define VIRTIO_CONSOLE_ROWS 24u

struct guest_out {
    struct vmm_config cfg; /* patched into the VMM's `vmm_config` */
    uint64_t load_offset;  /* where the VMM loads the kernel in RAM: the header's text_offset,
                                 or 0x80000 when its image_size is 0 (pre-3.17 kernels) */
    uint64_t footprint;    /* bytes the kernel owns from there: max(image_size, file size) */
    uint64_t kernel_ipa;   /* ram_base + load_offset */
    size_t ram_mr, kernel_mr, initrd_mr, dtb_mr; /* initrd_mr is SIZE_MAX without an initrd */
    bool kernel_in_ram; /* the image also holds the kernel in RAM at kernel_ipa (first boot) */
};

/* Expands every <linux_vm> of sys into regions, maps, IRQs and a virtual machine. Runs after
 * sd_parse and before sd_resolve; errors point at the <linux_vm> or <passthrough> line. */
int guests_expand(struct sd_system *sys, const struct board *b, const char *const *search, size_t nsearch);

/* guest_image.c: the arm64 Image header (Documentation/arch/arm64/booting.rst), as the VMM
 * reads it. 0, or -1 after an error at the <linux_vm> line naming the guest and the file. */
struct guest_image_src {
    const char *sysfile;
    long line;
    const char *guest, *path;
    const uint8_t *data;
    uint64_t len;
};
int guest_image_header(const struct guest_image_src *src, uint64_t *load_offset, uint64_t *footprint);

/* A guest's devices from the board's device tree (guest_passthrough.c). */
struct pt_range {
    uint64_t base, size; /* page-rounded */
    size_t pt;           /* the <passthrough> it came from */
};
struct pt_irq {
    uint32_t intid;
    bool edge;
    unsigned channel;
    long line;
};
struct pt_result {
    VEC(struct pt_range) ranges; /* sorted, disjoint */
    VEC(struct pt_irq) irqs;
    int *nodes; /* board-tree offset of each <passthrough> */
};
int passthrough_collect(const struct sd_system *sys, const struct sd_guest *g, const struct board *b,
                        struct pt_result *out);
void passthrough_free(struct pt_result *r);

/* What the guest device tree says (guest_dtb.c). */
struct guest_dt {
    const char *sysfile; /* for errors: the <linux_vm>'s file, line and name */
    long line;
    const char *name;
    uint64_t ram_base, ram_size;
    unsigned vcpus;
    uint64_t gicd, gicr, gicr_size;
    const char *bootargs;
    uint64_t initrd_start, initrd_end; /* equal: no initrd */
    const int *pt_nodes;               /* passthrough nodes (board-tree offsets) */
    size_t npt;
    const struct vmm_virtio_dev *virtio; /* the guest's virtio-mmio devices */
    size_t nvirtio;
};
int guest_dtb_build(const struct board *b, const struct guest_dt *p, uint8_t **out, size_t *len);
/* reg of node as (address, size) pairs in its parent's cells; a libfdt error code. */
int guest_dt_set_reg(void *fdt, int node, const uint64_t *v, int pairs);
/* guest_virtio_dt.c: a virtio_mmio@<addr> node per device (edits fdt in place; libfdt code). */
int guest_virtio_nodes(void *fdt, const struct guest_dt *p);

/* guest_virtio.c: ties each <virtio_console> to its <serial> client, places its window and
 * interrupt clear of the guest's RAM, passthrough devices, GIC and each other, and fills
 * cfg->virtio[]. Errors at the <virtio_console> line. */
int guest_virtio_place(const struct sd_system *sys, struct sd_guest *g, const struct pt_result *pt,
                       struct vmm_config *cfg);
/* guest_cpus.c: /cpus with cpu@0..vcpus-1 started through PSCI (edits fdt in place). */
int guest_cpus(void *fdt, const struct guest_dt *p);

/* guest_clocks.c: fixed clocks, in the guest's tree gfdt, for the clocks of the board node
 * pt_path and its children whose controller the guest lost (rates from the board tree bfdt). */
int guest_fixed_clocks(void *gfdt, const void *bfdt, const char *pt_path, const struct guest_dt *p);
/* Whether every clock of board node `node` has a rate the board tree gives (dt_prune.c: then a
 * clock controller the guest is not given is no reason to refuse the node). */
bool guest_clocks_fixable(const void *bfdt, int node);

/* dt_prune.c: paths (malloc'd) of the top-most board nodes the guest must not see. */
int dt_prune_plan(const struct board *b, const struct guest_dt *p, char ***paths, size_t *npaths);

#endif

/* <linux_vm> -> memory regions, VMM maps, IRQs, a <virtual_machine> and the VMM's vmm_config
 * (its virtIO devices: guest_virtio.c).
 * Guest-physical placement (the VMM re-checks it at boot):
 *   kernel  at ram_base + its load offset (ram_base is 2 MiB aligned, as Linux requires)
 *   DTB     at the last 2 MiB-aligned 2 MiB of RAM
 *   initrd  just below the DTB, page aligned, above the kernel's footprint
 * With --kernel-in-ram one guest's kernel is also stored pre-placed in its RAM (preplace_kernel). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "diag.h"
#include "files.h"
#include "guest.h"
#include "names.h"
#include "sysimg.h"

struct gx {
    struct sd_system *sys;
    const struct board *b;
    const char *const *search;
    size_t nsearch;
    struct sd_guest *g;
    struct guest_out *o;
    const uint8_t *kernel, *initrd; /* file contents, owned by their regions */
    uint64_t kernel_len, initrd_len;
};

#define GERR(x, ...) err_at((x)->sys->file, (x)->g->line, __VA_ARGS__)

static size_t add_mr(struct sd_system *sys, const char *base, uint64_t size, uint64_t page, long line)
{
    char clean[240], name[256];
    snprintf(clean, sizeof clean, "%s", base);
    name_sanitize(clean); /* file and board node names are not always valid region names */
    snprintf(name, sizeof name, "%s", clean);
    for (int k = 2; sd_find_mr(sys, name) >= 0; k++) /* a clash gets _2, _3, ... */
        snprintf(name, sizeof name, "%s_%d", clean, k);
    struct sd_mr *mr = VEC_PUSH(sys->mrs);
    mr->name = xstrdup(name);
    mr->size = size;
    mr->page_size = page;
    mr->line = line;
    return (size_t)(mr - sys->mrs.v);
}

static void add_map(struct sd_map *m, const struct sd_mr *mr, uint64_t vaddr, uint32_t perms, bool cached,
                    long line)
{
    *m = (struct sd_map){
        .mr_name = xstrdup(mr->name), .vaddr = vaddr, .perms = perms, .cached = cached, .line = line
    };
}

/* A guest file as a region holding its bytes; one region per file however many guests use it. */
static int load_file(struct gx *x, const char *name, const char *what, size_t *mr_out)
{
    char *path = files_find(name, x->search, x->nsearch);
    if (!path) {
        char dirs[512];
        files_search_list(dirs, sizeof dirs, x->search, x->nsearch);
        return GERR(x, "guest '%s': %s '%s' not found in the search path (%s)", x->g->name, what, name, dirs);
    }
    char *real = realpath(path, NULL);
    for (size_t i = 0; real && i < x->sys->mrs.n; i++) {
        const struct sd_mr *mr = &x->sys->mrs.v[i];
        char *other = mr->from_file ? realpath(mr->source, NULL) : NULL;
        bool same = other && !strcmp(other, real);
        free(other);
        if (same) {
            *mr_out = i;
            free(path);
            free(real);
            return 0;
        }
    }
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = files_read(path, what, &data, &len);
    if (!rc && len == 0)
        rc = GERR(x, "guest '%s': %s '%s' is empty", x->g->name, what, path);
    if (rc) {
        free(data);
        free(path);
        free(real);
        return -1;
    }
    const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    char mrname[256];
    snprintf(mrname, sizeof mrname, "file_%s", base);
    *mr_out = add_mr(x->sys, mrname, align_up(len, PAGE_4K), PAGE_4K, x->g->line);
    struct sd_mr *mr = &x->sys->mrs.v[*mr_out];
    mr->data = data;
    mr->data_len = len;
    mr->source = path; /* as found on the search path; the region owns it now */
    mr->from_file = true;
    free(real);
    return 0;
}

static int load_files(struct gx *x)
{
    struct sd_guest *g = x->g;
    if (load_file(x, g->kernel, "kernel", &x->o->kernel_mr))
        return -1;
    const struct sd_mr *k = &x->sys->mrs.v[x->o->kernel_mr];
    x->kernel = k->data;
    x->kernel_len = k->data_len;
    struct guest_image_src src = { x->sys->file, g->line, g->name, k->source, x->kernel, x->kernel_len };
    if (guest_image_header(&src, &x->o->load_offset, &x->o->footprint))
        return -1;
    x->o->initrd_mr = SIZE_MAX;
    if (g->initrd) {
        if (load_file(x, g->initrd, "initrd", &x->o->initrd_mr))
            return -1;
        x->initrd = x->sys->mrs.v[x->o->initrd_mr].data;
        x->initrd_len = x->sys->mrs.v[x->o->initrd_mr].data_len;
    }
    return 0;
}

static int check_ram(struct gx *x)
{
    const struct sd_guest *g = x->g;
    if (g->ram_base % PAGE_2M)
        return GERR(x,
                    "guest '%s': ram_base 0x%llx is not 2 MiB aligned (Linux needs a 2 MiB aligned RAM base)",
                    g->name, (unsigned long long)g->ram_base);
    if (g->ram_size == 0 || g->ram_size % PAGE_4K || g->ram_size > ADDR_LIMIT)
        return GERR(x,
                    "guest '%s': ram_size 0x%llx must be a non-zero multiple of 0x1000 within the 48-bit "
                    "address space",
                    g->name, (unsigned long long)g->ram_size);
    if (g->ram_base > ADDR_LIMIT - g->ram_size) /* ram_size is sane: the base is what is out of range */
        return GERR(x,
                    "guest '%s': ram_base 0x%llx with ram_size 0x%llx extends past the 48-bit address space",
                    g->name, (unsigned long long)g->ram_base, (unsigned long long)g->ram_size);
    uint64_t gicr_size = GUEST_GICR_FRAME * g->vcpus;
    if (ranges_overlap(g->ram_base, g->ram_size, x->b->gicd_base, SYS_GICD_SIZE) ||
        ranges_overlap(g->ram_base, g->ram_size, x->b->gicr_base, gicr_size))
        return GERR(x,
                    "guest '%s': RAM 0x%llx-0x%llx overlaps the GIC the VMM emulates (GICD 0x%llx, GICR "
                    "0x%llx-0x%llx)",
                    g->name, (unsigned long long)g->ram_base, (unsigned long long)(g->ram_base + g->ram_size),
                    (unsigned long long)x->b->gicd_base, (unsigned long long)x->b->gicr_base,
                    (unsigned long long)(x->b->gicr_base + gicr_size));
    return 0;
}

static int place(struct gx *x)
{
    const struct sd_guest *g = x->g;
    struct vmm_config *c = &x->o->cfg;
    uint64_t top = align_down(g->ram_base + g->ram_size, PAGE_2M);
    uint64_t to = x->o->load_offset, isz = x->o->footprint;
    bool fits = top >= g->ram_base + GUEST_DTB_AREA && to <= g->ram_size && isz <= g->ram_size - to;
    if (fits) {
        c->dtb_ipa = top - GUEST_DTB_AREA;
        fits = x->initrd_len <= c->dtb_ipa - g->ram_base;
    }
    if (fits) {
        c->initrd_ipa = x->initrd_len ? align_down(c->dtb_ipa - x->initrd_len, PAGE_4K) : 0;
        x->o->kernel_ipa = g->ram_base + to;
        fits = x->o->kernel_ipa + isz <= (x->initrd_len ? c->initrd_ipa : c->dtb_ipa);
    }
    if (!fits)
        return GERR(
            x,
            "guest '%s': kernel (%llu bytes) + initrd (%llu bytes) + DTB do not fit in its RAM of %llu bytes",
            g->name, (unsigned long long)isz, (unsigned long long)x->initrd_len,
            (unsigned long long)g->ram_size);
    return 0;
}

/* A free, 2 MiB aligned VMM address from GUEST_IMAGES_VADDR up for `size` bytes. */
static uint64_t vmm_vaddr(const struct sd_system *sys, const struct sd_pd *vmm, uint64_t size)
{
    uint64_t v = GUEST_IMAGES_VADDR;
    for (bool moved = true; moved;) {
        moved = false;
        for (size_t i = 0; i < vmm->maps.n; i++) {
            int r = sd_find_mr(sys, vmm->maps.v[i].mr_name);
            uint64_t msize = r >= 0 ? sys->mrs.v[r].size : 0, mv = vmm->maps.v[i].vaddr;
            if (msize && mv < ADDR_LIMIT && ranges_overlap(v, size, mv, msize)) {
                v = align_up(mv + msize, PAGE_2M);
                moved = true;
            }
        }
    }
    return v;
}

static uint64_t map_into_vmm(struct gx *x, size_t mr, uint32_t perms, uint64_t vaddr)
{
    struct sd_pd *vmm = &x->sys->pds.v[x->g->vmm];
    const struct sd_mr *r = &x->sys->mrs.v[mr];
    if (vaddr == UINT64_MAX)
        vaddr = vmm_vaddr(x->sys, vmm, r->size);
    add_map(VEC_PUSH(vmm->maps), r, vaddr, perms, true, x->g->line);
    return vaddr;
}

static int make_dtb(struct gx *x, const struct pt_result *pt)
{
    const struct sd_guest *g = x->g;
    struct vmm_config *c = &x->o->cfg;
    struct guest_dt p = {
        .sysfile = x->sys->file,
        .line = g->line,
        .name = g->name,
        .ram_base = g->ram_base,
        .ram_size = g->ram_size,
        .vcpus = g->vcpus,
        .gicd = c->gicd_ipa,
        .gicr = c->gicr_ipa,
        .gicr_size = c->gicr_size,
        .bootargs = g->bootargs,
        .initrd_start = c->initrd_ipa,
        .initrd_end = c->initrd_ipa + x->initrd_len,
        .pt_nodes = pt->nodes,
        .npt = g->pt.n,
        .virtio = c->virtio,
        .nvirtio = c->num_virtio,
    };
    uint8_t *dtb;
    size_t len;
    if (guest_dtb_build(x->b, &p, &dtb, &len))
        return -1;
    if (len > GUEST_DTB_AREA) {
        free(dtb);
        return GERR(x, "guest '%s': its device tree is %zu bytes, more than the 2 MiB reserved for it",
                    g->name, len);
    }
    char name[128], source[128];
    snprintf(name, sizeof name, "%s_dtb", g->name);
    snprintf(source, sizeof source, "device tree of guest '%s'", g->name);
    x->o->dtb_mr = add_mr(x->sys, name, align_up(len, PAGE_4K), PAGE_4K, g->line);
    struct sd_mr *mr = &x->sys->mrs.v[x->o->dtb_mr];
    mr->data = dtb;
    mr->data_len = len;
    mr->source = xstrdup(source);
    c->dtb_size = len;
    return 0;
}

/* Each vCPU's core: as cpus="..." says, else one per core from the VMM's on (wrapping) when the
 * board has a core for each, else all on the VMM's core. The VMM's own cpu is checked later
 * (check.c); the modulo keeps the sum from overflowing whatever it is. */
static int vcpu_cores(struct gx *x, uint64_t cpu[SYS_VM_MAX_VCPUS])
{
    const struct sd_guest *g = x->g;
    uint64_t vmm_cpu = x->sys->pds.v[g->vmm].cpu, n = x->b->num_cpus;
    for (unsigned k = 0; k < g->vcpus; k++) {
        cpu[k] = g->has_cpus ? g->cpus[k] : n >= g->vcpus ? (vmm_cpu % n + k) % n : vmm_cpu;
        char cores[48];
        if (g->has_cpus && cpu[k] >= n)
            return GERR(x, "guest '%s': cpus: vCPU %u on cpu %llu but board has %s", g->name, k,
                        (unsigned long long)cpu[k], board_cores(x->b, cores, sizeof cores));
    }
    return 0;
}

/* The VM itself: vCPUs 0..n-1, RAM (rwx) and the passthrough registers at their own addresses. */
static void make_vm(struct gx *x, const struct pt_result *pt, const uint64_t *cpu)
{
    struct sd_guest *g = x->g;
    struct sd_system *sys = x->sys;
    size_t idx = sys->vms.n;
    struct sd_vm *vm = VEC_PUSH(sys->vms);
    vm->name = xstrdup(g->name);
    vm->line = g->line;
    vm->priority = g->priority;
    vm->vmm = g->vmm;
    vm->vtimer_to_vmm = g->vtimer_to_vmm;
    for (unsigned k = 0; k < g->vcpus; k++)
        *VEC_PUSH(vm->vcpus) = (struct sd_vcpu){ k, g->line, cpu[k] };
    add_map(VEC_PUSH(vm->maps), &sys->mrs.v[x->o->ram_mr], g->ram_base,
            SYSIMG_PERM_R | SYSIMG_PERM_W | SYSIMG_PERM_X, true, g->line);
    for (size_t i = 0; i < pt->ranges.n; i++) {
        const struct pt_range *r = &pt->ranges.v[i];
        const struct sd_passthrough *p = &g->pt.v[r->pt];
        char name[256];
        const char *node = fdt_get_name(x->b->fdt, pt->nodes[r->pt], NULL);
        snprintf(name, sizeof name, "%s_%s", g->name, node ? node : "dev");
        size_t mi = add_mr(sys, name, r->size, PAGE_4K, p->line);
        struct sd_mr *mr = &sys->mrs.v[mi];
        mr->fixed = true;
        mr->phys_addr = mr->pa = r->base;
        char path[200];
        if (fdt_get_path(x->b->fdt, pt->nodes[r->pt], path, sizeof path))
            snprintf(path, sizeof path, "%s", p->node);
        name_printable(path, sizeof path, path); /* for the report: no raw bytes from the board */
        snprintf(name, sizeof name, "registers of %s", path);
        mr->source = xstrdup(name);
        add_map(VEC_PUSH(sys->vms.v[idx].maps), mr, r->base, SYSIMG_PERM_R | SYSIMG_PERM_W, false, p->line);
    }
    sys->pds.v[g->vmm].vm = (int)idx;
    struct vmm_config *c = &x->o->cfg;
    for (size_t i = 0; i < pt->irqs.n; i++) {
        const struct pt_irq *q = &pt->irqs.v[i];
        *VEC_PUSH(sys->pds.v[g->vmm].irqs) = (struct sd_irq){ q->intid, q->channel, q->edge, q->line };
        c->irqs[c->num_irqs++] = (struct vmm_passthrough_irq){ q->intid, q->channel };
    }
}

static int expand(struct gx *x)
{
    struct sd_guest *g = x->g;
    struct vmm_config *c = &x->o->cfg;
    c->magic = VMM_CONFIG_MAGIC;
    c->version = VMM_CONFIG_VERSION;
    snprintf(c->vm_name, sizeof c->vm_name, "%s", g->name);
    c->vcpu_id = 0;
    c->ram_ipa = c->ram_vaddr = g->ram_base;
    c->ram_size = g->ram_size;
    c->gicd_ipa = x->b->gicd_base;
    c->gicr_ipa = x->b->gicr_base;
    c->gicr_size = GUEST_GICR_FRAME * g->vcpus;
    c->flags = g->stop_on_foreign ? VMM_CONFIG_F_STOP_ON_FOREIGN : 0;
    struct pt_result pt = { 0 };
    uint64_t cpu[SYS_VM_MAX_VCPUS] = { 0 };
    if (vcpu_cores(x, cpu) || check_ram(x) || load_files(x) || place(x) ||
        passthrough_collect(x->sys, g, x->b, &pt) || guest_virtio_place(x->sys, g, &pt, c)) {
        passthrough_free(&pt);
        return -1;
    }
    int rc = make_dtb(x, &pt);
    if (!rc) {
        c->kernel_size = x->kernel_len;
        c->initrd_size = x->initrd_len;
        uint64_t ram_page = g->ram_size % PAGE_2M ? PAGE_4K : PAGE_2M;
        char name[128], source[128];
        snprintf(name, sizeof name, "%s_ram", g->name);
        snprintf(source, sizeof source, "RAM of guest '%s'", g->name);
        x->o->ram_mr = add_mr(x->sys, name, g->ram_size, ram_page, g->line);
        x->sys->mrs.v[x->o->ram_mr].nozero =
            true; /* the guest clears what it uses; zeroing costs boot time */
        x->sys->mrs.v[x->o->ram_mr].source = xstrdup(source);
        map_into_vmm(x, x->o->ram_mr, SYSIMG_PERM_R | SYSIMG_PERM_W, g->ram_base);
        c->kernel_vaddr = map_into_vmm(x, x->o->kernel_mr, SYSIMG_PERM_R, UINT64_MAX);
        if (x->initrd_len)
            c->initrd_vaddr = map_into_vmm(x, x->o->initrd_mr, SYSIMG_PERM_R, UINT64_MAX);
        c->dtb_vaddr = map_into_vmm(x, x->o->dtb_mr, SYSIMG_PERM_R, UINT64_MAX);
        make_vm(x, &pt, cpu);
    }
    passthrough_free(&pt);
    return rc;
}

/* The boot image is one contiguous file, so only the RAM region that ends it can start with
 * stored bytes without the file holding the whole of another guest's RAM (layout.c). That
 * guest's kernel is stored a second time, at its load address in its RAM, and its VMM's first
 * boot copies nothing; the region holding the file stays the pristine copy for resets and for
 * any other guest using it. The largest kernel saves most (the first of equals gets it); a
 * load offset of 2 MiB or more (never a real Linux) is not worth storing as zeros. */
static void preplace_kernel(struct sd_system *sys)
{
    struct guest_out *best = NULL;
    for (size_t i = 0; i < sys->guests.n; i++) {
        struct guest_out *o = sys->guests.v[i].out;
        if (o->load_offset < PAGE_2M && (!best || o->cfg.kernel_size > best->cfg.kernel_size))
            best = o;
    }
    if (!best)
        return;
    struct sd_mr *ram = &sys->mrs.v[best->ram_mr];
    const struct sd_mr *k = &sys->mrs.v[best->kernel_mr];
    ram->data_len = best->load_offset + k->data_len; /* place() checked it fits in RAM */
    ram->data = xcalloc(1, ram->data_len);
    memcpy(ram->data + best->load_offset, k->data, k->data_len);
    char source[200];
    snprintf(source, sizeof source, "RAM of guest '%s', its kernel pre-placed at +0x%llx", best->cfg.vm_name,
             (unsigned long long)best->load_offset);
    free(ram->source);
    ram->source = xstrdup(source);
    best->kernel_in_ram = true;
    best->cfg.flags |= VMM_CONFIG_F_KERNEL_IN_RAM;
}

int guests_expand(struct sd_system *sys, const struct board *b, const char *const *search, size_t nsearch)
{
    for (size_t i = 0; i < sys->guests.n; i++) {
        struct sd_guest *g = &sys->guests.v[i];
        g->out = xcalloc(1, sizeof *g->out);
        struct gx x = { sys, b, search, nsearch, g, g->out, NULL, NULL, 0, 0 };
        if (expand(&x))
            return -1;
    }
    if (b->kernel_in_ram)
        preplace_kernel(sys);
    return 0;
}

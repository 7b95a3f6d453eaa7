/* A <linux_vm>'s virtIO devices: the <serial> client behind each console, its register window
 * and interrupt in the guest, and the VMM's vmm_config.virtio[] entries. The window is not
 * mapped (every access traps to the VMM, which emulates it), so it must be clear of all the
 * guest has mapped or the VMM already emulates: RAM, passthrough registers, the GIC and the
 * other devices' windows. Given values are placed first, so a default never takes one of them. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "guest.h"

typedef unsigned long long ull;

struct obstacle {
    uint64_t base, size;
    char what[160];
};

struct vx {
    const struct sd_system *sys;
    struct sd_guest *g;
    VEC(struct obstacle) taken;       /* guest-physical ranges a window may not overlap */
    long spi_line[SYS_VGIC_NUM_SPIS]; /* line of what uses each SPI, 0 = free */
    bool spi_virtio[SYS_VGIC_NUM_SPIS];
};

#define VERR(x, v, ...) err_at((x)->sys->file, (v)->line, __VA_ARGS__)

static void take(struct vx *x, uint64_t base, uint64_t size, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void take(struct vx *x, uint64_t base, uint64_t size, const char *fmt, ...)
{
    struct obstacle *o = VEC_PUSH(x->taken);
    o->base = base;
    o->size = size;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->what, sizeof o->what, fmt, ap);
    va_end(ap);
}

static void collect(struct vx *x, const struct pt_result *pt, const struct vmm_config *cfg)
{
    const struct sd_guest *g = x->g;
    take(x, g->ram_base, g->ram_size, "its RAM 0x%llx-0x%llx", (ull)g->ram_base,
         (ull)(g->ram_base + g->ram_size));
    take(x, cfg->gicd_ipa, SYS_GICD_SIZE, "the GIC distributor the VMM emulates (0x%llx-0x%llx)",
         (ull)cfg->gicd_ipa, (ull)(cfg->gicd_ipa + SYS_GICD_SIZE));
    take(x, cfg->gicr_ipa, cfg->gicr_size, "the GIC redistributors the VMM emulates (0x%llx-0x%llx)",
         (ull)cfg->gicr_ipa, (ull)(cfg->gicr_ipa + cfg->gicr_size));
    for (size_t i = 0; i < pt->ranges.n; i++) {
        const struct pt_range *r = &pt->ranges.v[i];
        const struct sd_passthrough *p = &g->pt.v[r->pt];
        take(x, r->base, r->size, "the registers of passthrough node '%s' (line %ld, 0x%llx-0x%llx)", p->node,
             p->line, (ull)r->base, (ull)(r->base + r->size));
    }
    for (size_t i = 0; i < pt->irqs.n; i++) /* passthrough decoding keeps them below the vGIC's SPIs */
        x->spi_line[pt->irqs.v[i].intid - 32] = pt->irqs.v[i].line;
}

static const struct obstacle *hit(const struct vx *x, uint64_t base)
{
    for (size_t i = 0; i < x->taken.n; i++)
        if (ranges_overlap(base, VIRTIO_MMIO_SIZE, x->taken.v[i].base, x->taken.v[i].size))
            return &x->taken.v[i];
    return NULL;
}

/* Only one <serial> per system (serials_expand refuses a second), so its clients are the ones.
 * Errors at the port's line (the <virtio_console>'s own for port 0). */
static int find_client(struct vx *x, struct sd_virtio *v, struct sd_vport *p)
{
    const char *guest = x->g->name, *vmm = x->sys->pds.v[x->g->vmm].name;
    const char *el = p == &v->ports.v[0] ? "<virtio_console>" : "<port>";
    if (!x->sys->serials.n)
        return err_at(x->sys->file, p->line,
                      "guest '%s': %s client '%s': the system has no <serial> to back it", guest, el,
                      p->client);
    const struct sd_serial *s = &x->sys->serials.v[0];
    size_t i = 0;
    while (i < s->clients.n && strcmp(s->clients.v[i].name, p->client))
        i++;
    if (i == s->clients.n)
        return err_at(x->sys->file, p->line,
                      "guest '%s': %s client '%s' is not a client of the <serial> on line %ld", guest, el,
                      p->client, s->line);
    const struct sd_serial_client *c = &s->clients.v[i];
    /* the VMM moves the console's bytes through its own rings: the client must be the VMM */
    if (strcmp(c->pd_name, vmm))
        return err_at(x->sys->file, p->line,
                      "guest '%s': %s client '%s' is PD '%s' (line %ld), not the guest's VMM '%s'", guest, el,
                      p->client, c->pd_name, c->line, vmm);
    /* a client's rings carry one stream: one port of one console (a PD has one VM) */
    for (size_t k = 0; k < x->g->virtio.n; k++) {
        const struct sd_virtio *o = &x->g->virtio.v[k];
        for (size_t j = 0; j < o->ports.n && &o->ports.v[j] != p; j++)
            if (o->ports.v[j].serial == i)
                return err_at(x->sys->file, p->line,
                              "guest '%s': %s client '%s' already backs port %zu of the console on line %ld",
                              guest, el, p->client, j, o->line);
        if (o == v)
            break;
    }
    p->serial = i;
    p->pd_index = (unsigned)sd_serial_pd_slot(s, i);
    return 0;
}

static int place_window(struct vx *x, struct sd_virtio *v)
{
    const struct obstacle *o;
    if (v->has_addr && (o = hit(x, v->addr)))
        return VERR(x, v, "guest '%s': <virtio_console> window 0x%llx-0x%llx overlaps %s", x->g->name,
                    (ull)v->addr, (ull)(v->addr + VIRTIO_MMIO_SIZE), o->what);
    if (!v->has_addr) {
        uint64_t a = VIRTIO_MMIO_BASE; /* taken ranges end below 2^48: no wrap */
        while ((o = hit(x, a)))
            a = align_up(o->base + o->size, VIRTIO_MMIO_SIZE);
        if (a + VIRTIO_MMIO_SIZE > SYS_VM_IPA_END)
            return VERR(x, v, "guest '%s': <virtio_console>: no free window for it below 0x%llx", x->g->name,
                        (ull)SYS_VM_IPA_END);
        v->addr = a;
    }
    take(x, v->addr, VIRTIO_MMIO_SIZE, "the window of the <virtio_console> on line %ld (0x%llx-0x%llx)",
         v->line, (ull)v->addr, (ull)(v->addr + VIRTIO_MMIO_SIZE));
    return 0;
}

static int place_spi(struct vx *x, struct sd_virtio *v)
{
    if (v->has_spi && x->spi_line[v->spi])
        return VERR(x, v,
                    "guest '%s': <virtio_console> spi %u (INTID %u) is already used by the <%s> on line %ld",
                    x->g->name, v->spi, v->spi + 32, x->spi_virtio[v->spi] ? "virtio_console" : "passthrough",
                    x->spi_line[v->spi]);
    if (!v->has_spi) {
        unsigned s = 0;
        while (s < SYS_VGIC_NUM_SPIS && x->spi_line[s])
            s++;
        if (s == SYS_VGIC_NUM_SPIS)
            return VERR(x, v, "guest '%s': <virtio_console>: every SPI of the virtual GIC is taken",
                        x->g->name);
        v->spi = s;
    }
    x->spi_line[v->spi] = v->line;
    x->spi_virtio[v->spi] = true;
    return 0;
}

static int place(struct vx *x)
{
    struct sd_guest *g = x->g;
    for (int pass = 0; pass < 2; pass++) /* given values first, then the defaults around them */
        for (size_t k = 0; k < g->virtio.n; k++) {
            struct sd_virtio *v = &g->virtio.v[k];
            if ((v->has_addr == !pass && place_window(x, v)) || (v->has_spi == !pass && place_spi(x, v)))
                return -1;
        }
    for (size_t k = 0; k < g->virtio.n; k++)
        for (size_t j = 0; j < g->virtio.v[k].ports.n; j++)
            if (find_client(x, &g->virtio.v[k], &g->virtio.v[k].ports.v[j]))
                return -1;
    return 0;
}

int guest_virtio_place(const struct sd_system *sys, struct sd_guest *g, const struct pt_result *pt,
                       struct vmm_config *cfg)
{
    struct vx x = { .sys = sys, .g = g };
    collect(&x, pt, cfg);
    int rc = place(&x);
    free(x.taken.v);
    if (rc)
        return -1;
    for (size_t k = 0; k < g->virtio.n; k++) {
        const struct sd_virtio *v = &g->virtio.v[k];
        struct vmm_virtio_dev *d = &cfg->virtio[k];
        *d = (struct vmm_virtio_dev){ .device_id = v->device_id,
                                      .intid = 32 + v->spi,
                                      .mmio_ipa = v->addr,
                                      .mmio_size = VIRTIO_MMIO_SIZE,
                                      .flags = (v->multiport ? VMM_VIRTIO_F_MULTIPORT : 0) |
                                               (v->resize_rows_first ? VMM_VIRTIO_F_RESIZE_ROWS_FIRST : 0),
                                      .cols = (uint16_t)v->cols,
                                      .rows = (uint16_t)v->rows,
                                      .num_ports = (uint32_t)v->ports.n };
        for (size_t j = 0; j < v->ports.n; j++) {
            const struct sd_vport *p = &v->ports.v[j];
            d->ports[j].serial_client = p->pd_index;
            d->ports[j].flags = p->console || j == 0 ? VMM_PORT_F_CONSOLE : 0;
            snprintf(d->ports[j].name, VMM_PORT_NAME_LEN, "%s", p->name ? p->name : "");
        }
    }
    cfg->num_virtio = (uint32_t)g->virtio.n;
    return 0;
}

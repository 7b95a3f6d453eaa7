/* <virtio_console> inside a <linux_vm>: only recorded, with its values range-checked, here;
 * guest_virtio.c ties it to its <serial> client and places it once the board is known. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "names.h"
#include "parse.h"

typedef unsigned long long ull;

/* cols and rows: the console size is two 16-bit fields of the device's configuration. */
static int size_attr(struct ctx *c, xmlNodePtr n, const struct sd_guest *g, const char *attr, unsigned *out)
{
    uint64_t v = *out;
    if (xa_u64(c->file, n, attr, false, &v))
        return -1;
    if (v < 1 || v > UINT16_MAX)
        return err_at(c->file, xa_line(n), "guest '%s': <virtio_console> %s %llu out of range 1..%u", g->name,
                      attr, (ull)v, (unsigned)UINT16_MAX);
    *out = (unsigned)v;
    return 0;
}

static int window(struct ctx *c, xmlNodePtr n, const struct sd_guest *g, struct sd_virtio *v)
{
    v->has_addr = xa_has(n, "addr");
    if (!v->has_addr)
        return 0;
    if (xa_u64(c->file, n, "addr", true, &v->addr))
        return -1;
    if (v->addr % VIRTIO_MMIO_SIZE)
        return err_at(
            c->file, v->line,
            "guest '%s': <virtio_console> addr 0x%llx is not aligned to 0x%llx (its register window)",
            g->name, (ull)v->addr, (ull)VIRTIO_MMIO_SIZE);
    /* the guest's accesses must reach the VMM as stage-2 faults, inside the VM's input range */
    if (v->addr >= SYS_VM_IPA_END || VIRTIO_MMIO_SIZE > SYS_VM_IPA_END - v->addr)
        return err_at(
            c->file, v->line,
            "guest '%s': <virtio_console> window at 0x%llx is beyond the kernel's %u-bit stage-2 input "
            "range for a VM (IPAs below 0x%llx)",
            g->name, (ull)v->addr, SYS_VM_IPA_BITS, (ull)SYS_VM_IPA_END);
    return 0;
}

static int spi(struct ctx *c, xmlNodePtr n, const struct sd_guest *g, struct sd_virtio *v)
{
    v->has_spi = xa_has(n, "spi");
    uint64_t s = 0;
    if (!v->has_spi)
        return 0;
    if (xa_u64(c->file, n, "spi", true, &s))
        return -1;
    if (s >= SYS_VGIC_NUM_SPIS)
        return err_at(c->file, v->line,
                      "guest '%s': <virtio_console> spi %llu out of range 0..%u (the virtual GIC implements "
                      "INTIDs 32..%u)",
                      g->name, (ull)s, SYS_VGIC_NUM_SPIS - 1, 32 + SYS_VGIC_NUM_SPIS - 1);
    v->spi = (unsigned)s;
    return 0;
}

/* A port's name reaches the guest's sysfs: short, and only characters a file name takes. */
static int port_name(struct ctx *c, xmlNodePtr n, const struct sd_guest *g, struct sd_vport *p)
{
    if (xa_str(c->file, n, "name", false, &p->name) || !p->name)
        return 0;
    char what[128];
    snprintf(what, sizeof what, "guest '%s': <%s> port", g->name, (const char *)n->name);
    return name_check(c->file, p->line, what, p->name, VMM_PORT_NAME_LEN - 1);
}

static int port_child(struct ctx *c, xmlNodePtr parent, xmlNodePtr ch, void *arg)
{
    static const char *const attrs[] = { "client", "name", "console", NULL };
    struct sd_guest *g = arg;
    struct sd_virtio *v = &g->virtio.v[g->virtio.n - 1];
    if (strcmp((const char *)ch->name, "port"))
        return unknown_child(c, parent, ch);
    if (v->ports.n == VMM_CONSOLE_PORTS)
        return err_at(c->file, xa_line(ch),
                      "guest '%s': <virtio_console> has more than %u ports (its own client and %u <port>s: "
                      "the transport's %u queues)",
                      g->name, VMM_CONSOLE_PORTS, VMM_CONSOLE_PORTS - 1, 2 + 2 * VMM_CONSOLE_PORTS);
    struct sd_vport *p = VEC_PUSH(v->ports);
    p->line = xa_line(ch);
    v->multiport = true;
    if (xa_allowed(c->file, ch, attrs) || xa_str(c->file, ch, "client", true, &p->client) ||
        port_name(c, ch, g, p) || xa_bool(c->file, ch, "console", &p->console))
        return -1;
    return 0;
}

/* resize_order: which of the two RESIZE payload orders the guest's kernel reads. The default is
 * the specification's, which Linux reads since its 2025 fix (in 6.1.y stable too: Debian's
 * 6.1.0-57, our guests' kernel, does); older kernels need "rows_cols". */
static int resize_order(struct ctx *c, xmlNodePtr n, const struct sd_guest *g, struct sd_virtio *v)
{
    char *o = NULL;
    v->resize_rows_first = false;
    if (xa_str(c->file, n, "resize_order", false, &o) || !o)
        return o ? -1 : 0;
    int rc = 0;
    if (!strcmp(o, "rows_cols"))
        v->resize_rows_first = true;
    else if (strcmp(o, "cols_rows"))
        rc = err_at(
            c->file, v->line,
            "guest '%s': <virtio_console> resize_order must be \"cols_rows\" (the virtIO specification, "
            "Linux since its 2025 fix) or \"rows_cols\" (older Linux), not \"%s\"",
            g->name, o);
    free(o);
    return rc;
}

int parse_virtio_console(struct ctx *c, xmlNodePtr n, struct sd_guest *g)
{
    static const char *const attrs[] = {
        "client", "name", "cols", "rows", "spi", "addr", "resize_order", NULL
    };
    long line = xa_line(n);
    if (g->virtio.n == VMM_MAX_VIRTIO)
        return err_at(c->file, line, "guest '%s' has more than %u virtIO devices (VMM_MAX_VIRTIO)", g->name,
                      VMM_MAX_VIRTIO);
    /* <passthrough irq_id> is a VMM channel id; an emulated device's interrupt needs no channel */
    if (xa_has(n, "irq_id"))
        return err_at(c->file, line,
                      "guest '%s': <virtio_console> takes its interrupt as spi=\"N\" (an SPI number), not "
                      "irq_id (a VMM channel id, which an emulated device does not need)",
                      g->name);
    struct sd_virtio *v = VEC_PUSH(g->virtio);
    v->device_id = VMM_VIRTIO_CONSOLE;
    v->line = line;
    v->cols = VIRTIO_CONSOLE_COLS;
    v->rows = VIRTIO_CONSOLE_ROWS;
    struct sd_vport *p0 = VEC_PUSH(v->ports);
    p0->line = line;
    p0->console = true;
    if (xa_allowed(c->file, n, attrs) || xa_str(c->file, n, "client", true, &p0->client) ||
        port_name(c, n, g, p0))
        return -1;
    v->multiport = p0->name != NULL; /* a name needs MULTIPORT's PORT_NAME */
    if (for_children(c, n, port_child, g) || size_attr(c, n, g, "cols", &v->cols) ||
        size_attr(c, n, g, "rows", &v->rows) || window(c, n, g, v) || spi(c, n, g, v) ||
        resize_order(c, n, g, v))
        return -1;
    return 0;
}

/* vGIC reset state, INTID -> state lookup, SPI routing, the log helpers and ID registers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vgic_internal.h"

void vgic_set_name(struct vgic *g, const char *guest)
{
    size_t n = 0;
    if (guest != NULL) {
        n = strnlen(guest, sizeof(g->name) - 1);
        memcpy(g->name, guest, n);
    }
    g->name[n] = '\0';
}

void vgic_log(const struct vgic *g, const char *fmt, ...)
{
    char line[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    printf("vmm: guest '%s': vgic: %s\n", g->name[0] != '\0' ? g->name : "?", line);
}

void vgic_init(struct vgic *g, uint64_t gicd_ipa, uint64_t gicr_ipa, unsigned num_vcpus)
{
    /* A reboot's reset forgets everything but whose vGIC it is. */
    char name[VGIC_NAME_LEN];
    uint32_t quiet[VGIC_NUM_SPIS / 32];
    memcpy(name, g->name, sizeof(name));
    memcpy(quiet, g->quiet, sizeof(quiet));
    memset(g, 0, sizeof(*g));
    memcpy(g->name, name, sizeof(name));
    memcpy(g->quiet, quiet, sizeof(quiet));
    g->name[VGIC_NAME_LEN - 1] = '\0';
    g->gicd_ipa = gicd_ipa;
    g->gicr_ipa = gicr_ipa;
    if (num_vcpus == 0 || num_vcpus > VGIC_MAX_VCPUS) {
        vgic_log(g, "%u vCPUs requested, supporting 1..%u; using %u", num_vcpus, (unsigned)VGIC_MAX_VCPUS,
                 num_vcpus ? (unsigned)VGIC_MAX_VCPUS : 1u);
        num_vcpus = num_vcpus ? VGIC_MAX_VCPUS : 1;
    }
    g->num_vcpus = num_vcpus;
    /* Group resets to 1 (the reset value is UNKNOWN in the architecture): a guest that never
     * writes IGROUPR still gets its interrupts, and Linux writes all-ones anyway. */
    for (unsigned i = 0; i < VGIC_NUM_SPIS / 32; i++)
        g->spi[i].group = ~0u;
    for (unsigned v = 0; v < VGIC_MAX_VCPUS; v++) {
        struct vgic_vcpu *c = &g->cpu[v];
        c->priv.group = ~0u;
        c->priv.edge = 0xffffu; /* SGIs are always edge-triggered */
        c->asleep = true;       /* a redistributor comes out of reset asleep */
        for (unsigned lr = 0; lr < VGIC_NUM_LRS; lr++)
            c->lr_intid[lr] = VGIC_LR_FREE;
    }
    /* irouter = 0 routes every SPI to vCPU 0. */
}

void vgic_set_quiet(struct vgic *g, uint32_t intid)
{
    if (intid < 32 || intid >= VGIC_NUM_IRQS) {
        vgic_log(g, "quiet delivery asked for INTID %u, which is no SPI; ignored", (unsigned)intid);
        return;
    }
    g->quiet[(intid - 32) / 32] |= 1u << (intid % 32);
}

void vgic_set_eoi_callback(struct vgic *g, vgic_eoi_fn fn, void *ctx)
{
    g->eoi_fn = fn;
    g->eoi_ctx = ctx;
}

/* intid < VGIC_NUM_IRQS and vcpu < num_vcpus are the caller's to check. */
struct vgic_bank *vgic_bank_of(struct vgic *g, unsigned vcpu, uint32_t intid)
{
    if (intid < 32)
        return &g->cpu[vcpu].priv;
    return &g->spi[intid / 32 - 1];
}

/* IRM=1 (any one PE) picks vCPU 0; otherwise the vCPU whose affinity is 0.0.0.Aff0. An affinity
 * that names no vCPU routes nowhere: the SPI stays pending until IROUTER is fixed. */
void vgic_route_update(struct vgic *g, unsigned spi)
{
    uint64_t r = g->irouter[spi];
    uint8_t t = VGIC_NO_VCPU;

    if (r & VGIC_IROUTER_IRM)
        t = 0;
    else if ((r & 0xffff00u) == 0 && (r & 0xffu) < g->num_vcpus)
        t = (uint8_t)(r & 0xffu);
    g->target[spi] = t;
}

/* True the first time key is seen: the caller then prints its one line. A guest poking at a
 * register in a loop therefore cannot flood the console. */
bool vgic_log_once(struct vgic *g, uint32_t key)
{
    for (unsigned i = 0; i < g->num_logged && i < VGIC_LOG_SLOTS; i++)
        if (g->logged[i] == key)
            return false;
    if (g->num_logged > VGIC_LOG_SLOTS)
        return false;
    if (g->num_logged == VGIC_LOG_SLOTS) {
        vgic_log(g, "log table full, further odd accesses are not reported");
        g->num_logged++;
        return false;
    }
    g->logged[g->num_logged++] = key;
    return true;
}

static const char *const frame_names[] = { "GICD", "GICR", "GICR_SGI" };

void vgic_log_access(struct vgic *g, enum vgic_frame frame, enum vgic_why why, uint32_t off, unsigned size,
                     bool write)
{
    if (!vgic_log_once(g, VGIC_LOG_KEY(frame, why, off)))
        return;
    vgic_log(g, "%s %u-byte %s at +0x%x: %s, %s", frame_names[frame], size, write ? "write" : "read",
             (unsigned)off, why == VGIC_WHY_SIZE ? "bad size or alignment" : "not implemented",
             write ? "ignored" : "reads as zero");
}

/* Peripheral and component ID registers at 0xffd0..0xfffc of the GICD and GICR RD_base frames.
 * Linux checks only PIDR2.ArchRev (bits [7:4]) = 3 for GICv3. */
uint32_t vgic_id_reg(uint32_t off, bool *known)
{
    static const uint8_t ids[12] = {
        0x44, 0,    0,    0,    /* PIDR4 (64 KiB frame, JEP106 continuation 4), PIDR5-7 */
        0x56, 0xb0, 0x3b, 0x00, /* PIDR0-3: part 0x056, JEP106 0x3b, ArchRev 3 */
        0x0d, 0xf0, 0x05, 0xb1, /* CIDR0-3: the standard component preamble */
    };

    *known = off >= 0xffd0 && off <= 0xfffc && (off & 3) == 0;
    return *known ? ids[(off - 0xffd0) / 4] : 0;
}

/*
 * Register access and the driver's side of device initialisation. Accesses are single
 * aligned 32-bit loads and stores written in assembly, so each traps to the VMM with a valid
 * syndrome (no pair, no writeback) whatever the compiler would have chosen.
 */
#include "vdev.h"

uint32_t vdev_rd(const struct vdev *d, uint32_t off)
{
    uint32_t v;
    __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(d->base + off) : "memory");
    return v;
}

void vdev_wr(const struct vdev *d, uint32_t off, uint32_t v)
{
    /* The device must see the rings as written before any register write (2.7.13). */
    __asm__ volatile("dsb sy\n\tstr %w0, [%1]" : : "r"(v), "r"(d->base + off) : "memory");
}

uint64_t vdev_ticks(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
    return v;
}

bool vdev_wait_status(const struct vdev *d, uint32_t mask, uint32_t want, uint32_t ms)
{
    uint64_t end = vdev_ticks() + d->tick_freq / 1000u * ms;
    for (;;) {
        if ((vdev_rd(d, R_STATUS) & mask) == want)
            return true;
        if (vdev_ticks() > end)
            return false;
    }
}

bool vdev_reset(struct vdev *d)
{
    vdev_wr(d, R_STATUS, 0);
    d->features = 0;
    return vdev_wait_status(d, ~0u, 0, 100);
}

static uint64_t offered(const struct vdev *d)
{
    vdev_wr(d, R_DEV_FEAT_SEL, 0);
    uint64_t lo = vdev_rd(d, R_DEV_FEAT);
    vdev_wr(d, R_DEV_FEAT_SEL, 1);
    return lo | (uint64_t)vdev_rd(d, R_DEV_FEAT) << 32;
}

const char *vdev_negotiate(struct vdev *d)
{
    vdev_wr(d, R_STATUS, S_ACKNOWLEDGE);
    vdev_wr(d, R_STATUS, S_ACKNOWLEDGE | S_DRIVER);
    uint64_t f = offered(d);
    if (!(f & F_VERSION_1))
        return "the device does not offer VIRTIO_F_VERSION_1";
    /* Only what is offered: a malformed negotiation is not what this guest tests. */
    d->features = f & (F_VERSION_1 | F_INDIRECT_DESC | F_EMERG_WRITE | F_CONSOLE_SIZE);
    vdev_wr(d, R_DRV_FEAT_SEL, 0);
    vdev_wr(d, R_DRV_FEAT, (uint32_t)d->features);
    vdev_wr(d, R_DRV_FEAT_SEL, 1);
    vdev_wr(d, R_DRV_FEAT, (uint32_t)(d->features >> 32));
    vdev_wr(d, R_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
    if (!(vdev_rd(d, R_STATUS) & S_FEATURES_OK))
        return "FEATURES_OK was refused";
    return 0;
}

void vdev_queue(const struct vdev *d, unsigned q, uint64_t desc, uint64_t avail, uint64_t used)
{
    vdev_wr(d, R_QUEUE_SEL, q);
    vdev_wr(d, R_QUEUE_NUM, QSIZE);
    vdev_wr(d, R_DESC_LO, (uint32_t)desc);
    vdev_wr(d, R_DESC_LO + 4, (uint32_t)(desc >> 32));
    vdev_wr(d, R_AVAIL_LO, (uint32_t)avail);
    vdev_wr(d, R_AVAIL_LO + 4, (uint32_t)(avail >> 32));
    vdev_wr(d, R_USED_LO, (uint32_t)used);
    vdev_wr(d, R_USED_LO + 4, (uint32_t)(used >> 32));
    vdev_wr(d, R_QUEUE_READY, 1);
}

void vdev_notify(const struct vdev *d, unsigned q)
{
    vdev_wr(d, R_NOTIFY, q);
}

void out_str(const struct vdev *d, const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            vdev_wr(d, R_EMERG_WR, '\r');
        vdev_wr(d, R_EMERG_WR, (uint8_t)*s);
    }
}

void out_hex(const struct vdev *d, uint64_t v)
{
    char buf[19] = "0x";
    int shift = 60, n = 2;
    while (shift > 0 && ((v >> shift) & 0xf) == 0)
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        buf[n++] = "0123456789abcdef"[(v >> shift) & 0xf];
    buf[n] = 0;
    out_str(d, buf);
}

void out_dec(const struct vdev *d, uint64_t v)
{
    char buf[21];
    int n = 20;
    buf[n] = 0;
    do {
        buf[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    out_str(d, buf + n);
}

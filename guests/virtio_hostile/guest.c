/*
 * The hostile guest (issue 9): a bare-metal guest that drives its virtio-mmio console with
 * every malformed chain of cases.c in turn, resetting the device between them, and checks
 * that the device marked itself broken (DEVICE_NEEDS_RESET) each time; then writes one
 * well-formed chain to show the device works again after a reset. Round 1 reports each case;
 * further rounds repeat the attack every HOSTILE_GAP_MS while the Linux guest beside it is in
 * use (tests/system/test_virtio_hostile.py), with one line each. Output goes through the
 * console's emergency write, the one way out that needs no working queue.
 *
 * The MMU stays off, so every access is Device-nGnRnE: in program order and uncached. QEMU
 * models no caches, so the VMM's cached view of the rings agrees; on hardware the VMM would
 * need to see this guest's writes past its caches.
 */
#include "cases.h"
#include "fdt_scan.h"

#ifndef HOSTILE_ROUNDS
#define HOSTILE_ROUNDS 100u
#endif
#ifndef HOSTILE_GAP_MS
#define HOSTILE_GAP_MS 1000u /* well inside the Linux guest's boot (about 2.3 s), so rounds overlap it */
#endif
#define WAIT_MS      100u  /* for DEVICE_NEEDS_RESET or a reset: both come within the trap */
#define GOOD_WAIT_MS 1000u /* for the used buffer: the serial ring may be full for a while */

#define PSCI_SYSTEM_OFF 0x84000008ul
/* Vendor hypervisor calls the VMM does not implement: it logs their ids, which is how this
 * guest says what went wrong when it has no console, or where its own line may be torn. */
#define HVC_NO_DTB      0x8600bad1ul
#define HVC_NO_DEVICE   0x8600bad2ul
#define HVC_NOT_CONSOLE 0x8600bad3ul
#define HVC_NOT_BROKEN  0x8600bad4ul
#define HVC_GOOD_FAILED 0x8600bad5ul

static struct hmem mem; /* not zeroed by anyone: every case clears what it uses */
static struct vdev dev;
static struct ram ram;

static void hvc(uint64_t fid)
{
    register uint64_t x0 __asm__("x0") = fid;
    __asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
}

static void __attribute__((noreturn)) power_off(void)
{
    for (;;) {
        hvc(PSCI_SYSTEM_OFF);
        __asm__ volatile("wfi");
    }
}

static void zero(void *p, unsigned long n)
{
    volatile uint8_t *b = p;
    while (n--)
        *b++ = 0;
}

static void sleep_ms(uint32_t ms)
{
    uint64_t end = vdev_ticks() + dev.tick_freq / 1000u * ms;
    while (vdev_ticks() < end)
        __asm__ volatile("yield");
}

static uint64_t addr_of(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

/* Reset, negotiate, both queues (queue `bad_q`'s part `part` misplaced), DRIVER_OK. */
static const char *bring_up(unsigned bad_q, enum ring_part part)
{
    if (!vdev_reset(&dev))
        return "the device did not complete its reset";
    zero(&mem, sizeof(mem));
    const char *err = vdev_negotiate(&dev);
    if (err)
        return err;
    for (unsigned q = RXQ; q <= TXQ; q++) {
        struct vring *r = &mem.q[q];
        uint64_t d = addr_of(r->desc), a = addr_of(&r->avail), u = addr_of(&r->used);
        if (q == bad_q && part == RING_DESC)
            d = misplaced_ring(part, &ram);
        if (q == bad_q && part == RING_AVAIL)
            a = misplaced_ring(part, &ram);
        if (q == bad_q && part == RING_USED)
            u = misplaced_ring(part, &ram);
        vdev_queue(&dev, q, d, a, u);
    }
    vdev_wr(&dev, R_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
    return 0;
}

/* Makes the chain in entry 0 available (index idx) and tells the device. */
static void publish(unsigned q, uint16_t idx)
{
    __asm__ volatile("dmb sy" ::: "memory"); /* descriptors and entry before the index */
    *(volatile uint16_t *)&mem.q[q].avail.idx = idx;
    vdev_notify(&dev, q);
}

enum outcome { BROKEN, NOT_BROKEN, NO_CONFIG_IRQ, SKIPPED };

/* One case; *why says why it was skipped. Leaves the device reset. */
static enum outcome run_case(const struct hcase *c, const char **why)
{
    *why = bring_up(c->queue, c->ring);
    if (*why == 0 && c->indirect && !(dev.features & F_INDIRECT_DESC))
        *why = "VIRTIO_RING_F_INDIRECT_DESC is not offered";
    if (*why) {
        vdev_reset(&dev);
        return SKIPPED;
    }
    if (c->build) {
        struct vring *r = &mem.q[c->queue];
        r->avail.ring[0] = 0;
        publish(c->queue, c->build(r, &mem, &ram));
    }
    bool broken = vdev_wait_status(&dev, S_NEEDS_RESET, S_NEEDS_RESET, WAIT_MS);
    uint32_t isr = vdev_rd(&dev, R_ISR);
    vdev_wr(&dev, R_ISR_ACK, isr);
    vdev_reset(&dev); /* before any output: a broken device takes no emergency write */
    if (!broken)
        return NOT_BROKEN;
    return (isr & ISR_CONFIG) ? BROKEN : NO_CONFIG_IRQ;
}

/* A well-formed transmitq chain after a reset: true when the device used it and is healthy. */
static bool good_write(unsigned round)
{
    static const char text[] = "hostile: good write through the transmitq, round ";
    unsigned n = 0;
    if (bring_up(TXQ, RING_OK))
        return false;
    for (; text[n]; n++)
        mem.buf[n] = (uint8_t)text[n];
    char digits[12];
    int k = 0;
    do {
        digits[k++] = (char)('0' + round % 10);
        round /= 10;
    } while (round);
    while (k)
        mem.buf[n++] = (uint8_t)digits[--k];
    mem.buf[n++] = '\r';
    mem.buf[n++] = '\n';
    struct vring *r = &mem.q[TXQ];
    r->desc[0] = (struct vdesc){ addr_of(mem.buf), n, 0, 0 };
    r->avail.ring[0] = 0;
    publish(TXQ, 1);
    uint64_t end = vdev_ticks() + dev.tick_freq / 1000u * GOOD_WAIT_MS;
    while (*(volatile uint16_t *)&r->used.idx != 1 && vdev_ticks() < end)
        ;
    return *(volatile uint16_t *)&r->used.idx == 1 && *(volatile uint32_t *)&r->used.ring[0].id == 0 &&
           !(vdev_rd(&dev, R_STATUS) & S_NEEDS_RESET);
}

static void report(const struct hcase *c, enum outcome o, const char *why)
{
    out_str(&dev, "hostile: case ");
    out_str(&dev, c->name);
    out_str(&dev, o == BROKEN          ? ": device marked broken\n"
                  : o == NO_CONFIG_IRQ ? ": device marked broken, but no configuration interrupt\n"
                  : o == NOT_BROKEN    ? ": device NOT marked broken\n"
                                       : ": skipped, ");
    if (o == SKIPPED) {
        out_str(&dev, why);
        out_str(&dev, "\n");
    }
}

/* All cases, then the good write; prints each case when verbose. Returns cases marked broken. */
static unsigned one_round(unsigned round, bool verbose, bool *good)
{
    unsigned broken = 0;
    for (unsigned i = 0; i < hostile_num_cases; i++) {
        const char *why;
        enum outcome o = run_case(&hostile_cases[i], &why);
        broken += o == BROKEN || o == NO_CONFIG_IRQ;
        if (o != BROKEN)
            hvc(HVC_NOT_BROKEN);
        if (verbose)
            report(&hostile_cases[i], o, why);
    }
    *good = good_write(round);
    if (!*good)
        hvc(HVC_GOOD_FAILED);
    return broken;
}

static void summary(const char *head, unsigned broken, bool good)
{
    out_str(&dev, head);
    out_dec(&dev, broken);
    out_str(&dev, " of ");
    out_dec(&dev, hostile_num_cases);
    out_str(&dev,
            good ? " cases marked broken, good write ok\n" : " cases marked broken, good write FAILED\n");
}

static void round_start(unsigned round)
{
    out_str(&dev, "hostile: round ");
    out_dec(&dev, round);
    out_str(&dev, " of ");
    out_dec(&dev, HOSTILE_ROUNDS);
    out_str(&dev, "\n");
    /* Lets this line out ahead of the VMM's lines about the round. */
    sleep_ms(50);
}

static bool is_console(uint64_t base)
{
    struct vdev d = { .base = base };
    return vdev_rd(&d, R_MAGIC) == 0x74726976u && vdev_rd(&d, R_VERSION) == 2 &&
           vdev_rd(&d, R_DEVICE_ID) == 3;
}

/* The first virtio-mmio console (version 2) of the tree in x0, this guest's RAM from the same
 * tree, and this guest's own memory checked to lie in that RAM. */
static void discover(uint64_t dtb)
{
    static struct fdt_found f;
    const struct fdt_virtio *con = 0;
    if (dtb == 0 || dtb % 8 || fdt_scan((const uint8_t *)(uintptr_t)dtb, &f))
        hvc(HVC_NO_DTB), power_off();
    if (f.num_virtio == 0 || f.ram_size == 0 || f.ram_base + f.ram_size < f.ram_base)
        hvc(HVC_NO_DEVICE), power_off();
    uint64_t end = f.ram_base + f.ram_size;
    if (addr_of(&mem) < f.ram_base || addr_of(&mem) + sizeof(mem) > end || f.ram_base < 0x1000)
        hvc(HVC_NO_DEVICE), power_off();
    for (unsigned i = 0; i < f.num_virtio && con == 0; i++)
        if (is_console(f.virtio[i].base))
            con = &f.virtio[i];
    if (con == 0)
        hvc(HVC_NOT_CONSOLE), power_off();
    ram = (struct ram){ f.ram_base, end };
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(dev.tick_freq));
    dev.base = con->base;
    out_str(&dev, "hostile: virtio console at ");
    out_hex(&dev, con->base);
    out_str(&dev, ", SPI ");
    out_dec(&dev, con->spi);
    out_str(&dev, ", RAM ");
    out_hex(&dev, ram.base);
    out_str(&dev, "-");
    out_hex(&dev, ram.end - 1);
    out_str(&dev, ", queue size ");
    out_dec(&dev, QSIZE);
    out_str(&dev, ", ");
    out_dec(&dev, hostile_num_cases);
    out_str(&dev, " cases\n");
}

void guest_main(uint64_t dtb)
{
    bool good;
    discover(dtb);
    round_start(1);
    summary("hostile: done, ", one_round(1, true, &good), good);
    for (unsigned round = 2; round <= HOSTILE_ROUNDS; round++) {
        sleep_ms(HOSTILE_GAP_MS);
        round_start(round);
        unsigned broken = one_round(round, false, &good);
        out_str(&dev, "hostile: round ");
        out_dec(&dev, round);
        summary(": ", broken, good);
    }
    out_str(&dev, "hostile: all rounds over, powering off\n");
    power_off();
}

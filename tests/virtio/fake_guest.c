/* The fake guest driver of fake_guest.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_guest.h"

#define GUARD_BYTE 0xa5

static void on_irq(void *ctx)
{
    ((struct fake_guest *)ctx)->irqs++;
}

static void on_log(void *ctx, const char *line)
{
    struct fake_guest *g = ctx;
    if (g->log_lines < FG_LOG_MAX)
        snprintf(g->log[g->log_lines], sizeof(g->log[0]), "%s", line);
    g->log_lines++;
}

static uint8_t *region(uint32_t size)
{
    void *p = NULL;
    if (posix_memalign(&p, 64, SERIAL_QUEUE_DATA_OFFSET + size) != 0)
        return NULL;
    memset(p, 0, SERIAL_QUEUE_DATA_OFFSET + size);
    return p;
}

static int client_init(struct serial_client *c, const char *name, uint8_t *tx, uint32_t tx_size, uint8_t *rx,
                       uint32_t rx_size, struct serial_queue_handle *txv, struct serial_queue_handle *rxv)
{
    struct serial_client_config cfg = { 0 };
    cfg.magic = SERIAL_CLIENT_MAGIC;
    cfg.version = SERIAL_CONFIG_VERSION;
    snprintf(cfg.name, sizeof(cfg.name), "%s", name);
    cfg.tx =
        (struct serial_queue_ref){ (uint64_t)(uintptr_t)tx, SERIAL_QUEUE_DATA_OFFSET + tx_size, tx_size, 1 };
    cfg.rx =
        (struct serial_queue_ref){ (uint64_t)(uintptr_t)rx, SERIAL_QUEUE_DATA_OFFSET + rx_size, rx_size, 2 };
    if (serial_client_init(c, &cfg) != NULL)
        return -1;
    if (serial_queue_init(txv, tx, SERIAL_QUEUE_DATA_OFFSET + tx_size, tx_size) != 0 ||
        serial_queue_init(rxv, rx, SERIAL_QUEUE_DATA_OFFSET + rx_size, rx_size) != 0)
        return -1;
    return 0;
}

int fg_init_ports(struct fake_guest *g, unsigned nr_ports, uint32_t ring, bool console1)
{
    static const char *const names[] = { "port0", "port1", "port2" };
    struct virtio_console_port ports[VIRTIO_CONSOLE_MAX_PORTS] = { 0 };
    if (fg_init(g, ring, ring) != 0 || nr_ports > VIRTIO_CONSOLE_MAX_PORTS)
        return -1;
    g->nr_ports = nr_ports;
    ports[0] = (struct virtio_console_port){ &g->client, names[0], true, 0, 0 };
    for (unsigned i = 1; i < nr_ports; i++) {
        g->ptx_region[i] = region(ring);
        g->prx_region[i] = region(ring);
        if (g->ptx_region[i] == NULL || g->prx_region[i] == NULL ||
            client_init(&g->pclient[i], names[i], g->ptx_region[i], ring, g->prx_region[i], ring, &g->ptxv[i],
                        &g->prxv[i]) != 0)
            return -1;
        ports[i] =
            (struct virtio_console_port){ &g->pclient[i], names[i], i == 1 && console1, 100u + i, 30u + i };
    }
    struct virtio_console_params prm = { 0 };
    prm.mem = (struct guest_mem){ FG_RAM_IPA, FG_RAM_SIZE, g->ram };
    prm.ports = ports;
    prm.nr_ports = nr_ports;
    prm.irq = on_irq;
    prm.irq_ctx = g;
    prm.log = on_log;
    prm.log_ctx = g;
    return virtio_console_init(&g->con, &prm) == NULL ? 0 : -1;
}

uint32_t fg_port_tx_drain(struct fake_guest *g, unsigned p, void *buf, uint32_t len)
{
    return serial_queue_read(p == 0 ? &g->txv : &g->ptxv[p], buf, len);
}

uint32_t fg_port_rx_put(struct fake_guest *g, unsigned p, const void *buf, uint32_t len)
{
    return serial_queue_write(p == 0 ? &g->rxv : &g->prxv[p], buf, len);
}

int fg_init(struct fake_guest *g, uint32_t tx_size, uint32_t rx_size)
{
    void *p = NULL;
    memset(g, 0, sizeof(*g));
    if (posix_memalign(&p, 4096, FG_RAM_SIZE + 2 * FG_GUARD) != 0)
        return -1;
    g->block = p;
    memset(g->block, GUARD_BYTE, FG_GUARD);
    memset(g->block + FG_GUARD + FG_RAM_SIZE, GUARD_BYTE, FG_GUARD);
    g->ram = g->block + FG_GUARD;
    memset(g->ram, 0, FG_RAM_SIZE);
    g->tx_region = region(tx_size);
    g->rx_region = region(rx_size);
    if (g->tx_region == NULL || g->rx_region == NULL)
        return -1;

    struct serial_client_config cfg = { 0 };
    cfg.magic = SERIAL_CLIENT_MAGIC;
    cfg.version = SERIAL_CONFIG_VERSION;
    strcpy(cfg.name, "alpha");
    cfg.tx = (struct serial_queue_ref){ (uint64_t)(uintptr_t)g->tx_region, SERIAL_QUEUE_DATA_OFFSET + tx_size,
                                        tx_size, 1 };
    cfg.rx = (struct serial_queue_ref){ (uint64_t)(uintptr_t)g->rx_region, SERIAL_QUEUE_DATA_OFFSET + rx_size,
                                        rx_size, 2 };
    if (serial_client_init(&g->client, &cfg) != NULL)
        return -1;
    if (serial_queue_init(&g->txv, g->tx_region, SERIAL_QUEUE_DATA_OFFSET + tx_size, tx_size) != 0 ||
        serial_queue_init(&g->rxv, g->rx_region, SERIAL_QUEUE_DATA_OFFSET + rx_size, rx_size) != 0)
        return -1;

    struct virtio_console_params prm = { 0 };
    prm.mem = (struct guest_mem){ FG_RAM_IPA, FG_RAM_SIZE, g->ram };
    prm.serial = &g->client;
    prm.irq = on_irq;
    prm.irq_ctx = g;
    prm.log = on_log;
    prm.log_ctx = g;
    return virtio_console_init(&g->con, &prm) == NULL ? 0 : -1;
}

void fg_free(struct fake_guest *g)
{
    free(g->block);
    free(g->tx_region);
    free(g->rx_region);
    for (unsigned i = 0; i < VIRTIO_CONSOLE_MAX_PORTS; i++) {
        free(g->ptx_region[i]);
        free(g->prx_region[i]);
    }
}

bool fg_guards_ok(const struct fake_guest *g)
{
    for (uint64_t i = 0; i < FG_GUARD; i++)
        if (g->block[i] != GUARD_BYTE || g->block[FG_GUARD + FG_RAM_SIZE + i] != GUARD_BYTE)
            return false;
    return true;
}

uint64_t fg_access(struct fake_guest *g, uint64_t off, bool write, unsigned size, uint64_t v)
{
    virtio_console_mmio(&g->con, off, write, size, &v);
    return v;
}

uint32_t fg_read(struct fake_guest *g, uint64_t off)
{
    return (uint32_t)fg_access(g, off, false, 4, 0xdeadbeefdeadbeefull);
}

void fg_write(struct fake_guest *g, uint64_t off, uint32_t v)
{
    fg_access(g, off, true, 4, v);
}

uint32_t fg_negotiate(struct fake_guest *g, uint64_t features)
{
    fg_write(g, VIRTIO_MMIO_STATUS, 0);
    fg_write(g, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
    fg_write(g, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    fg_write(g, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    fg_write(g, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
    fg_write(g, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    fg_write(g, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
    fg_write(g, VIRTIO_MMIO_STATUS,
             VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    return fg_read(g, VIRTIO_MMIO_STATUS);
}

uint64_t fg_desc_ipa(unsigned q)
{
    return FG_RAM_IPA + 0x10000ull * (q + 1);
}
uint64_t fg_avail_ipa(unsigned q)
{
    return fg_desc_ipa(q) + 0x4000;
}
uint64_t fg_used_ipa(unsigned q)
{
    return fg_desc_ipa(q) + 0x6000;
}

void fg_queue_at(struct fake_guest *g, unsigned q, uint16_t num, uint64_t desc, uint64_t avail, uint64_t used)
{
    fg_write(g, VIRTIO_MMIO_QUEUE_SEL, q);
    fg_write(g, VIRTIO_MMIO_QUEUE_NUM, num);
    fg_write(g, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
    fg_write(g, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
    fg_write(g, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
    fg_write(g, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
    fg_write(g, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
    fg_write(g, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
    fg_write(g, VIRTIO_MMIO_QUEUE_READY, 1);
    if (q < VIRTIO_MAX_QUEUES) {
        g->num[q] = num;
        g->avail_idx[q] = 0;
    }
}

void fg_queue(struct fake_guest *g, unsigned q, uint16_t num)
{
    memset(fg_mem(g, fg_desc_ipa(q)), 0, 0x10000);
    fg_queue_at(g, q, num, fg_desc_ipa(q), fg_avail_ipa(q), fg_used_ipa(q));
}

void fg_driver_ok(struct fake_guest *g)
{
    fg_write(g, VIRTIO_MMIO_STATUS, fg_read(g, VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_DRIVER_OK);
}

void fg_bring_up(struct fake_guest *g, uint16_t num)
{
    fg_negotiate(g, (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_RING_F_INDIRECT_DESC) |
                        (1ull << VIRTIO_CONSOLE_F_SIZE) | (1ull << VIRTIO_CONSOLE_F_EMERG_WRITE));
    fg_queue(g, VIRTIO_CONSOLE_RXQ, num);
    fg_queue(g, VIRTIO_CONSOLE_TXQ, num);
    fg_driver_ok(g);
    /* With VIRTIO_CONSOLE_F_SIZE the device says the size at once (test_console.c checks it);
     * the driver takes it, so each test starts with no interrupt pending. */
    fg_write(g, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_INT_CONFIG);
    g->irqs = 0;
}

uint8_t *fg_mem(struct fake_guest *g, uint64_t ipa)
{
    return g->ram + (ipa - FG_RAM_IPA);
}

void fg_desc(struct fake_guest *g, unsigned q, uint16_t i, uint64_t addr, uint32_t len, uint16_t flags,
             uint16_t next)
{
    struct virtq_desc d = { addr, len, flags, next };
    memcpy(fg_mem(g, fg_desc_ipa(q)) + 16u * i, &d, sizeof(d));
}

void fg_avail(struct fake_guest *g, unsigned q, uint16_t head)
{
    uint8_t *avail = fg_mem(g, fg_avail_ipa(q));
    uint16_t slot = g->avail_idx[q] & (uint16_t)(g->num[q] - 1u);
    memcpy(avail + VIRTQ_AVAIL_RING(slot), &head, 2);
    g->avail_idx[q]++;
    __atomic_store_n((uint16_t *)(avail + VIRTQ_AVAIL_IDX), g->avail_idx[q], __ATOMIC_RELEASE);
}

void fg_kick(struct fake_guest *g, unsigned q)
{
    fg_write(g, VIRTIO_MMIO_QUEUE_NOTIFY, q);
}

uint16_t fg_used_idx(struct fake_guest *g, unsigned q)
{
    return __atomic_load_n((uint16_t *)(fg_mem(g, fg_used_ipa(q)) + VIRTQ_USED_IDX), __ATOMIC_ACQUIRE);
}

void fg_used_elem(struct fake_guest *g, unsigned q, uint16_t i, uint32_t *id, uint32_t *len)
{
    uint8_t *used = fg_mem(g, fg_used_ipa(q));
    uint16_t slot = i & (uint16_t)(g->num[q] - 1u);
    memcpy(id, used + VIRTQ_USED_ID(slot), 4);
    memcpy(len, used + VIRTQ_USED_LEN(slot), 4);
}

uint32_t fg_tx_drain(struct fake_guest *g, void *buf, uint32_t len)
{
    return serial_queue_read(&g->txv, buf, len);
}

uint32_t fg_rx_put(struct fake_guest *g, const void *buf, uint32_t len)
{
    return serial_queue_write(&g->rxv, buf, len);
}

unsigned fg_log_count(const struct fake_guest *g, const char *needle)
{
    unsigned n = 0;
    for (unsigned i = 0; i < g->log_lines && i < FG_LOG_MAX; i++)
        if (strstr(g->log[i], needle) != NULL)
            n++;
    return n;
}

/* serial_drv_config_check: every field of the driver's config, without overflow. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "serial_drv_config.h"
#include "serial_queue.h"
#include "sys_limits.h"

/* Reference clocks above this are not UART clocks; the bound keeps the divisor sums in 64 bits. */
#define REF_CLOCK_MAX 0xffffffffull

/* A range [start, start + size) that is non-empty and does not wrap. */
static bool range_ok(uint64_t start, uint64_t size)
{
    return start != 0 && size != 0 && start <= UINT64_MAX - size;
}

static bool ranges_overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
    return a < b + b_size && b < a + a_size;
}

static int queue_check(const struct serial_queue_ref *q, const char *which, char *why, size_t why_len)
{
    if (!range_ok(q->vaddr, q->region_size) || q->vaddr % 8 != 0) {
        snprintf(why, why_len, "%s ring region 0x%" PRIx64 " size 0x%" PRIx64 " is not a valid mapping",
                 which, q->vaddr, q->region_size);
        return -1;
    }
    if (q->size < SERIAL_QUEUE_MIN_SIZE || (q->size & (q->size - 1u)) != 0) {
        snprintf(why, why_len, "%s ring size 0x%" PRIx32 " is not a power of two >= %u", which, q->size,
                 SERIAL_QUEUE_MIN_SIZE);
        return -1;
    }
    if (q->region_size < SERIAL_QUEUE_DATA_OFFSET || q->region_size - SERIAL_QUEUE_DATA_OFFSET < q->size) {
        snprintf(why, why_len, "%s ring of 0x%" PRIx32 " bytes does not fit its region of 0x%" PRIx64, which,
                 q->size, q->region_size);
        return -1;
    }
    if (q->channel >= SYS_MAX_CHANNELS) {
        snprintf(why, why_len, "%s channel %" PRIu32 " is out of range", which, q->channel);
        return -1;
    }
    return 0;
}

int serial_drv_config_check(const struct serial_driver_config *cfg, uint64_t frame_size, char *why,
                            size_t why_len)
{
    if (cfg->magic != SERIAL_DRIVER_MAGIC || cfg->version != SERIAL_CONFIG_VERSION) {
        snprintf(why, why_len,
                 "no driver config: magic 0x%" PRIx32 " version %" PRIu32 ", want 0x%x version %u",
                 cfg->magic, cfg->version, SERIAL_DRIVER_MAGIC, SERIAL_CONFIG_VERSION);
        return -1;
    }
    if ((cfg->flags & ~SERIAL_DRV_F_NO_RX) != 0 || cfg->reserved != 0) {
        snprintf(why, why_len, "unknown flags 0x%" PRIx32 " or reserved 0x%" PRIx32, cfg->flags,
                 cfg->reserved);
        return -1;
    }
    if (!range_ok(cfg->regs_vaddr, cfg->regs_size) || cfg->regs_size < frame_size) {
        snprintf(why, why_len, "register region 0x%" PRIx64 " size 0x%" PRIx64 " (need 0x%" PRIx64 ")",
                 cfg->regs_vaddr, cfg->regs_size, frame_size);
        return -1;
    }
    if (cfg->baud == 0 || cfg->ref_clock_hz == 0 || cfg->ref_clock_hz > REF_CLOCK_MAX) {
        snprintf(why, why_len, "baud %" PRIu32 " or reference clock %" PRIu64 " Hz out of range", cfg->baud,
                 cfg->ref_clock_hz);
        return -1;
    }
    if (cfg->irq_channel >= SYS_MAX_CHANNELS) {
        snprintf(why, why_len, "irq channel %" PRIu32 " is out of range", cfg->irq_channel);
        return -1;
    }
    if (queue_check(&cfg->tx, "tx", why, why_len) != 0)
        return -1;
    if (cfg->tx.channel == cfg->irq_channel ||
        ranges_overlap(cfg->tx.vaddr, cfg->tx.region_size, cfg->regs_vaddr, cfg->regs_size)) {
        snprintf(why, why_len, "tx ring shares a channel or memory with the UART");
        return -1;
    }
    if (cfg->flags & SERIAL_DRV_F_NO_RX)
        return 0;
    if (queue_check(&cfg->rx, "rx", why, why_len) != 0)
        return -1;
    if (cfg->rx.channel == cfg->irq_channel || cfg->rx.channel == cfg->tx.channel ||
        ranges_overlap(cfg->rx.vaddr, cfg->rx.region_size, cfg->regs_vaddr, cfg->regs_size) ||
        ranges_overlap(cfg->rx.vaddr, cfg->rx.region_size, cfg->tx.vaddr, cfg->tx.region_size)) {
        snprintf(why, why_len, "rx ring shares a channel or memory with the UART or the tx ring");
        return -1;
    }
    return 0;
}

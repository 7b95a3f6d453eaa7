/* The test rig (rig.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "rig.h"
#include "serial_drv_config.h"
#include "sim.h"

static _Alignas(64) uint8_t tx_region[SERIAL_QUEUE_DATA_OFFSET + RIG_RING_MAX];
static _Alignas(64) uint8_t rx_region[SERIAL_QUEUE_DATA_OFFSET + RIG_RING_MAX];

void rig_config(struct serial_driver_config *cfg, uint32_t tx_size, uint32_t rx_size)
{
    *cfg = (struct serial_driver_config){
        .magic = SERIAL_DRIVER_MAGIC,
        .version = SERIAL_CONFIG_VERSION,
        .regs_vaddr = SIM_BASE,
        .regs_size = 0x1000,
        .ref_clock_hz = dev.ref_hz,
        .baud = 115200,
        .irq_channel = RIG_IRQ_CH,
        .tx = { (uintptr_t)tx_region, SERIAL_QUEUE_DATA_OFFSET + tx_size, tx_size, RIG_TX_CH },
        .rx = { (uintptr_t)rx_region, SERIAL_QUEUE_DATA_OFFSET + rx_size, rx_size, RIG_RX_CH },
    };
}

void rig_start(struct rig *r)
{
    char why[160];
    struct uart_baud b;
    memset(tx_region, 0, sizeof(tx_region));
    memset(rx_region, 0, sizeof(rx_region));
    sim_reset();
    assert_int_equal(serial_drv_config_check(&r->cfg, dev.ops->frame_size, why, sizeof(why)), 0);
    assert_int_equal(dev.ops->baud(r->cfg.ref_clock_hz, r->cfg.baud, &b), 0);
    assert_int_equal(serial_drv_start(&r->drv, dev.ops, &r->cfg, &b, &r->act), 0);
    assert_int_equal(serial_queue_init(&r->tx, tx_region, (size_t)r->cfg.tx.region_size, r->cfg.tx.size), 0);
    if (r->cfg.rx.size != 0)
        assert_int_equal(serial_queue_init(&r->rx, rx_region, (size_t)r->cfg.rx.region_size, r->cfg.rx.size),
                         0);
}

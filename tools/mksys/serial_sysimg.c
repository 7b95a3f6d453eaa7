/* The sysimg header's kernel log ring and UART owner (include/sysimg.h): the first <serial>'s
 * log region, drained by serial_tx on its KLOG channel slot, and its driver, once the UART is
 * the kernel's console. Without that the kernel keeps writing its console itself. */
#include "serial.h"
#include "sysimg.h"

void serial_header(const struct sd_system *sys, struct sysimg_header *h)
{
    h->log_pa = 0;
    h->log_region_size = h->log_size = h->log_pd = h->log_ch = 0;
    h->uart_owner_pd = SYSIMG_NO_PARENT;
    if (!sys->serials.n || !sys->serials.v[0].out)
        return;
    const struct serial_out *o = sys->serials.v[0].out;
    if (!o->uart.is_console)
        return;
    h->uart_owner_pd = (uint32_t)o->driver_pd;
    if (!o->has_log)
        return;
    const struct sd_mr *mr = &sys->mrs.v[o->log_mr];
    h->log_pa = mr->pa;
    h->log_region_size = (uint32_t)mr->size;
    h->log_size = o->tx.log.size;
    h->log_pd = (uint32_t)o->tx_pd;
    h->log_ch = o->tx.log.channel;
}

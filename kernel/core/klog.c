/*
 * The kernel's log ring (sysimg.h log_*): the console's lines, the kernel's own and every PD's
 * debug output, go into a serial_queue.h ring that the TX virtualiser drains as one more client,
 * once the serial driver owns the UART. The kernel is the ring's only producer and never waits:
 * a line that does not fit is dropped whole and counted, and the count is written into the ring
 * ahead of the next line that fits. The consumer is told through the KLOG channel slot of its PD.
 */
#include "klog.h"
#include "console.h"
#include "ipc.h"
#include "mmu.h"
#include "pd.h"
#include "serial_queue.h"

static struct serial_queue_handle ring;
static bool have_ring, active;
static unsigned consumer_pd, consumer_ch, owner_pd;
static uint64_t dropped; /* lines lost to a full ring, not yet reported */

void klog_init(const struct sysimg_header *h)
{
    have_ring = active = false;
    dropped = 0;
    if (!h->log_pa)
        return;
    /* The image tool checks all of this; a kernel that cannot trust it keeps the UART. */
    if (!mmu_is_ram(h->log_pa, h->log_region_size) || h->log_pd >= h->num_pds ||
        h->uart_owner_pd >= h->num_pds || h->log_ch >= SYSIMG_MAX_CHANNELS ||
        serial_queue_init(&ring, (void *)h->log_pa, h->log_region_size, h->log_size) != 0) {
        kprintf("kernel: log ring at 0x%lx (%u bytes) is unusable; the kernel keeps the UART\n", h->log_pa,
                h->log_region_size);
        return;
    }
    consumer_pd = h->log_pd;
    consumer_ch = h->log_ch;
    owner_pd = h->uart_owner_pd;
    have_ring = true;
}

void klog_start(void)
{
    if (have_ring) {
        kprintf("kernel: console lines go to the log ring now; PD '%s' owns the UART\n",
                pds[owner_pd].desc->name);
        active = true;
    }
}

bool klog_active(void)
{
    return active;
}

static bool put_raw(const char *s, size_t n)
{
    if (serial_queue_space(&ring) < n)
        return false;
    serial_queue_write(&ring, s, (uint32_t)n);
    return true;
}

static bool put_dropped_note(void)
{
    char note[64] = "kernel: log ring full, ";
    size_t len = 23;
    char digits[20];
    size_t nd = 0;
    uint64_t v = dropped;
    do
        digits[nd++] = (char)('0' + v % 10);
    while ((v /= 10) && nd < sizeof digits);
    while (nd > 0)
        note[len++] = digits[--nd];
    static const char tail[] = " lines lost\r\n";
    for (size_t i = 0; i < sizeof tail - 1 && len < sizeof note; i++)
        note[len++] = tail[i];
    return put_raw(note, len);
}

void klog_put(const char *s, size_t n)
{
    bool wrote = false;
    if (dropped && put_dropped_note()) {
        dropped = 0;
        wrote = true;
    }
    if (dropped || !put_raw(s, n))
        dropped++;
    else
        wrote = true;
    /* the note alone is news too: a consumer asleep on an empty ring must hear of it */
    if (wrote && serial_queue_producer_must_notify(&ring))
        ipc_signal(&pds[consumer_pd], consumer_ch);
}

/* What the ring still holds, to the UART. The kernel takes the consumer's part here: with the
 * driver gone, what the TX virtualiser would move could not reach the UART anyway. */
static void write_ring_directly(void)
{
    char buf[64];
    uint32_t n;
    while ((n = serial_queue_read(&ring, buf, sizeof buf)) > 0)
        console_write_uart(buf, n);
}

void klog_owner_stopped(unsigned pd_idx)
{
    if (!active || pd_idx != owner_pd)
        return;
    active = false;
    write_ring_directly();
    kprintf("kernel: PD '%s' owned the UART and stopped; the kernel writes it again\n",
            pds[owner_pd].desc->name);
}

void klog_panic(void)
{
    active = false;
}

/*
 * The kernel's log ring (kernel/core/klog.c) on the host: klog.c is compiled as it is, against
 * fakes of the UART, kprintf, the PD table and ipc_signal, and a ring in this process's memory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <setjmp.h>

#include <cmocka.h>

#include "klog.h"
#include "pd.h"
#include "serial_queue.h"

/* ---- fakes ---- */
struct pd pds[SYSIMG_MAX_PDS];
unsigned num_pds;
static struct sysimg_pd descs[SYSIMG_MAX_PDS];
static char uart[4096];
static size_t uart_len;
static unsigned signals, signal_pd, signal_bit;
static uint8_t region[64 + 64] __attribute__((aligned(64)));

bool mmu_is_ram(uint64_t pa, uint64_t size)
{
    return pa == (uint64_t)(uintptr_t)region && size == sizeof region;
}

void console_write_uart(const char *s, size_t n)
{
    assert_true(uart_len + n <= sizeof uart);
    memcpy(uart + uart_len, s, n);
    uart_len += n;
}

void kprintf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    console_write_uart(buf, (size_t)n);
}

void ipc_signal(struct pd *pd, unsigned bit)
{
    signals++;
    signal_pd = pd->idx;
    signal_bit = bit;
}

/* ---- the consumer's side, as the TX virtualiser sees the ring ---- */
static struct serial_queue_handle tx;

static struct sysimg_header header(void)
{
    struct sysimg_header h = { 0 };
    h.num_pds = 3;
    h.log_pa = (uint64_t)(uintptr_t)region;
    h.log_region_size = sizeof region;
    h.log_size = 64;
    h.log_pd = 1;
    h.log_ch = 7;
    h.uart_owner_pd = 2;
    return h;
}

static int setup(void **state)
{
    (void)state;
    memset(region, 0, sizeof region);
    uart_len = 0;
    signals = 0;
    num_pds = 3;
    for (unsigned i = 0; i < num_pds; i++) {
        snprintf(descs[i].name, sizeof descs[i].name, "pd%u", i);
        pds[i].desc = &descs[i];
        pds[i].idx = i;
    }
    assert_int_equal(serial_queue_init(&tx, region, sizeof region, 64), 0);
    return 0;
}

static size_t drain(char *out, size_t cap)
{
    return serial_queue_read(&tx, out, (uint32_t)cap);
}

static void no_ring_means_uart(void **state)
{
    (void)state;
    struct sysimg_header h = { 0 };
    klog_init(&h);
    klog_start();
    assert_false(klog_active());
}

static void lines_enter_whole_and_signal_once_asked(void **state)
{
    (void)state;
    struct sysimg_header h = header();
    klog_init(&h);
    klog_start();
    assert_true(klog_active());
    uart_len = 0;
    klog_put("abc\r\n", 5);
    assert_int_equal(signals, 0);                   /* the consumer did not ask */
    assert_false(serial_queue_consumer_block(&tx)); /* sets the flag, sees data: no sleep */
    char out[64];
    assert_int_equal(drain(out, sizeof out), 5);
    assert_memory_equal(out, "abc\r\n", 5);
    assert_true(serial_queue_consumer_block(&tx)); /* empty now: it sleeps */
    klog_put("de\r\n", 4);
    assert_int_equal(signals, 1);
    assert_int_equal(signal_pd, 1);
    assert_int_equal(signal_bit, 7);
    assert_int_equal(uart_len, 0); /* nothing went to the UART while the ring is active */
}

static void full_ring_drops_whole_lines_and_says_so(void **state)
{
    (void)state;
    struct sysimg_header h = header();
    klog_init(&h);
    klog_start();
    char line[40];
    memset(line, 'x', sizeof line);
    klog_put(line, sizeof line); /* 40 of 64 */
    klog_put(line, sizeof line); /* does not fit: dropped whole */
    klog_put(line, sizeof line); /* dropped too, not reordered after the note */
    assert_int_equal(serial_queue_filled(&tx), 40);
    char out[64];
    assert_int_equal(drain(out, sizeof out), 40);
    klog_put("ok\r\n", 4);
    size_t n = drain(out, sizeof out);
    out[n] = 0;
    assert_string_equal(out, "kernel: log ring full, 2 lines lost\r\nok\r\n");
}

/* A note that goes in when the line behind it still does not fit wakes a sleeping consumer. */
static void note_alone_signals(void **state)
{
    (void)state;
    struct sysimg_header h = header();
    klog_init(&h);
    klog_start();
    char line[70];
    memset(line, 'x', sizeof line);
    klog_put(line, 40);
    klog_put(line, 40); /* dropped */
    char out[64];
    assert_int_equal(drain(out, sizeof out), 40);
    assert_true(serial_queue_consumer_block(&tx)); /* empty: the consumer sleeps */
    klog_put(line, sizeof line); /* more than the ring: the note goes in, the line does not */
    assert_int_equal(signals, 1);
    size_t n = drain(out, sizeof out);
    out[n] = 0;
    assert_string_equal(out, "kernel: log ring full, 1 lines lost\r\n");
}

static void owner_stop_writes_the_rest_to_the_uart(void **state)
{
    (void)state;
    struct sysimg_header h = header();
    klog_init(&h);
    klog_start();
    klog_put("pending\r\n", 9);
    klog_owner_stopped(1); /* not the owner: nothing changes */
    assert_true(klog_active());
    uart_len = 0;
    klog_owner_stopped(2);
    assert_false(klog_active());
    assert_true(uart_len > 9);
    assert_memory_equal(uart, "pending\r\n", 9);
    assert_true(serial_queue_empty(&tx));
}

static void hostile_header_keeps_the_uart(void **state)
{
    (void)state;
    struct sysimg_header h = header();
    h.log_pd = 3; /* beyond num_pds */
    klog_init(&h);
    klog_start();
    assert_false(klog_active());
    h = header();
    h.log_size = 48; /* not a power of two */
    klog_init(&h);
    klog_start();
    assert_false(klog_active());
    h = header();
    h.log_region_size = 4096; /* not RAM the kernel knows */
    klog_init(&h);
    klog_start();
    assert_false(klog_active());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(no_ring_means_uart, setup),
        cmocka_unit_test_setup(lines_enter_whole_and_signal_once_asked, setup),
        cmocka_unit_test_setup(full_ring_drops_whole_lines_and_says_so, setup),
        cmocka_unit_test_setup(note_alone_signals, setup),
        cmocka_unit_test_setup(owner_stop_writes_the_rest_to_the_uart, setup),
        cmocka_unit_test_setup(hostile_header_keeps_the_uart, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

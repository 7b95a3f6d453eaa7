/*
 * The console with VIRTIO_CONSOLE_F_MULTIPORT: the offer and max_nr_ports, negotiation with and
 * without it, the control-message handshake as Linux drives it (DEVICE_READY, DEVICE_ADD per
 * port, PORT_READY, then CONSOLE_PORT, RESIZE, PORT_NAME, PORT_OPEN), data of port 1 on its own
 * queues and serial client only, input held until the port is open, RESIZE, every malformed
 * control message, and reset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_guest.h"

#define W          VIRTQ_DESC_F_WRITE
#define RING       64
#define CRX        VIRTIO_CONSOLE_CTRL_RXQ
#define CTX        VIRTIO_CONSOLE_CTRL_TXQ
#define QN         16                                /* queue size in these tests */
#define CRX_BUF(i) (FG_BUF_IPA + 0x1000 + 64u * (i)) /* control receive buffers */
#define CTX_BUF(i) (FG_BUF_IPA + 0x2000 + 16u * (i)) /* control transmit buffers */
#define BASE_F                                                                                               \
    ((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_RING_F_INDIRECT_DESC) | (1ull << VIRTIO_CONSOLE_F_SIZE))
#define MP_F (BASE_F | (1ull << VIRTIO_CONSOLE_F_MULTIPORT))

struct mp {
    struct fake_guest g;
    uint16_t ctx_next; /* next control transmit descriptor */
    uint16_t crx_seen; /* control receive used entries looked at */
};

static int setup2(void **state)
{
    static struct mp m;
    memset(&m, 0, sizeof(m));
    if (fg_init_ports(&m.g, 2, RING, false) != 0)
        return -1;
    *state = &m;
    return 0;
}

static int teardown(void **state)
{
    struct mp *m = *state;
    assert_true(fg_guards_ok(&m->g));
    fg_free(&m->g);
    return 0;
}

static bool broken(struct fake_guest *g)
{
    return (fg_read(g, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET) != 0;
}

/* Gives the control receiveq n buffers of len bytes. */
static void crx_buffers(struct mp *m, unsigned n, uint32_t len)
{
    for (unsigned i = 0; i < n; i++) {
        fg_desc(&m->g, CRX, (uint16_t)i, CRX_BUF(i), len, W, 0);
        fg_avail(&m->g, CRX, (uint16_t)i);
    }
    fg_kick(&m->g, CRX);
}

/* Negotiates features, sets up queues 0 to 2 + 2 * ports - 1, DRIVER_OK. */
static void up(struct mp *m, uint64_t features)
{
    m->ctx_next = 0;
    m->crx_seen = 0;
    assert_true(fg_negotiate(&m->g, features) & VIRTIO_STATUS_FEATURES_OK);
    for (unsigned q = 0; q < 2u + 2u * m->g.nr_ports; q++)
        fg_queue(&m->g, q, QN);
    fg_driver_ok(&m->g);
}

/* The driver sends a control message of len bytes (8: a well-formed one). */
static void ctrl_send_len(struct mp *m, uint32_t id, uint16_t event, uint16_t value, uint32_t len)
{
    uint8_t msg[16] = { 0 };
    uint16_t d = m->ctx_next++ % QN;
    memcpy(msg, &id, 4);
    memcpy(msg + 4, &event, 2);
    memcpy(msg + 6, &value, 2);
    memcpy(fg_mem(&m->g, CTX_BUF(d)), msg, sizeof(msg));
    fg_desc(&m->g, CTX, d, CTX_BUF(d), len, 0, 0);
    fg_avail(&m->g, CTX, d);
    fg_kick(&m->g, CTX);
}

static void ctrl_send(struct mp *m, uint32_t id, uint16_t event, uint16_t value)
{
    ctrl_send_len(m, id, event, value, 8);
}

/* The next message the device returned on the control receiveq is this one. */
static void ctrl_expect(struct mp *m, uint32_t id, uint16_t event, uint16_t value, const void *extra,
                        uint32_t extra_len)
{
    uint32_t uid, len, mid;
    uint16_t mev, mval;
    assert_true((uint16_t)(fg_used_idx(&m->g, CRX) - m->crx_seen) >= 1);
    fg_used_elem(&m->g, CRX, m->crx_seen++, &uid, &len);
    const uint8_t *b = fg_mem(&m->g, CRX_BUF(uid));
    memcpy(&mid, b, 4);
    memcpy(&mev, b + 4, 2);
    memcpy(&mval, b + 6, 2);
    assert_int_equal(mev, event);
    assert_int_equal(mid, id);
    assert_int_equal(mval, value);
    assert_int_equal(len, 8 + extra_len);
    if (extra_len)
        assert_memory_equal(b + 8, extra, extra_len);
}

static void ctrl_none(struct mp *m)
{
    assert_int_equal(fg_used_idx(&m->g, CRX), m->crx_seen);
}

static void resize_expect(struct mp *m, uint32_t id, uint16_t cols, uint16_t rows)
{
    uint8_t sz[4] = { (uint8_t)cols, (uint8_t)(cols >> 8), (uint8_t)rows, (uint8_t)(rows >> 8) };
    ctrl_expect(m, id, VIRTIO_CONSOLE_RESIZE, 0, sz, 4);
}

/* The whole handshake of a two-port device, port 0 a console, port 1 a plain port. */
static void handshake(struct mp *m)
{
    up(m, MP_F);
    crx_buffers(m, QN, 64);
    ctrl_none(m);
    ctrl_send(m, 0xffffffffu, VIRTIO_CONSOLE_DEVICE_READY, 1); /* Linux's id: VIRTIO_CONSOLE_BAD_ID */
    ctrl_expect(m, 0, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL, 0);
    ctrl_expect(m, 1, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL, 0);
    ctrl_none(m);
    ctrl_send(m, 0, VIRTIO_CONSOLE_PORT_READY, 1);
    ctrl_expect(m, 0, VIRTIO_CONSOLE_CONSOLE_PORT, 1, NULL, 0);
    resize_expect(m, 0, 80, 24);
    ctrl_expect(m, 0, VIRTIO_CONSOLE_PORT_NAME, 1, "port0", 6);
    ctrl_expect(m, 0, VIRTIO_CONSOLE_PORT_OPEN, 1, NULL, 0);
    ctrl_send(m, 1, VIRTIO_CONSOLE_PORT_READY, 1);
    ctrl_expect(m, 1, VIRTIO_CONSOLE_PORT_NAME, 1, "port1", 6);
    ctrl_expect(m, 1, VIRTIO_CONSOLE_PORT_OPEN, 1, NULL, 0);
    ctrl_none(m);
    ctrl_send(m, 0, VIRTIO_CONSOLE_PORT_OPEN, 1); /* Linux, when it makes port 0 its hvc */
    assert_int_equal(fg_used_idx(&m->g, CTX), m->ctx_next);
    assert_false(broken(&m->g));
    assert_int_equal(m->g.log_lines, 0);
}

static void test_offer_and_config(void **state)
{
    struct mp *m = *state;
    struct fake_guest *g = &m->g;
    fg_write(g, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    assert_true(fg_read(g, VIRTIO_MMIO_DEVICE_FEATURES) & (1u << VIRTIO_CONSOLE_F_MULTIPORT));
    assert_int_equal(fg_read(g, VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_MAX_NR_PORTS), 2);
    fg_write(g, VIRTIO_MMIO_QUEUE_SEL, 5);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_QUEUE_NUM_MAX), VIRTIO_CONSOLE_QUEUE_MAX);
    fg_write(g, VIRTIO_MMIO_QUEUE_SEL, 6);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
    assert_int_equal(fg_negotiate(g, MP_F) & VIRTIO_STATUS_FEATURES_OK, VIRTIO_STATUS_FEATURES_OK);
}

static void test_single_port_device_no_multiport(void **state)
{
    (void)state;
    static struct fake_guest g;
    assert_int_equal(fg_init(&g, RING, RING), 0);
    fg_write(&g, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    assert_false(fg_read(&g, VIRTIO_MMIO_DEVICE_FEATURES) & (1u << VIRTIO_CONSOLE_F_MULTIPORT));
    assert_int_equal(fg_read(&g, VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_MAX_NR_PORTS), 0);
    fg_write(&g, VIRTIO_MMIO_QUEUE_SEL, 2);
    assert_int_equal(fg_read(&g, VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
    fg_free(&g);
}

static void test_init_checks(void **state)
{
    struct mp *m = *state;
    static struct virtio_console con;
    struct virtio_console_port ports[VIRTIO_CONSOLE_MAX_PORTS + 1] = { 0 };
    struct virtio_console_params p = { 0 };
    p.mem = (struct guest_mem){ FG_RAM_IPA, FG_RAM_SIZE, m->g.ram };
    p.irq = (virtio_irq_fn)abort;
    p.ports = ports;
    p.nr_ports = VIRTIO_CONSOLE_MAX_PORTS + 1;
    for (unsigned i = 0; i <= VIRTIO_CONSOLE_MAX_PORTS; i++)
        ports[i].serial = &m->g.pclient[1];
    assert_non_null(virtio_console_init(&con, &p)); /* too many */
    p.nr_ports = 2;
    assert_non_null(virtio_console_init(&con, &p)); /* one client twice */
    ports[0].serial = &m->g.client;
    ports[1].name = "a-name-of-thirty-two-characters!";
    assert_non_null(virtio_console_init(&con, &p)); /* name too long */
    ports[1].name = "a-name-of-thirty-one-characters";
    assert_null(virtio_console_init(&con, &p));
    ports[1].serial = NULL;
    assert_non_null(virtio_console_init(&con, &p));
    p.ports = NULL;
    assert_non_null(virtio_console_init(&con, &p));
}

/* A driver that does not take MULTIPORT: port 0 on queues 0 and 1 as before, nothing else used. */
static void test_negotiated_without_multiport(void **state)
{
    struct mp *m = *state;
    struct fake_guest *g = &m->g;
    char out[RING] = { 0 };
    up(m, BASE_F);
    memcpy(fg_mem(g, FG_BUF_IPA), "zero", 4);
    fg_desc(g, 1, 0, FG_BUF_IPA, 4, 0, 0);
    fg_avail(g, 1, 0);
    fg_kick(g, 1);
    assert_int_equal(fg_port_tx_drain(g, 0, out, RING), 4);
    memcpy(fg_mem(g, FG_BUF_IPA + 0x100), "one", 3);
    fg_desc(g, 5, 0, FG_BUF_IPA + 0x100, 3, 0, 0);
    fg_avail(g, 5, 0);
    fg_kick(g, 5);
    assert_int_equal(fg_used_idx(g, 5), 0);
    assert_int_equal(fg_port_tx_drain(g, 1, out, RING), 0);
    crx_buffers(m, 2, 64);
    ctrl_send(m, 0xffffffffu, VIRTIO_CONSOLE_DEVICE_READY, 1);
    assert_int_equal(fg_used_idx(g, CTX), 0);
    ctrl_none(m);
    /* Port 0's size through the configuration space. */
    uint32_t gen = fg_read(g, VIRTIO_MMIO_CONFIG_GENERATION);
    virtio_console_set_size(&g->con, 132, 43);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_CONFIG_GENERATION), gen + 1);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_COLS) & 0xffff, 132);
    assert_true(fg_read(g, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_INT_CONFIG);
    assert_int_equal(g->log_lines, 0);
}

static void test_handshake(void **state)
{
    handshake(*state);
}

static void test_handshake_console_port_1(void **state)
{
    static struct mp m;
    (void)state;
    memset(&m, 0, sizeof(m));
    assert_int_equal(fg_init_ports(&m.g, 2, RING, true), 0);
    up(&m, MP_F);
    crx_buffers(&m, QN, 64);
    ctrl_send(&m, 0xffffffffu, VIRTIO_CONSOLE_DEVICE_READY, 1);
    ctrl_expect(&m, 0, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL, 0);
    ctrl_expect(&m, 1, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL, 0);
    ctrl_send(&m, 1, VIRTIO_CONSOLE_PORT_READY, 1);
    ctrl_expect(&m, 1, VIRTIO_CONSOLE_CONSOLE_PORT, 1, NULL, 0);
    resize_expect(&m, 1, 101, 31);
    ctrl_expect(&m, 1, VIRTIO_CONSOLE_PORT_NAME, 1, "port1", 6);
    ctrl_expect(&m, 1, VIRTIO_CONSOLE_PORT_OPEN, 1, NULL, 0);
    /* As a console port it takes input without the guest's PORT_OPEN. */
    fg_desc(&m.g, 4, 0, FG_BUF_IPA + 0x400, 16, W, 0);
    fg_avail(&m.g, 4, 0);
    fg_kick(&m.g, 4);
    assert_int_equal(fg_port_rx_put(&m.g, 1, "in", 2), 2);
    virtio_console_port_rx_ready(&m.g.con, 1);
    assert_int_equal(fg_used_idx(&m.g, 4), 1);
    /* a console port 1 that is ready gets its new size as a RESIZE of its own */
    assert_true(virtio_console_port_set_size(&m.g.con, 1, 90, 20));
    resize_expect(&m, 1, 90, 20);
    assert_int_equal(m.g.log_lines, 0);
    assert_true(fg_guards_ok(&m.g));
    fg_free(&m.g);
}

/* Messages wait for control receive buffers: none given until after the handshake started. */
static void test_messages_wait_for_buffers(void **state)
{
    struct mp *m = *state;
    up(m, MP_F);
    ctrl_send(m, 0xffffffffu, VIRTIO_CONSOLE_DEVICE_READY, 1);
    ctrl_none(m);
    crx_buffers(m, 1, 64);
    ctrl_expect(m, 0, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL, 0);
    ctrl_none(m);
    fg_desc(&m->g, CRX, 1, CRX_BUF(1), 64, W, 0);
    fg_avail(&m->g, CRX, 1);
    fg_kick(&m->g, CRX);
    ctrl_expect(m, 1, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL, 0);
    assert_int_equal(m->g.log_lines, 0);
}

static void test_port1_data(void **state)
{
    struct mp *m = *state;
    struct fake_guest *g = &m->g;
    char out[RING + 1] = { 0 };
    handshake(m);
    /* Input for port 1 before the guest opened it waits in its ring. */
    fg_desc(g, 4, 0, FG_BUF_IPA + 0x400, 16, W, 0);
    fg_avail(g, 4, 0);
    fg_kick(g, 4);
    fg_desc(g, 0, 0, FG_BUF_IPA + 0x500, 16, W, 0);
    fg_avail(g, 0, 0);
    fg_kick(g, 0);
    assert_int_equal(fg_port_rx_put(g, 1, "for-one", 7), 7);
    virtio_console_rx_ready(&g->con);
    assert_int_equal(fg_used_idx(g, 4), 0);
    ctrl_send(m, 1, VIRTIO_CONSOLE_PORT_OPEN, 1);
    assert_int_equal(fg_used_idx(g, 4), 1);
    uint32_t id, len;
    fg_used_elem(g, 4, 0, &id, &len);
    assert_int_equal(len, 7);
    assert_memory_equal(fg_mem(g, FG_BUF_IPA + 0x400), "for-one", 7);
    assert_int_equal(fg_used_idx(g, 0), 0); /* port 0's buffer untouched */
    /* Output of port 1 reaches port 1's client only. */
    memcpy(fg_mem(g, FG_BUF_IPA + 0x600), "from-one", 8);
    fg_desc(g, 5, 0, FG_BUF_IPA + 0x600, 8, 0, 0);
    fg_avail(g, 5, 0);
    fg_kick(g, 5);
    assert_int_equal(fg_port_tx_drain(g, 1, out, RING), 8);
    assert_string_equal(out, "from-one");
    assert_int_equal(fg_port_tx_drain(g, 0, out, RING), 0);
    /* And port 0's input reaches queue 0 only. */
    assert_int_equal(fg_port_rx_put(g, 0, "zero", 4), 4);
    virtio_console_port_rx_ready(&g->con, 0);
    assert_int_equal(fg_used_idx(g, 0), 1);
    assert_int_equal(fg_used_idx(g, 4), 1);
    /* The guest closes port 1: its input waits again. */
    ctrl_send(m, 1, VIRTIO_CONSOLE_PORT_OPEN, 0);
    fg_desc(g, 4, 1, FG_BUF_IPA + 0x700, 16, W, 0);
    fg_avail(g, 4, 1);
    fg_kick(g, 4);
    assert_int_equal(fg_port_rx_put(g, 1, "x", 1), 1);
    virtio_console_port_rx_ready(&g->con, 1);
    assert_int_equal(fg_used_idx(g, 4), 1);
    assert_int_equal(g->log_lines, 0);
}

static void test_resize(void **state)
{
    struct mp *m = *state;
    struct fake_guest *g = &m->g;
    handshake(m);
    uint32_t gen = fg_read(g, VIRTIO_MMIO_CONFIG_GENERATION);
    virtio_console_set_size(&g->con, 120, 40);
    resize_expect(m, 0, 120, 40);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_CONFIG_GENERATION), gen); /* not through the config */
    assert_true(virtio_console_port_set_size(&g->con, 0, 200, 50));
    resize_expect(m, 0, 200, 50);
    /* Port 1 is no console: Linux would ignore a RESIZE, none is sent. */
    assert_true(virtio_console_port_set_size(&g->con, 1, 90, 20));
    ctrl_none(m);
    assert_false(virtio_console_port_set_size(&g->con, 2, 90, 20));
    assert_int_equal(g->log_lines, 0);
}

/* A device for older Linux drivers: RESIZE's payload rows first. */
static void test_resize_rows_first(void **state)
{
    static struct mp m2;
    (void)state;
    memset(&m2, 0, sizeof(m2));
    assert_int_equal(fg_init_ports(&m2.g, 1, RING, false), 0);
    m2.g.con.resize_rows_first = true; /* as params.resize_rows_first sets it at init */
    up(&m2, MP_F);
    crx_buffers(&m2, QN, 64);
    ctrl_send(&m2, 0xffffffffu, VIRTIO_CONSOLE_DEVICE_READY, 1);
    ctrl_expect(&m2, 0, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL, 0);
    ctrl_send(&m2, 0, VIRTIO_CONSOLE_PORT_READY, 1);
    ctrl_expect(&m2, 0, VIRTIO_CONSOLE_CONSOLE_PORT, 1, NULL, 0);
    resize_expect(&m2, 0, 24, 80); /* rows 24, then cols 80 */
    virtio_console_set_size(&m2.g.con, 132, 43);
    ctrl_expect(&m2, 0, VIRTIO_CONSOLE_PORT_NAME, 1, "port0", 6);
    ctrl_expect(&m2, 0, VIRTIO_CONSOLE_PORT_OPEN, 1, NULL, 0);
    resize_expect(&m2, 0, 43, 132);
    assert_int_equal(m2.g.log_lines, 0);
    assert_true(fg_guards_ok(&m2.g));
    fg_free(&m2.g);
}

/* Without control receive buffers two resizes become one, the newer, sent when one comes. */
static void test_resize_waits_for_buffer(void **state)
{
    struct mp *m = *state;
    handshake(m);
    /* Use up the rest of the control receive buffers. */
    uint16_t left = (uint16_t)(QN - fg_used_idx(&m->g, CRX));
    for (uint16_t i = 0; i < left; i++)
        virtio_console_set_size(&m->g.con, 1, i), resize_expect(m, 0, 1, i);
    virtio_console_set_size(&m->g.con, 10, 11);
    virtio_console_set_size(&m->g.con, 12, 13);
    ctrl_none(m);
    fg_desc(&m->g, CRX, 0, CRX_BUF(0), 64, W, 0);
    fg_avail(&m->g, CRX, 0);
    fg_kick(&m->g, CRX);
    resize_expect(m, 0, 12, 13);
    ctrl_none(m);
}

/* ---- malformed control messages ---- */

static void expect_fault(struct mp *m, const char *needle)
{
    assert_true(broken(&m->g));
    assert_int_equal(m->g.log_lines, 1);
    assert_int_equal(fg_log_count(&m->g, needle), 1);
    assert_int_equal(fg_log_count(&m->g, "device needs reset"), 1);
    assert_true(fg_read(&m->g, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_INT_CONFIG);
}

static void expect_logged(struct mp *m, const char *needle)
{
    assert_false(broken(&m->g));
    assert_int_equal(m->g.log_lines, 1);
    assert_int_equal(fg_log_count(&m->g, needle), 1);
    m->g.log_lines = 0;
}

static void test_short_message(void **state)
{
    struct mp *m = *state;
    up(m, MP_F);
    crx_buffers(m, 4, 64);
    ctrl_send_len(m, 0xffffffffu, VIRTIO_CONSOLE_DEVICE_READY, 1, 4);
    expect_fault(m, "control transmitq: a message of 4 bytes, shorter than 8");
    ctrl_none(m);
    /* and nothing afterwards */
    ctrl_send(m, 0xffffffffu, VIRTIO_CONSOLE_DEVICE_READY, 1);
    ctrl_none(m);
    assert_int_equal(m->g.log_lines, 1);
}

static void test_split_and_long_message(void **state)
{
    struct mp *m = *state;
    struct fake_guest *g = &m->g;
    up(m, MP_F);
    crx_buffers(m, 4, 64);
    /* DEVICE_READY split over two descriptors of 3 and 5 bytes: fine. */
    uint8_t msg[8] = { 0xff, 0xff, 0xff, 0xff, 0, 0, 1, 0 };
    memcpy(fg_mem(g, CTX_BUF(0)), msg, 8);
    fg_desc(g, CTX, 0, CTX_BUF(0), 3, VIRTQ_DESC_F_NEXT, 1);
    fg_desc(g, CTX, 1, CTX_BUF(0) + 3, 5, 0, 0);
    fg_avail(g, CTX, 0);
    fg_kick(g, CTX);
    ctrl_expect(m, 0, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL, 0);
    ctrl_expect(m, 1, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL, 0);
    m->ctx_next = 2;
    ctrl_send_len(m, 0, VIRTIO_CONSOLE_PORT_READY, 1, 12);
    expect_logged(m, "PORT_READY message of 12 bytes, more than 8");
    ctrl_expect(m, 0, VIRTIO_CONSOLE_CONSOLE_PORT, 1, NULL, 0);
}

static void test_port_out_of_range(void **state)
{
    struct mp *m = *state;
    handshake(m);
    ctrl_send(m, 2, VIRTIO_CONSOLE_PORT_READY, 1);
    expect_fault(m, "PORT_READY for port 2, beyond max_nr_ports 2");
}

static void test_port_open_out_of_range(void **state)
{
    struct mp *m = *state;
    handshake(m);
    ctrl_send(m, 0x80000000u, VIRTIO_CONSOLE_PORT_OPEN, 1);
    expect_fault(m, "PORT_OPEN for port 2147483648, beyond max_nr_ports 2");
}

static void test_crx_buffer_too_small(void **state)
{
    struct mp *m = *state;
    up(m, MP_F);
    crx_buffers(m, 1, 4);
    ctrl_send(m, 0xffffffffu, VIRTIO_CONSOLE_DEVICE_READY, 1);
    expect_fault(m, "control receiveq: chain 0 of 4 bytes is too small for a DEVICE_ADD message of 8");
    ctrl_none(m);
}

static void test_crx_buffer_too_small_for_name(void **state)
{
    struct mp *m = *state;
    up(m, MP_F);
    crx_buffers(m, 5, 12); /* room for DEVICE_ADD, CONSOLE_PORT, RESIZE; not a name */
    ctrl_send(m, 0xffffffffu, VIRTIO_CONSOLE_DEVICE_READY, 1);
    ctrl_send(m, 0, VIRTIO_CONSOLE_PORT_READY, 1);
    expect_fault(m, "too small for a PORT_NAME message of 14");
}

static void test_crx_buffer_readable(void **state)
{
    struct mp *m = *state;
    up(m, MP_F);
    fg_desc(&m->g, CRX, 0, CRX_BUF(0), 64, 0, 0);
    fg_avail(&m->g, CRX, 0);
    fg_kick(&m->g, CRX);
    ctrl_send(m, 0xffffffffu, VIRTIO_CONSOLE_DEVICE_READY, 1);
    expect_fault(m, "queue 2 (control receiveq): descriptor 0 is device-readable");
}

static void test_ctx_buffer_writable(void **state)
{
    struct mp *m = *state;
    up(m, MP_F);
    fg_desc(&m->g, CTX, 0, CTX_BUF(0), 8, W, 0);
    fg_avail(&m->g, CTX, 0);
    fg_kick(&m->g, CTX);
    expect_fault(m, "queue 3 (control transmitq): descriptor 0 is device-writable");
}

static void test_ignored_messages(void **state)
{
    struct mp *m = *state;
    up(m, MP_F);
    crx_buffers(m, QN, 64);
    ctrl_send(m, 0, VIRTIO_CONSOLE_PORT_READY, 1);
    expect_logged(m, "PORT_READY for port 0 before DEVICE_READY, ignored");
    ctrl_send(m, 1, VIRTIO_CONSOLE_PORT_OPEN, 1);
    expect_logged(m, "PORT_OPEN for port 1 before DEVICE_READY, ignored");
    ctrl_send(m, 0xffffffffu, VIRTIO_CONSOLE_DEVICE_READY, 0);
    expect_logged(m, "DEVICE_READY 0");
    ctrl_none(m);
    ctrl_send(m, 0, 99, 1);
    expect_logged(m, "event 99 (unknown) is not one a driver sends");
    ctrl_send(m, 0, VIRTIO_CONSOLE_DEVICE_ADD, 1);
    expect_logged(m, "event 1 (DEVICE_ADD) is not one a driver sends");
    ctrl_send(m, 0, VIRTIO_CONSOLE_RESIZE, 1);
    expect_logged(m, "event 5 (RESIZE)");
    ctrl_send(m, 0xffffffffu, VIRTIO_CONSOLE_DEVICE_READY, 1);
    ctrl_expect(m, 0, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL, 0);
    ctrl_expect(m, 1, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL, 0);
    ctrl_send(m, 0xffffffffu, VIRTIO_CONSOLE_DEVICE_READY, 1);
    expect_logged(m, "DEVICE_READY a second time");
    ctrl_none(m);
    ctrl_send(m, 1, VIRTIO_CONSOLE_PORT_READY, 0);
    expect_logged(m, "failed to set up port 1 (PORT_READY 0)");
    ctrl_none(m);
    ctrl_send(m, 1, VIRTIO_CONSOLE_PORT_READY, 1);
    ctrl_expect(m, 1, VIRTIO_CONSOLE_PORT_NAME, 1, "port1", 6);
    ctrl_expect(m, 1, VIRTIO_CONSOLE_PORT_OPEN, 1, NULL, 0);
    ctrl_send(m, 1, VIRTIO_CONSOLE_PORT_READY, 1);
    expect_logged(m, "PORT_READY for port 1 a second time");
    ctrl_none(m);
    ctrl_send(m, 1, VIRTIO_CONSOLE_PORT_OPEN, 7);
    expect_logged(m, "PORT_OPEN value 7 for port 1 is not 0 or 1");
    assert_int_equal(fg_used_idx(&m->g, CTX), m->ctx_next); /* every message returned */
}

static void test_reset(void **state)
{
    struct mp *m = *state;
    struct fake_guest *g = &m->g;
    handshake(m);
    /* A fault, then reset: the handshake goes again from the start. */
    ctrl_send(m, 9, VIRTIO_CONSOLE_PORT_READY, 1);
    assert_true(broken(g));
    g->log_lines = 0;
    handshake(m);
    /* Reset with port 1 open: after it, port 1's input waits for the new driver. */
    ctrl_send(m, 1, VIRTIO_CONSOLE_PORT_OPEN, 1);
    up(m, MP_F);
    fg_desc(g, 4, 0, FG_BUF_IPA + 0x400, 16, W, 0);
    fg_avail(g, 4, 0);
    fg_kick(g, 4);
    assert_int_equal(fg_port_rx_put(g, 1, "held", 4), 4);
    virtio_console_rx_ready(&g->con);
    assert_int_equal(fg_used_idx(g, 4), 0);
    crx_buffers(m, QN, 64);
    ctrl_send(m, 0xffffffffu, VIRTIO_CONSOLE_DEVICE_READY, 1);
    ctrl_expect(m, 0, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL, 0);
    ctrl_expect(m, 1, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL, 0);
    ctrl_send(m, 1, VIRTIO_CONSOLE_PORT_READY, 1);
    ctrl_send(m, 1, VIRTIO_CONSOLE_PORT_OPEN, 1);
    assert_int_equal(fg_used_idx(g, 4), 1);
    assert_memory_equal(fg_mem(g, FG_BUF_IPA + 0x400), "held", 4);
    assert_int_equal(g->log_lines, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_offer_and_config, setup2, teardown),
        cmocka_unit_test(test_single_port_device_no_multiport),
        cmocka_unit_test_setup_teardown(test_init_checks, setup2, teardown),
        cmocka_unit_test_setup_teardown(test_negotiated_without_multiport, setup2, teardown),
        cmocka_unit_test_setup_teardown(test_handshake, setup2, teardown),
        cmocka_unit_test(test_handshake_console_port_1),
        cmocka_unit_test_setup_teardown(test_messages_wait_for_buffers, setup2, teardown),
        cmocka_unit_test_setup_teardown(test_port1_data, setup2, teardown),
        cmocka_unit_test_setup_teardown(test_resize, setup2, teardown),
        cmocka_unit_test_setup_teardown(test_resize_waits_for_buffer, setup2, teardown),
        cmocka_unit_test(test_resize_rows_first),
        cmocka_unit_test_setup_teardown(test_short_message, setup2, teardown),
        cmocka_unit_test_setup_teardown(test_split_and_long_message, setup2, teardown),
        cmocka_unit_test_setup_teardown(test_port_out_of_range, setup2, teardown),
        cmocka_unit_test_setup_teardown(test_port_open_out_of_range, setup2, teardown),
        cmocka_unit_test_setup_teardown(test_crx_buffer_too_small, setup2, teardown),
        cmocka_unit_test_setup_teardown(test_crx_buffer_too_small_for_name, setup2, teardown),
        cmocka_unit_test_setup_teardown(test_crx_buffer_readable, setup2, teardown),
        cmocka_unit_test_setup_teardown(test_ctx_buffer_writable, setup2, teardown),
        cmocka_unit_test_setup_teardown(test_ignored_messages, setup2, teardown),
        cmocka_unit_test_setup_teardown(test_reset, setup2, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * The virtio-mmio transport: identity registers, feature negotiation, access rules, the
 * configuration space, interrupts, queue set-up checks and reset, through a console device.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake_guest.h"

#define ALL_FEATURES                                                                                         \
    ((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_RING_F_INDIRECT_DESC) |                                  \
     (1ull << VIRTIO_CONSOLE_F_SIZE) | (1ull << VIRTIO_CONSOLE_F_EMERG_WRITE))

static int setup(void **state)
{
    static struct fake_guest g;
    if (fg_init(&g, 256, 256) != 0)
        return -1;
    *state = &g;
    return 0;
}

static int teardown(void **state)
{
    struct fake_guest *g = *state;
    assert_true(fg_guards_ok(g));
    fg_free(g);
    return 0;
}

static void test_identity(void **state)
{
    struct fake_guest *g = *state;
    assert_int_equal(fg_read(g, VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_VERSION), 2);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_DEVICE_ID), 3);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_VENDOR_ID), VIRTIO_MMIO_VENDOR);
    fg_write(g, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_DEVICE_FEATURES), (uint32_t)ALL_FEATURES);
    fg_write(g, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_DEVICE_FEATURES), 1); /* VERSION_1, bit 32 */
    fg_write(g, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 2);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_DEVICE_FEATURES), 0);
    for (unsigned q = 0; q < 3; q++) {
        fg_write(g, VIRTIO_MMIO_QUEUE_SEL, q);
        assert_int_equal(fg_read(g, VIRTIO_MMIO_QUEUE_NUM_MAX), q < 2 ? VIRTIO_CONSOLE_QUEUE_MAX : 0);
        assert_int_equal(fg_read(g, VIRTIO_MMIO_QUEUE_READY), 0);
    }
    assert_int_equal(fg_read(g, VIRTIO_MMIO_STATUS), 0);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_SHM_LEN_LOW), 0xffffffffu);
    assert_int_equal(g->log_lines, 0);
}

static void test_features_ok(void **state)
{
    struct fake_guest *g = *state;
    uint32_t st = fg_negotiate(g, ALL_FEATURES);
    assert_int_equal(st, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    assert_true(virtio_mmio_negotiated(&g->con.mmio, VIRTIO_F_VERSION_1));
    /* Fixed once accepted. */
    fg_write(g, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    fg_write(g, VIRTIO_MMIO_DRIVER_FEATURES, 0);
    assert_true(virtio_mmio_negotiated(&g->con.mmio, VIRTIO_CONSOLE_F_SIZE));
    fg_driver_ok(g);
    assert_true(fg_read(g, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DRIVER_OK);
    assert_int_equal(g->log_lines, 0);
}

static void test_features_ok_refused_without_version_1(void **state)
{
    struct fake_guest *g = *state;
    uint32_t st = fg_negotiate(g, ALL_FEATURES & ~(1ull << VIRTIO_F_VERSION_1));
    assert_int_equal(st, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    assert_int_equal(fg_log_count(g, "VIRTIO_F_VERSION_1"), 1);
    /* DRIVER_OK without FEATURES_OK is not taken either. */
    fg_write(g, VIRTIO_MMIO_STATUS, st | VIRTIO_STATUS_DRIVER_OK);
    assert_false(fg_read(g, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DRIVER_OK);
    assert_false(virtio_mmio_running(&g->con.mmio));
}

static void test_features_not_offered_refused(void **state)
{
    struct fake_guest *g = *state;
    const uint64_t extra[] = { 1ull << VIRTIO_RING_F_EVENT_IDX, 1ull << VIRTIO_CONSOLE_F_MULTIPORT,
                               1ull << 40 };
    for (unsigned i = 0; i < 3; i++) {
        uint32_t st = fg_negotiate(g, ALL_FEATURES | extra[i]);
        assert_false(st & VIRTIO_STATUS_FEATURES_OK);
    }
    /* A bit in a word above 63 is refused too. */
    fg_write(g, VIRTIO_MMIO_STATUS, 0);
    fg_write(g, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    fg_write(g, VIRTIO_MMIO_DRIVER_FEATURES, 1);
    fg_write(g, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 2);
    fg_write(g, VIRTIO_MMIO_DRIVER_FEATURES, 1);
    fg_write(g, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_FEATURES_OK);
    assert_false(fg_read(g, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK);
    assert_int_equal(fg_log_count(g, "FEATURES_OK refused"), 4);
    /* And a subset is fine. */
    assert_true(fg_negotiate(g, 1ull << VIRTIO_F_VERSION_1) & VIRTIO_STATUS_FEATURES_OK);
}

static void test_bad_access_ignored_and_reported_once(void **state)
{
    struct fake_guest *g = *state;
    fg_negotiate(g, ALL_FEATURES);
    uint32_t st = fg_read(g, VIRTIO_MMIO_STATUS);
    assert_int_equal(fg_access(g, VIRTIO_MMIO_STATUS, false, 2, 0x55), 0);
    assert_int_equal(fg_access(g, VIRTIO_MMIO_MAGIC_VALUE, false, 8, 0x55), 0);
    assert_int_equal(fg_access(g, VIRTIO_MMIO_MAGIC_VALUE + 1, false, 4, 0x55), 0);
    assert_int_equal(fg_access(g, VIRTIO_MMIO_QUEUE_NUM, false, 4, 0x55), 0);   /* write-only */
    assert_int_equal(fg_access(g, 0x0f0, false, 4, 0x55), 0);                   /* no register */
    fg_access(g, VIRTIO_MMIO_STATUS, true, 1, 0);                               /* would reset */
    fg_access(g, VIRTIO_MMIO_MAGIC_VALUE, true, 4, 0);                          /* read-only */
    fg_access(g, VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_COLS, true, 2, 1);     /* read-only */
    assert_int_equal(fg_access(g, VIRTIO_MMIO_CONFIG + 1, false, 2, 0x55), 0);  /* misaligned */
    assert_int_equal(fg_access(g, VIRTIO_MMIO_CONFIG + 12, false, 4, 0x55), 0); /* past config */
    assert_int_equal(fg_access(g, VIRTIO_MMIO_CONFIG + 8, false, 8, 0x55), 0);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_STATUS), st);
    assert_int_equal(g->log_lines, 1);
    assert_int_equal(fg_log_count(g, "reported once"), 1);
    assert_int_equal(g->irqs, 0);
}

static void test_config_space(void **state)
{
    struct fake_guest *g = *state;
    assert_int_equal(fg_access(g, VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_COLS, false, 2, 0), 80);
    assert_int_equal(fg_access(g, VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_ROWS, false, 2, 0), 24);
    assert_int_equal(fg_access(g, VIRTIO_MMIO_CONFIG, false, 4, 0), 80u | 24u << 16);
    assert_int_equal(fg_access(g, VIRTIO_MMIO_CONFIG, false, 1, 0), 80);
    assert_int_equal(fg_access(g, VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_MAX_NR_PORTS, false, 4, 7), 0);
    uint32_t gen = fg_read(g, VIRTIO_MMIO_CONFIG_GENERATION);
    virtio_console_set_size(&g->con, 132, 43);
    assert_int_equal(fg_access(g, VIRTIO_MMIO_CONFIG, false, 4, 0), 132u | 43u << 16);
    assert_int_not_equal(fg_read(g, VIRTIO_MMIO_CONFIG_GENERATION), gen);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_CONFIG);
    assert_int_equal(g->irqs, 1);
    assert_int_equal(g->log_lines, 0);
}

static void no_irq(void *ctx)
{
    (void)ctx;
}

static void test_init_size(void **state)
{
    (void)state;
    struct fake_guest g2;
    assert_int_equal(fg_init(&g2, 64, 64), 0);
    struct virtio_console_params p = { 0 };
    p.mem = (struct guest_mem){ FG_RAM_IPA, FG_RAM_SIZE, g2.ram };
    p.serial = &g2.client;
    p.cols = 100;
    p.rows = 30;
    p.irq = no_irq;
    assert_null(virtio_console_init(&g2.con, &p));
    assert_int_equal(fg_access(&g2, VIRTIO_MMIO_CONFIG, false, 4, 0), 100u | 30u << 16);
    /* Refused: no serial client, no irq, RAM misaligned against its guest address, empty RAM. */
    p.serial = NULL;
    assert_non_null(virtio_console_init(&g2.con, &p));
    p.serial = &g2.client;
    p.irq = NULL;
    assert_non_null(virtio_console_init(&g2.con, &p));
    p.irq = no_irq;
    p.mem.host = g2.ram + 4;
    assert_non_null(virtio_console_init(&g2.con, &p));
    p.mem.host = g2.ram;
    p.mem.size = 0;
    assert_non_null(virtio_console_init(&g2.con, &p));
    p.mem.size = FG_RAM_SIZE;
    p.mem.ipa = ~0ull - 10;
    assert_non_null(virtio_console_init(&g2.con, &p));
    fg_free(&g2);
}

static void test_interrupt_ack(void **state)
{
    struct fake_guest *g = *state;
    fg_bring_up(g, 8);
    memcpy(fg_mem(g, FG_BUF_IPA), "ab", 2);
    fg_desc(g, 1, 0, FG_BUF_IPA, 1, 0, 0);
    fg_desc(g, 1, 1, FG_BUF_IPA + 1, 1, 0, 0);
    fg_avail(g, 1, 0);
    fg_kick(g, 1);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_USED);
    assert_int_equal(g->irqs, 1);
    /* Another used buffer while the bit is still set: the line is already high. */
    fg_avail(g, 1, 1);
    fg_kick(g, 1);
    assert_int_equal(fg_used_idx(g, 1), 2);
    assert_int_equal(g->irqs, 1);
    /* A configuration change adds a bit: a new edge. */
    virtio_console_set_size(&g->con, 1, 1);
    assert_int_equal(g->irqs, 2);
    /* ACK of one bit leaves the other: still high, the VMM is told again. */
    fg_write(g, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_INT_USED);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_CONFIG);
    assert_int_equal(g->irqs, 3);
    fg_write(g, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_INT_CONFIG);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    assert_int_equal(g->irqs, 3);
}

static void test_no_interrupt_flag(void **state)
{
    struct fake_guest *g = *state;
    fg_bring_up(g, 8);
    uint16_t flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
    memcpy(fg_mem(g, fg_avail_ipa(1)) + VIRTQ_AVAIL_FLAGS, &flags, 2);
    fg_desc(g, 1, 0, FG_BUF_IPA, 1, 0, 0);
    fg_avail(g, 1, 0);
    fg_kick(g, 1);
    assert_int_equal(fg_used_idx(g, 1), 1);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    assert_int_equal(g->irqs, 0);
}

/* Every fault: DEVICE_NEEDS_RESET, one configuration interrupt, one line naming it. */
static void assert_faulted(struct fake_guest *g, const char *needle)
{
    assert_true(fg_read(g, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
    assert_true(fg_read(g, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_INT_CONFIG);
    assert_int_equal(g->log_lines, 1);
    if (fg_log_count(g, needle) != 1)
        fail_msg("log line \"%s\" does not name \"%s\"", g->log[0], needle);
    assert_int_equal(fg_log_count(g, "device needs reset"), 1);
}

static void test_fault_reported_once(void **state)
{
    struct fake_guest *g = *state;
    fg_bring_up(g, 8);
    virtio_mmio_fault(&g->con.mmio, "first %d", 1);
    virtio_mmio_fault(&g->con.mmio, "second %d", 2);
    assert_faulted(g, "virtio console: first 1: device needs reset");
    assert_int_equal(g->irqs, 1);
    assert_false(virtio_mmio_running(&g->con.mmio));
}

static void test_queue_size_refused(void **state)
{
    struct fake_guest *g = *state;
    const uint16_t bad[] = { 0, 3, 512, 6 };
    for (unsigned i = 0; i < 4; i++) {
        fg_negotiate(g, ALL_FEATURES);
        g->log_lines = 0;
        fg_queue(g, 0, bad[i]);
        assert_faulted(g, "is not a power of two");
        fg_write(g, VIRTIO_MMIO_QUEUE_SEL, 0);
        assert_int_equal(fg_read(g, VIRTIO_MMIO_QUEUE_READY), 0);
    }
    /* The largest size is fine. */
    fg_negotiate(g, ALL_FEATURES);
    g->log_lines = 0;
    fg_queue(g, 0, VIRTIO_CONSOLE_QUEUE_MAX);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_QUEUE_READY), 1);
    assert_int_equal(g->log_lines, 0);
}

static void test_rings_checked(void **state)
{
    struct fake_guest *g = *state;
    const uint64_t end = FG_RAM_IPA + FG_RAM_SIZE;
    struct {
        uint64_t desc, avail, used;
        const char *needle;
    } cases[] = {
        { end - 0x40, fg_avail_ipa(0), fg_used_ipa(0), "descriptor table" },
        { FG_RAM_IPA - 0x1000, fg_avail_ipa(0), fg_used_ipa(0), "outside guest RAM" },
        { fg_desc_ipa(0) + 8, fg_avail_ipa(0), fg_used_ipa(0), "16-byte aligned" },
        { fg_desc_ipa(0), fg_avail_ipa(0) + 1, fg_used_ipa(0), "available ring at" },
        { fg_desc_ipa(0), end - 4, fg_used_ipa(0), "available ring 0x" },
        { fg_desc_ipa(0), fg_avail_ipa(0), fg_used_ipa(0) + 2, "4-byte aligned" },
        { fg_desc_ipa(0), fg_avail_ipa(0), end - 0x20, "used ring 0x" },
        { fg_desc_ipa(0), fg_avail_ipa(0), 0xfffffffffffffff0ull, "used ring 0x" },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fg_negotiate(g, ALL_FEATURES);
        g->log_lines = 0;
        fg_queue_at(g, 0, 16, cases[i].desc, cases[i].avail, cases[i].used);
        assert_faulted(g, cases[i].needle);
        assert_int_equal(fg_read(g, VIRTIO_MMIO_QUEUE_READY), 0);
    }
}

static void test_reset(void **state)
{
    struct fake_guest *g = *state;
    fg_bring_up(g, 8);
    fg_write(g, VIRTIO_MMIO_QUEUE_SEL, 5);
    virtio_console_set_size(&g->con, 10, 10);
    fg_queue_at(g, 0, 3, fg_desc_ipa(0), fg_avail_ipa(0), fg_used_ipa(0)); /* ready already: ignored */
    fg_write(g, VIRTIO_MMIO_STATUS, 0);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_STATUS), 0);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    for (unsigned q = 0; q < 2; q++) {
        fg_write(g, VIRTIO_MMIO_QUEUE_SEL, q);
        assert_int_equal(fg_read(g, VIRTIO_MMIO_QUEUE_READY), 0);
    }
    assert_false(virtio_mmio_negotiated(&g->con.mmio, VIRTIO_F_VERSION_1));
    /* A broken device is usable again after reset. */
    fg_bring_up(g, 4);
    fg_desc(g, 1, 0, FG_BUF_IPA, 1, VIRTQ_DESC_F_WRITE, 0);
    fg_avail(g, 1, 0);
    fg_kick(g, 1);
    assert_true(g->con.mmio.broken);
    fg_write(g, VIRTIO_MMIO_STATUS, 0);
    assert_false(g->con.mmio.broken);
    fg_bring_up(g, 4);
    memcpy(fg_mem(g, FG_BUF_IPA), "z", 1);
    fg_desc(g, 1, 0, FG_BUF_IPA, 1, 0, 0);
    fg_avail(g, 1, 0);
    fg_kick(g, 1);
    char c = 0;
    assert_int_equal(fg_tx_drain(g, &c, 1), 1);
    assert_int_equal(c, 'z');
}

/* A chain taken before a reset or a disable is stale: it cannot be walked or returned. */
static void test_stale_chain(void **state)
{
    struct fake_guest *g = *state;
    struct virtq_chain c;
    uint8_t *p;
    uint32_t len;
    for (unsigned how = 0; how < 2; how++) {
        fg_bring_up(g, 8);
        fg_desc(g, 1, 0, FG_BUF_IPA, 4, 0, 0);
        fg_avail(g, 1, 0); /* no notification: the test takes it itself */
        assert_true(virtq_pop(&g->con.mmio, 1, &c));
        if (how == 0) {
            fg_bring_up(g, 8); /* reset and a new driver */
        } else {
            fg_write(g, VIRTIO_MMIO_QUEUE_SEL, 1);
            fg_write(g, VIRTIO_MMIO_QUEUE_READY, 0);
            fg_queue(g, 1, 8);
        }
        assert_false(virtq_chain_live(&g->con.mmio, &c));
        assert_int_equal(virtq_span(&g->con.mmio, &c, false, &p, &len), VIRTQ_ERR);
        assert_false(virtq_push(&g->con.mmio, &c));
        assert_int_equal(fg_used_idx(g, 1), 0);
    }
    assert_int_equal(g->log_lines, 0);
}

static void test_queue_disable(void **state)
{
    struct fake_guest *g = *state;
    fg_bring_up(g, 8);
    fg_write(g, VIRTIO_MMIO_QUEUE_SEL, 1);
    fg_write(g, VIRTIO_MMIO_QUEUE_READY, 0);
    assert_int_equal(fg_read(g, VIRTIO_MMIO_QUEUE_READY), 0);
    fg_desc(g, 1, 0, FG_BUF_IPA, 1, 0, 0);
    fg_avail(g, 1, 0);
    fg_kick(g, 1); /* not ready: ignored */
    assert_int_equal(fg_used_idx(g, 1), 0);
    assert_int_equal(g->log_lines, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_identity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_features_ok, setup, teardown),
        cmocka_unit_test_setup_teardown(test_features_ok_refused_without_version_1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_features_not_offered_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_access_ignored_and_reported_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_space, setup, teardown),
        cmocka_unit_test(test_init_size),
        cmocka_unit_test_setup_teardown(test_interrupt_ack, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_interrupt_flag, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_reported_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queue_size_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rings_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queue_disable, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* <serial>: what the expansion puts in the image (the three PDs, the UART's registers and IRQ in
 * the driver, rings shared by exactly the right pairs of PDs, the channels), the configurations
 * patched into every PD as they read them back, the kernel's log ring in the sysimg header,
 * --report, --emit-system (read back into the same image) and --list-inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "diag.h"
#include "harness.h"
#include "imgread.h"
#include "inputs.h"
#include "mksys.h"
#include "serial_config.h"

#define BOARD      TEST_OUT "/board_serial.dtb"
#define OUT_IMG    TEST_OUT "/out/serial.img"
#define OUT_REPORT TEST_OUT "/out/serial.txt"
#define OUT_EMIT   TEST_OUT "/out/serial_expanded.system"
#define CLIENT_ELF TEST_OUT "/serial_client.elf"

static struct img img;

static int setup(void **state)
{
    (void)state;
    struct mksys_opts o = { .board = BOARD,
                            .system = FIXTURES "/serial.system",
                            .output = OUT_IMG,
                            .report = OUT_REPORT,
                            .emit_system = OUT_EMIT };
    return img_build(&img, &o);
}

static int teardown(void **state)
{
    (void)state;
    img_free(&img);
    return 0;
}

/* What a PD of image `im` sees at ipa, as bytes in the image file. */
static const uint8_t *pd_bytes(const struct img *im, const char *pd, uint64_t ipa)
{
    const uint8_t *b = img_pd_bytes(im, pd, ipa);
    assert_non_null(b);
    return b;
}

static void read_config(const struct img *im, const char *pd, const char *elf, const char *symbol, void *out,
                        size_t len)
{
    uint64_t vaddr = elf_sym(elf, symbol);
    assert_true(vaddr != 0);
    memcpy(out, pd_bytes(im, pd, vaddr), len);
}

/* The physical address behind a PD's ipa (a map of pd must cover [ipa, ipa + size)). */
static uint64_t pa_of(const struct img *im, const char *pd, uint64_t ipa, uint64_t size)
{
    const struct sysimg_map *m = img_map(im, img_pd(im, pd), ipa);
    assert_non_null(m);
    assert_true(ipa - m->ipa + size <= m->size);
    return m->pa + (ipa - m->ipa);
}

static int pd_index(const struct img *im, const char *name)
{
    const struct sysimg_pd *p = img_pd(im, name);
    assert_non_null(p);
    return (int)(p - im->pds);
}

static void check_ref(const struct serial_queue_ref *r, uint64_t vaddr, uint64_t region, uint32_t size,
                      uint32_t ch)
{
    assert_true(r->vaddr == vaddr && r->region_size == region);
    assert_int_equal(r->size, size);
    assert_int_equal(r->channel, ch);
}

/* Both ends of a ring see the same physical pages, writable, cached, and no one else maps them. */
static void shared_by(const struct img *im, const char *a, const struct serial_queue_ref *ra, const char *b,
                      const struct serial_queue_ref *rb)
{
    assert_true(ra->region_size == rb->region_size && ra->size == rb->size);
    uint64_t pa = pa_of(im, a, ra->vaddr, ra->region_size);
    assert_true(pa == pa_of(im, b, rb->vaddr, rb->region_size));
    const struct sysimg_map *m = img_map(im, img_pd(im, a), ra->vaddr);
    assert_true(m->cached == 1 && m->perms == (SYSIMG_PERM_R | SYSIMG_PERM_W));
    assert_true(img_zeroed(im, pa, ra->region_size)); /* the rings start empty */
    int users = 0;
    for (uint32_t i = 0; i < im->h->num_maps; i++)
        users += im->maps[i].pa == pa;
    assert_int_equal(users, 2);
}

/* Channel slot `ch` of pd is a notifying channel to peer's slot peer_ch. */
static void chan(const struct img *im, const char *pd, unsigned ch, const char *peer, unsigned peer_ch)
{
    const struct sysimg_channel *c = &img_pd(im, pd)->ch[ch];
    assert_int_equal(c->kind, SYSIMG_CH_CHANNEL);
    assert_int_equal(c->flags, SYSIMG_CH_NOTIFY);
    assert_int_equal(c->peer_pd, pd_index(im, peer));
    assert_int_equal(c->peer_ch, peer_ch);
}

static void pd_table(void **state)
{
    (void)state;
    assert_int_equal(img.h->num_pds, 6);
    const char *names[] = { "alpha", "beta", "other", "serial_driver", "serial_tx", "serial_rx" };
    const uint32_t prio[] = { 100, 90, 80, 254, 253, 252 };
    for (uint32_t i = 0; i < 6; i++) {
        assert_string_equal(img.pds[i].name, names[i]);
        assert_int_equal(img.pds[i].priority, prio[i]);
        assert_int_equal(img.pds[i].parent, SYSIMG_NO_PARENT);
    }
    /* each PD runs its own program: the entries are those of the stand-ins' ELFs */
    assert_true(img.pds[3].entry == elf_sym(TEST_OUT "/pl011.elf", "_start"));
    assert_true(img.pds[4].entry == elf_sym(TEST_OUT "/serial_tx.elf", "_start"));
}

static void driver(void **state)
{
    (void)state;
    struct serial_driver_config d;
    read_config(&img, "serial_driver", TEST_OUT "/pl011.elf", "serial_driver_config", &d, sizeof d);
    assert_int_equal(d.magic, SERIAL_DRIVER_MAGIC);
    assert_int_equal(d.version, SERIAL_CONFIG_VERSION);
    assert_true(d.regs_vaddr == 0x50000000 && d.regs_size == 0x1000);
    assert_true(d.ref_clock_hz == 48000000); /* the "uartclk" fixed clock, not the first one */
    assert_int_equal(d.baud, 57600);
    assert_int_equal(d.irq_channel, 0);
    check_ref(&d.tx, 0x50002000, 0x1000, 0x800, 1);
    check_ref(&d.rx, 0x50004000, 0x1000, 0x800, 2);
    assert_int_equal(d.flags, 0);
    const struct sysimg_pd *p = img_pd(&img, "serial_driver");
    const struct sysimg_map *regs = img_map(&img, p, d.regs_vaddr);
    assert_true(regs->pa == 0x9000000 && regs->size == 0x1000 && regs->cached == 0);
    assert_int_equal(regs->perms, SYSIMG_PERM_R | SYSIMG_PERM_W);
    assert_int_equal(p->ch[0].kind, SYSIMG_CH_IRQ);
    assert_int_equal(p->ch[0].irq, 33);
    assert_int_equal(p->ch[0].flags, 0); /* level */
    chan(&img, "serial_driver", 1, "serial_tx", 0);
    chan(&img, "serial_driver", 2, "serial_rx", 0);
    /* no other PD maps the UART */
    int users = 0;
    for (uint32_t i = 0; i < img.h->num_maps; i++)
        users += img.maps[i].pa == 0x9000000;
    assert_int_equal(users, 1);
}

static void virtualisers_and_clients(void **state)
{
    (void)state;
    struct serial_driver_config d;
    struct serial_tx_config t;
    struct serial_rx_config r;
    struct serial_client_config a, b;
    read_config(&img, "serial_driver", TEST_OUT "/pl011.elf", "serial_driver_config", &d, sizeof d);
    read_config(&img, "serial_tx", TEST_OUT "/serial_tx.elf", "serial_tx_config", &t, sizeof t);
    read_config(&img, "serial_rx", TEST_OUT "/serial_rx.elf", "serial_rx_config", &r, sizeof r);
    read_config(&img, "alpha", CLIENT_ELF, "serial_client_config", &a, sizeof a);
    read_config(&img, "beta", CLIENT_ELF, "serial_client_config", &b, sizeof b);
    assert_true(t.magic == SERIAL_TX_MAGIC && t.version == SERIAL_CONFIG_VERSION);
    assert_int_equal(t.flags, SERIAL_TX_F_PREFIX | SERIAL_TX_F_BANNER); /* colour="off" prefix="on" */
    assert_int_equal(t.num_clients, 2);
    check_ref(&t.driver, 0x50000000, 0x1000, 0x800, 0);
    assert_string_equal(t.names[0], "alpha");
    assert_string_equal(t.names[1], "beta");
    assert_int_equal(t.names[2][0], 0);
    assert_true(r.magic == SERIAL_RX_MAGIC && r.version == SERIAL_CONFIG_VERSION);
    assert_int_equal(r.num_clients, 2);
    assert_int_equal(r.initial_client, 1);
    check_ref(&r.driver, 0x50000000, 0x1000, 0x800, 0);
    assert_string_equal(r.names[1], "beta");
    /* alpha already had ids 0 (channel) and 2 (IRQ): its rings get 1 and 3; beta gets 0 and 1 */
    assert_true(a.magic == SERIAL_CLIENT_MAGIC && a.version == SERIAL_CONFIG_VERSION && a.index == 0);
    assert_string_equal(a.name, "alpha");
    check_ref(&a.tx, 0x50000000, 0x1000, 0x800, 1);
    check_ref(&a.rx, 0x50002000, 0x1000, 0x800, 3);
    assert_true(b.index == 1 && !strcmp(b.name, "beta"));
    check_ref(&b.tx, 0x50000000, 0x1000, 0x800, 0);
    check_ref(&b.rx, 0x50002000, 0x1000, 0x800, 1);
    check_ref(&t.clients[0], 0x50008000, 0x1000, 0x800, 1);
    check_ref(&t.clients[1], 0x5000a000, 0x1000, 0x800, 2);
    check_ref(&r.clients[0], 0x50002000, 0x1000, 0x800, 1);
    check_ref(&r.clients[1], 0x50004000, 0x1000, 0x800, 2);
    shared_by(&img, "serial_driver", &d.tx, "serial_tx", &t.driver);
    shared_by(&img, "serial_driver", &d.rx, "serial_rx", &r.driver);
    shared_by(&img, "alpha", &a.tx, "serial_tx", &t.clients[0]);
    shared_by(&img, "alpha", &a.rx, "serial_rx", &r.clients[0]);
    shared_by(&img, "beta", &b.tx, "serial_tx", &t.clients[1]);
    shared_by(&img, "beta", &b.rx, "serial_rx", &r.clients[1]);
    chan(&img, "alpha", 1, "serial_tx", 1);
    chan(&img, "alpha", 3, "serial_rx", 1);
    chan(&img, "beta", 0, "serial_tx", 2);
    chan(&img, "beta", 1, "serial_rx", 2);
    chan(&img, "serial_tx", 1, "alpha", 1);
    chan(&img, "serial_rx", 2, "beta", 1);
    chan(&img, "alpha", 0, "other", 0); /* the user's own channel is untouched */
    assert_int_equal(img_pd(&img, "alpha")->ch[2].kind, SYSIMG_CH_IRQ);
}

static void log_ring(void **state)
{
    (void)state;
    struct serial_tx_config t;
    read_config(&img, "serial_tx", TEST_OUT "/serial_tx.elf", "serial_tx_config", &t, sizeof t);
    check_ref(&t.log, 0x50002000, 0x5000, 0x4000, 3); /* 0x4000 + 64 bytes of control, page-rounded */
    const struct sysimg_header *h = img.h;
    assert_true(h->log_pa == pa_of(&img, "serial_tx", t.log.vaddr, t.log.region_size));
    assert_int_equal(h->log_region_size, 0x5000);
    assert_int_equal(h->log_size, 0x4000);
    assert_int_equal(h->log_pd, pd_index(&img, "serial_tx"));
    assert_int_equal(h->log_ch, 3);
    assert_int_equal(img.pds[h->log_pd].ch[h->log_ch].kind, SYSIMG_CH_KLOG);
    assert_int_equal(h->uart_owner_pd, pd_index(&img, "serial_driver"));
    assert_true(img_zeroed(&img, h->log_pa, h->log_region_size));
    int users = 0; /* the kernel writes it by its PA; only TX maps it */
    for (uint32_t i = 0; i < h->num_maps; i++)
        users += img.maps[i].pa == h->log_pa;
    assert_int_equal(users, 1);
    /* the console stays the kernel's until the driver runs (and on panic) */
    assert_int_equal(h->uart_kind, SYSIMG_UART_PL011);
    assert_true(h->uart_base == 0x9000000);
}

static void no_serial_no_owner(void **state)
{
    (void)state;
    struct img plain;
    struct mksys_opts o = { .system = FIXTURES "/valid.system", .output = TEST_OUT "/out/serial_none.img" };
    assert_int_equal(img_build(&plain, &o), 0);
    assert_int_equal(plain.h->uart_owner_pd, SYSIMG_NO_PARENT);
    assert_true(plain.h->log_pa == 0 && plain.h->log_size == 0 && plain.h->log_region_size == 0);
    img_free(&plain);
}

static void report(void **state)
{
    (void)state;
    char *text = read_whole(OUT_REPORT, NULL);
    assert_non_null(text);
    const char *needles[] = {
        "\nserial (<serial> line 26)\n",
        ("  UART         /pl011@9000000 (compatible \"arm,pl011\"), registers 0x9000000 (0x1000 bytes), the "
         "kernel's console\n"),
        "  IRQ          INTID 33 (level) on driver channel 0\n",
        "  driver       PD 'serial_driver' program pl011.elf, baud 57600 8N1\n",
        "  ref clock    48000000 Hz from clock-frequency of /uart-clk (clock 'uartclk')\n",
        "  client 0     PD 'alpha': channel 1 to TX (its 1), channel 3 to RX (its 1)\n",
        "  client 1     PD 'beta': channel 0 to TX (its 2), channel 1 to RX (its 2)\n",
        "  ring alpha -> TX             region serial_tx_alpha",
        "  kernel log ring -> TX        region serial_log",
        "  kernel log   TX channel 3 (KLOG)",
    };
    for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++)
        if (!strstr(text, needles[i]))
            fail_msg("report lacks \"%s\":\n%s", needles[i], text);
    free(text);
}

/* The emitted file keeps <serial> (with every attribute), shows the expansion only inside a
 * comment, and builds the very same image. */
static void emit_round_trip(void **state)
{
    (void)state;
    char *text = read_whole(OUT_EMIT, NULL);
    assert_non_null(text);
    const char *needles[] = {
        ("<serial baud=\"57600\" ring_size=\"0x800\" colour=\"off\" prefix=\"on\" banner=\"on\" "
         "driver_priority=\"254\" tx_priority=\"253\" rx_priority=\"252\" initial_client=\"1\">\n"
         "        <client pd=\"alpha\" />\n        <client pd=\"beta\" />\n    </serial>\n    <!--\n"),
        ("<protection_domain name=\"serial_driver\" priority=\"254\" stack_size=\"0x4000\">\n"
         "        <program_image path=\"pl011.elf\" />\n"
         "        <map mr=\"serial_uart\" vaddr=\"0x50000000\" perms=\"rw\" cached=\"false\" />\n"),
        "<irq irq=\"33\" id=\"0\" trigger=\"level\" />",
        "<memory_region name=\"serial_log\" size=\"0x5000\" />",
        ("    in PD 'alpha' (client 0):\n        <map mr=\"serial_tx_alpha\" vaddr=\"0x50000000\" "
         "perms=\"rw\" />\n"),
        "<end pd=\"alpha\" id=\"3\" pp=\"false\" notify=\"true\" />",
        "regs_vaddr 0x50000000 regs_size 0x1000 ref_clock_hz 48000000 baud 57600 irq_channel 0",
        "log        vaddr 0x50002000 region_size 0x5000 size 0x4000 channel 3",
        "serial_rx_config of 'serial_rx': num_clients 2 initial_client 1",
        "serial_client_config of 'beta': index 1 name beta",
    };
    for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++)
        if (!strstr(text, needles[i]))
            fail_msg("emitted system lacks \"%s\":\n%s", needles[i], text);
    /* outside the comment there is no generated element */
    const char *open = strstr(text, "<!--\n    The <serial>"), *close = open ? strstr(open, "-->") : NULL;
    assert_non_null(close);
    assert_string_equal(close, "-->\n</system>\n");
    char *before = strndup(text, (size_t)(open - text));
    assert_null(strstr(before, "name=\"serial_"));
    assert_null(strstr(before, "mr=\"serial_"));
    assert_null(strstr(before, "pd=\"serial_"));
    free(before);
    free(text);

    struct run_result r;
    struct mksys_opts o = { .board = BOARD, .system = OUT_EMIT, .output = TEST_OUT "/out/serial_reemit.img" };
    run_mksys_opts(&o, &r);
    assert_string_equal(r.error, "");
    size_t n1, n2;
    char *a = read_whole(OUT_IMG, &n1), *b = read_whole(TEST_OUT "/out/serial_reemit.img", &n2);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    free(a);
    free(b);
}

/* An i.MX UART by alias: imx_uart.elf, its whole 64 KiB of registers, the assigned clock rate;
 * not the console, so the kernel keeps it and there is no log ring. */
static void imx_uart_by_alias(void **state)
{
    (void)state;
    struct img im;
    struct mksys_opts o = { .board = BOARD,
                            .system = FIXTURES "/serial_imx.system",
                            .output = TEST_OUT "/out/serial_imx.img",
                            .report = TEST_OUT "/out/serial_imx.txt" };
    assert_int_equal(img_build(&im, &o), 0);
    struct serial_driver_config d;
    struct serial_tx_config t;
    read_config(&im, "serial_driver", TEST_OUT "/imx_uart.elf", "serial_driver_config", &d, sizeof d);
    read_config(&im, "serial_tx", TEST_OUT "/serial_tx.elf", "serial_tx_config", &t, sizeof t);
    assert_true(d.ref_clock_hz == 80000000 && d.baud == 115200);
    assert_true(d.regs_size == 0x10000);
    const struct sysimg_pd *drv = img_pd(&im, "serial_driver");
    const struct sysimg_map *regs = img_map(&im, drv, d.regs_vaddr);
    assert_true(regs->pa == 0x9100000 && regs->size == 0x10000 && regs->cached == 0);
    assert_true(drv->ch[0].kind == SYSIMG_CH_IRQ && drv->ch[0].irq == 59);
    assert_true(drv->priority == 200 && img_pd(&im, "serial_tx")->priority == 199 &&
                img_pd(&im, "serial_rx")->priority == 198);
    /* budgets: the driver's from <serial>, a PD's own; none for the virtualisers */
    assert_true(drv->budget_us == 800 && drv->period_us == 1000);
    assert_true(img_pd(&im, "solo")->budget_us == 300 && img_pd(&im, "solo")->period_us == 2000);
    assert_true(img_pd(&im, "serial_tx")->budget_us == 0 && img_pd(&im, "serial_tx")->period_us == 0);
    check_ref(&d.tx, 0x50011000, 0x2000, 0x1000, 1); /* after the registers and a guard page */
    assert_int_equal(t.flags, SERIAL_TX_F_COLOUR);
    assert_true(t.log.vaddr == 0 && t.log.size == 0);
    assert_true(im.h->log_pa == 0 && im.h->uart_owner_pd == SYSIMG_NO_PARENT);
    for (unsigned ch = 0; ch < SYSIMG_MAX_CHANNELS; ch++)
        assert_int_not_equal(img_pd(&im, "serial_tx")->ch[ch].kind, SYSIMG_CH_KLOG);
    img_free(&im);
    char *text = read_whole(TEST_OUT "/out/serial_imx.txt", NULL);
    assert_non_null(
        strstr(text, "  driver       PD 'serial_driver' program imx_uart.elf, baud 115200 8N1\n"));
    assert_non_null(strstr(
        text, "  ref clock    80000000 Hz from assigned-clock-rates of /serial@9100000 (clock 'per')\n"));
    assert_non_null(strstr(text, "  kernel log   none (the UART is not the console)\n"));
    free(text);
}

/* A system written to TEST_OUT/out, for the cases below. */
static const char *write_system(const char *name, const char *serial)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/out/%s.system", TEST_OUT, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "<system>\n    <protection_domain name=\"solo\" priority=\"1\">\n"
            "        <program_image path=\"serial_client.elf\" />\n    </protection_domain>\n"
            "    %s\n        <client pd=\"solo\" />\n    </serial>\n</system>\n",
            serial);
    fclose(f);
    return path;
}

/* No rate anywhere for the i.MX "per" clock: the documented default; an edge interrupt. */
static void default_clock_and_edge(void **state)
{
    (void)state;
    struct img im;
    struct mksys_opts o = { .board = BOARD,
                            .system =
                                write_system("serial_default", "<serial uart=\"serial6\" log_size=\"0\">"),
                            .output = TEST_OUT "/out/serial_default.img" };
    assert_int_equal(img_build(&im, &o), 0);
    struct serial_driver_config d;
    read_config(&im, "serial_driver", TEST_OUT "/imx_uart.elf", "serial_driver_config", &d, sizeof d);
    assert_true(d.ref_clock_hz == 24000000);
    const struct sysimg_pd *drv = img_pd(&im, "serial_driver");
    assert_true(drv->ch[0].irq == 63 && drv->ch[0].flags == SYSIMG_IRQ_EDGE);
    img_free(&im);
}

/* Clock data the reader must not follow blindly: a provider with an absurd #clock-cells ends
 * the walk (the default rate), an assigned rate of 0 is skipped for the real clock behind it. */
static void hostile_clocks(void **state)
{
    (void)state;
    const char *uart[] = { "/serial@9800000", "/serial@9900000" };
    const uint64_t hz[] = { 24000000, 48000000 };
    for (int i = 0; i < 2; i++) {
        char tag[96];
        snprintf(tag, sizeof tag, "<serial uart=\"%s\" log_size=\"0\">", uart[i]);
        struct img im;
        struct mksys_opts o = { .board = BOARD,
                                .system = write_system("serial_clocks", tag),
                                .output = TEST_OUT "/out/serial_clocks.img" };
        assert_int_equal(img_build(&im, &o), 0);
        struct serial_driver_config d;
        read_config(&im, "serial_driver", TEST_OUT "/pl011.elf", "serial_driver_config", &d, sizeof d);
        assert_true(d.ref_clock_hz == hz[i]);
        img_free(&im);
    }
}

/* log_size="0" on the console: the driver owns the UART but there is no ring. */
static void console_without_log(void **state)
{
    (void)state;
    struct img im;
    struct mksys_opts o = { .board = BOARD,
                            .system = write_system("serial_nolog", "<serial log_size=\"0\">"),
                            .output = TEST_OUT "/out/serial_nolog.img" };
    assert_int_equal(img_build(&im, &o), 0);
    assert_true(im.h->log_pa == 0 && im.h->log_size == 0);
    assert_int_equal(im.h->uart_owner_pd, pd_index(&im, "serial_driver"));
    img_free(&im);
}

/* The board tree QEMU really dumps: PL011 at 0x9000000, SPI 1, both clocks the 24 MHz apb-pclk. */
static void qemu_virt_board(void **state)
{
    (void)state;
    const char *dtb = getenv("QEMU_VIRT_DTB");
    if (!dtb)
        skip();
    struct img im;
    struct mksys_opts o = { .board = dtb,
                            .system = FIXTURES "/serial.system",
                            .output = TEST_OUT "/out/serial_virt.img",
                            .report = TEST_OUT "/out/serial_virt.txt" };
    assert_int_equal(img_build(&im, &o), 0);
    struct serial_driver_config d;
    read_config(&im, "serial_driver", TEST_OUT "/pl011.elf", "serial_driver_config", &d, sizeof d);
    assert_true(d.ref_clock_hz == 24000000);
    const struct sysimg_pd *drv = img_pd(&im, "serial_driver");
    assert_true(img_map(&im, drv, d.regs_vaddr)->pa == 0x9000000);
    assert_true(drv->ch[0].irq == 33 && drv->ch[0].flags == 0);
    assert_int_equal(im.h->uart_owner_pd, pd_index(&im, "serial_driver"));
    assert_true(im.h->log_pa != 0 && im.h->log_size == 0x4000);
    img_free(&im);
    char *text = read_whole(TEST_OUT "/out/serial_virt.txt", NULL);
    assert_non_null(
        strstr(text, "  ref clock    24000000 Hz from clock-frequency of /apb-pclk (clock 'uartclk')\n"));
    free(text);
}

static char last_error[1024];
static void capture(const char *msg, void *arg)
{
    (void)arg;
    snprintf(last_error, sizeof last_error, "%s", msg);
}

static char *inputs(const char *system, const char *board)
{
    const char *out = TEST_OUT "/out/serial_inputs.mk";
    unlink(out);
    last_error[0] = 0;
    diag_set_sink(capture, NULL);
    int rc = mksys_list_inputs_board(system, board, out);
    diag_set_sink(NULL, NULL);
    assert_string_equal(last_error, "");
    assert_int_equal(rc, 0);
    return read_whole(out, NULL);
}

/* The component programs a <serial> needs, so the build makes them: without a board every
 * driver mksys knows (the UART's compatible is not known), with one exactly its driver. */
static void list_inputs(void **state)
{
    (void)state;
    char *mk = inputs(FIXTURES "/serial.system", NULL);
    assert_non_null(mk);
    assert_non_null(
        strstr(mk, "\nMKSYS_PROGRAMS := serial_client.elf pd.elf pl011.elf imx_uart.elf serial_tx.elf "
                   "serial_rx.elf\n"));
    free(mk);
    mk = inputs(FIXTURES "/serial_imx.system", BOARD);
    assert_non_null(mk);
    assert_non_null(
        strstr(mk, "\nMKSYS_PROGRAMS := serial_client.elf imx_uart.elf serial_tx.elf serial_rx.elf\n"));
    free(mk);
    mk = inputs(FIXTURES "/serial.system", BOARD);
    assert_non_null(
        strstr(mk, "\nMKSYS_PROGRAMS := serial_client.elf pd.elf pl011.elf serial_tx.elf serial_rx.elf\n"));
    free(mk);
}

int main(void)
{
    const struct CMUnitTest image_tests[] = {
        cmocka_unit_test(pd_table), cmocka_unit_test(driver), cmocka_unit_test(virtualisers_and_clients),
        cmocka_unit_test(log_ring), cmocka_unit_test(report), cmocka_unit_test(emit_round_trip),
    };
    const struct CMUnitTest other_tests[] = {
        cmocka_unit_test(no_serial_no_owner),
        cmocka_unit_test(imx_uart_by_alias),
        cmocka_unit_test(default_clock_and_edge),
        cmocka_unit_test(hostile_clocks),
        cmocka_unit_test(console_without_log),
        cmocka_unit_test(qemu_virt_board),
        cmocka_unit_test(list_inputs),
    };
    int rc = cmocka_run_group_tests_name("serial expansion", image_tests, setup, teardown);
    return rc | cmocka_run_group_tests_name("serial cases", other_tests, NULL, NULL);
}

/* The <serial>'s UART in the board's device tree: which driver program its compatible asks for,
 * its registers, its interrupt and its reference clock. The tree is untrusted input: every
 * property is length-checked before it is read. */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "dt.h"
#include "dt_clock.h"
#include "names.h"
#include "serial.h"
#include "sys_limits.h"
#include "sysimg.h"
#include "util.h"

typedef unsigned long long ull;

/* The one table of UART drivers: a compatible string (exact, or "fsl,imx" ... "-uart" for every
 * i.MX UART) -> the driver program and the clock-names entry of its reference clock. */
static const struct serial_driver_kind pl011 = { "pl011.elf", "uartclk" };
static const struct serial_driver_kind imx = { "imx_uart.elf", "per" };
const char *const serial_driver_programs[] = { "pl011.elf", "imx_uart.elf", NULL };

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

static const struct serial_driver_kind *kind_of(const char *compat)
{
    if (!strcmp(compat, "arm,pl011"))
        return &pl011;
    if (!strncmp(compat, "fsl,imx", 7) && ends_with(compat, "-uart"))
        return &imx;
    return NULL;
}

const struct serial_driver_kind *serial_driver_for(const void *fdt, int node, char *compat, size_t len)
{
    int n = fdt_stringlist_count(fdt, node, "compatible");
    for (int i = 0; i < n; i++) { /* most specific first, as the tree lists them */
        const char *s = fdt_stringlist_get(fdt, node, "compatible", i, NULL);
        const struct serial_driver_kind *k = s ? kind_of(s) : NULL;
        if (k) {
            name_printable(compat, len, s);
            return k;
        }
    }
    const char *first = n > 0 ? fdt_stringlist_get(fdt, node, "compatible", 0, NULL) : NULL;
    name_printable(compat, len, first ? first : "(none)");
    return NULL;
}

#define UERR(sys, s, ...) err_at((sys)->file, (s)->line, __VA_ARGS__)

/* The node uart= names (a path or an alias, as libfdt resolves them), or the console. */
static int find_node(const struct sd_system *sys, const struct sd_serial *s, const struct board *b, int *node)
{
    const void *fdt = b->fdt;
    char shown[128];
    int console = -1, chosen = fdt_path_offset(fdt, "/chosen");
    const char *out = chosen >= 0 ? dt_getstr(fdt, chosen, "stdout-path") : NULL;
    if (out)
        console = fdt_path_offset_namelen(fdt, out, (int)strcspn(out, ":"));
    if (!s->uart) {
        if (console < 0)
            return UERR(sys, s,
                        "<serial> has no uart= and the board (%s) names no console in /chosen stdout-path",
                        b->file);
        *node = console;
        return 0;
    }
    name_printable(shown, sizeof shown, s->uart);
    *node = s->uart[0] ? fdt_path_offset(fdt, s->uart) : -1;
    if (*node < 0)
        return UERR(sys, s,
                    "<serial> uart \"%s\" is neither a node nor an alias in the board device tree (%s)",
                    shown, b->file);
    return 0;
}

static int read_reg(const struct sd_system *sys, const struct sd_serial *s, const struct board *b,
                    struct serial_uart *u)
{
    struct dtb d = { b->file, b->fdt };
    int n = dt_reg_count(b->fdt, u->node);
    if (n <= 0)
        return UERR(sys, s, "<serial>: UART %s has no usable 'reg' property", u->path);
    if (dt_reg(&d, u->node, 0, &u->reg_base, &u->reg_size))
        return -1;
    if (u->reg_size == 0 || u->reg_base >= SYS_PA_END || u->reg_size > SYS_PA_END - u->reg_base)
        return UERR(sys, s,
                    "<serial>: UART %s registers 0x%llx size 0x%llx are not a range the kernel can map",
                    u->path, (ull)u->reg_base, (ull)u->reg_size);
    u->map_base = align_down(u->reg_base, PAGE_4K);
    u->map_size = align_up(u->reg_base + u->reg_size, PAGE_4K) - u->map_base;
    if (u->map_size > 0x100000)
        return UERR(sys, s, "<serial>: UART %s registers (0x%llx bytes) are larger than 1 MiB", u->path,
                    (ull)u->map_size);
    return 0;
}

/* Its first interrupt: a GIC SPI (INTID = SPI + 32), level or edge from the flags cell. */
static int read_irq(const struct sd_system *sys, const struct sd_serial *s, const struct board *b,
                    struct serial_uart *u)
{
    int len = 0;
    const fdt32_t *irq = fdt_getprop(b->fdt, u->node, "interrupts", &len);
    if (!irq)
        return UERR(sys, s, "<serial>: UART %s has no 'interrupts' property", u->path);
    if (dt_gic_parent(b->fdt, u->node) < 0 || len < (int)(3 * sizeof *irq))
        return UERR(sys, s, "<serial>: UART %s: its interrupt is not a 3-cell GICv3 specifier", u->path);
    uint32_t type = fdt32_to_cpu(irq[0]), num = fdt32_to_cpu(irq[1]), flags = fdt32_to_cpu(irq[2]);
    if (type != 0 || num >= 988) /* SPIs are INTIDs 32..1019 */
        return UERR(sys, s, "<serial>: UART %s: interrupt <%u %u %u> is not a GIC SPI", u->path, type, num,
                    flags);
    u->intid = num + 32;
    u->edge = (flags & 0xf) == 1 || (flags & 0xf) == 2;
    return 0;
}

/* The rate of the driver's clock (clock-names, else the first entry) as dt_clock.h reads it,
 * else the documented default. */
static void read_clock(const struct board *b, struct serial_uart *u)
{
    const void *fdt = b->fdt;
    int idx = fdt_getprop(fdt, u->node, "clock-names", NULL)
                  ? fdt_stringlist_search(fdt, u->node, "clock-names", u->drv->clock_name)
                  : 0;
    struct clk_ref r;
    enum dt_clock_source from = DT_CLOCK_NONE;
    int where = -1;
    uint32_t rate = idx >= 0 && dt_clock_entry(fdt, u->node, idx, &r)
                        ? dt_clock_rate(fdt, u->node, &r, &from, &where)
                        : 0;
    char path[128];
    if (rate) {
        static const char *const rule[] = { [DT_CLOCK_FIXED] = "clock-frequency",
                                            [DT_CLOCK_ASSIGNED] = "assigned-clock-rates",
                                            [DT_CLOCK_CONTROLLER_IN] = "the reference input" };
        u->ref_clock_hz = rate;
        snprintf(u->clock_source, sizeof u->clock_source, "%s of %s (clock '%s')", rule[from],
                 dt_path(fdt, where, path, sizeof path), u->drv->clock_name);
        return;
    }
    u->ref_clock_hz = SERIAL_REF_CLOCK_DEFAULT;
    snprintf(u->clock_source, sizeof u->clock_source, "default (no rate for clock '%s' in the device tree)",
             u->drv->clock_name);
}

int serial_uart_read(const struct sd_system *sys, const struct sd_serial *s, const struct board *b,
                     struct serial_uart *u)
{
    memset(u, 0, sizeof *u);
    if (find_node(sys, s, b, &u->node))
        return -1;
    dt_path(b->fdt, u->node, u->path, sizeof u->path);
    const char *status =
        fdt_getprop(b->fdt, u->node, "status", NULL) ? dt_getstr(b->fdt, u->node, "status") : "okay";
    if (!status || (strcmp(status, "okay") && strcmp(status, "ok")))
        return UERR(sys, s, "<serial>: UART %s is disabled in the board device tree (status is not \"okay\")",
                    u->path);
    u->drv = serial_driver_for(b->fdt, u->node, u->compatible, sizeof u->compatible);
    if (!u->drv)
        return UERR(
            sys, s,
            "<serial>: node %s (compatible \"%s\") is not a supported UART (arm,pl011 or fsl,imx*-uart)",
            u->path, u->compatible);
    if (read_reg(sys, s, b, u) || read_irq(sys, s, b, u))
        return -1;
    read_clock(b, u);
    u->is_console = b->uart_kind != SYSIMG_UART_NONE && b->uart_base == u->reg_base;
    return 0;
}

/* Reads RAM, GICv3, the EL2 timer INTID, the console UART and the cores (dt_cpus.c) from a DTB.
 * Addresses are taken as they appear in reg: parent buses are assumed to map 1:1 (`ranges;`),
 * as on QEMU virt and the i.MX8 boards. */
#include "board.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dt.h"
#include "files.h"
#include "names.h"
#include "sysimg.h"
#include "util.h"

static int find_ram(struct dtb *d, struct board *b)
{
    int node = fdt_node_offset_by_prop_value(d->fdt, -1, "device_type", "memory", sizeof "memory");
    if (node < 0)
        return err_file(d->file, "no memory node (device_type = \"memory\")");
    if (dt_reg(d, node, 0, &b->ram_base, &b->ram_size))
        return -1;
    char name[64];
    dt_name(d->fdt, node, name, sizeof name);
    if (b->ram_size == 0)
        return err_file(d->file, "memory node '%s' has size 0", name);
    if (b->ram_size > ADDR_LIMIT || b->ram_base > ADDR_LIMIT - b->ram_size)
        return err_file(d->file,
                        "memory node '%s' (base 0x%llx, size 0x%llx) extends past the 48-bit address space",
                        name, (unsigned long long)b->ram_base, (unsigned long long)b->ram_size);
    return 0;
}

static int find_gic(struct dtb *d, struct board *b)
{
    int gic = fdt_node_offset_by_compatible(d->fdt, -1, "arm,gic-v3");
    if (gic < 0)
        return err_file(d->file, "no node compatible with \"arm,gic-v3\" (only GICv3 is supported)");
    uint64_t dsize;
    if (dt_reg(d, gic, 0, &b->gicd_base, &dsize) || dt_reg(d, gic, 1, &b->gicr_base, &b->gicr_size))
        return -1;
    /* later sums (base + size) must not wrap */
    if (b->gicd_base > ADDR_LIMIT - SYS_GICD_SIZE || b->gicr_size > ADDR_LIMIT ||
        b->gicr_base > ADDR_LIMIT - b->gicr_size)
        return err_file(
            d->file,
            "GIC registers (GICD 0x%llx, GICR 0x%llx size 0x%llx) extend past the 48-bit address space",
            (unsigned long long)b->gicd_base, (unsigned long long)b->gicr_base,
            (unsigned long long)b->gicr_size);
    return 0;
}

/* The armv8 timer lists secure, non-secure, virtual and hypervisor PPIs in that order. */
static int find_timer(struct dtb *d, struct board *b)
{
    int node = fdt_node_offset_by_compatible(d->fdt, -1, "arm,armv8-timer");
    if (node < 0)
        return err_file(d->file, "no node compatible with \"arm,armv8-timer\"");
    int ip = dt_interrupt_parent(d->fdt, node);
    uint32_t cells = 0;
    if (ip < 0 || !dt_getu32(d->fdt, ip, "#interrupt-cells", &cells) || cells != 3)
        return err_file(d->file, "timer: interrupt parent must be a GIC with #interrupt-cells = <3>");
    int len;
    const fdt32_t *irqs = fdt_getprop(d->fdt, node, "interrupts", &len);
    if (!irqs || len < (int)(12 * sizeof *irqs))
        return err_file(d->file, "timer: 'interrupts' must have 4 entries (the 4th is the EL2 timer)");
    uint32_t type = fdt32_to_cpu(irqs[9]), num = fdt32_to_cpu(irqs[10]);
    if (type != 1 || num > 15)
        return err_file(d->file, "timer: EL2 timer interrupt <%u %u> is not a PPI", type, num);
    b->timer_irq = num + 16;
    return 0;
}

static bool is_imx_uart(struct dtb *d, int node)
{
    int n = fdt_stringlist_count(d->fdt, node, "compatible");
    for (int i = 0; i < n; i++) {
        const char *s = fdt_stringlist_get(d->fdt, node, "compatible", i, NULL);
        if (s && strstr(s, "fsl,imx") && strstr(s, "-uart"))
            return true;
    }
    return false;
}

/* stdout-path may be a path or an alias, optionally followed by ":options". No stdout-path
 * means no kernel console (SYSIMG_UART_NONE). */
static int find_uart(struct dtb *d, struct board *b)
{
    int chosen = fdt_path_offset(d->fdt, "/chosen");
    b->uart_kind = SYSIMG_UART_NONE;
    b->uart_base = 0;
    if (chosen < 0)
        return 0;
    /* Both are read as C strings later (guest_dtb.c): they must be strings. */
    static const char *const props[] = { "stdout-path", "linux,stdout-path" };
    for (size_t i = 0; i < 2; i++)
        if (fdt_getprop(d->fdt, chosen, props[i], NULL) && !dt_getstr(d->fdt, chosen, props[i]))
            return err_file(d->file, "/chosen %s is not a NUL-terminated string", props[i]);
    const char *path = dt_getstr(d->fdt, chosen, "stdout-path");
    if (!path)
        return 0;
    char shown[128], name[64];
    name_printable(shown, sizeof shown, path);
    int node = fdt_path_offset_namelen(d->fdt, path, (int)strcspn(path, ":"));
    if (node < 0)
        return err_file(d->file, "/chosen stdout-path \"%s\" does not name a node", shown);
    if (fdt_node_check_compatible(d->fdt, node, "arm,pl011") == 0)
        b->uart_kind = SYSIMG_UART_PL011;
    else if (is_imx_uart(d, node))
        b->uart_kind = SYSIMG_UART_IMX;
    else
        return err_file(d->file, "console '%s' is not a supported UART (arm,pl011 or fsl,imx*-uart)",
                        dt_name(d->fdt, node, name, sizeof name));
    uint64_t size;
    return dt_reg(d, node, 0, &b->uart_base, &size);
}

int board_load(const char *file, struct board *b)
{
    memset(b, 0, sizeof *b);
    struct dtb d = { file, NULL };
    size_t len = 0;
    if (files_read(file, "device tree", (uint8_t **)&d.fdt, &len))
        return -1;
    b->file = file;
    b->fdt = d.fdt; /* kept: passthrough and guest device trees are made from it */
    if (dtb_check(&d, len))
        return -1;
    return (find_ram(&d, b) || find_gic(&d, b) || find_timer(&d, b) || find_uart(&d, b) || board_cpus(&d, b))
               ? -1
               : 0;
}

void board_free(struct board *b)
{
    free(b->fdt);
    b->fdt = NULL;
}

/* The guest device tree's virtio_mmio@<addr> nodes, as Linux's virtio-mmio binding has them
 * (Documentation/devicetree/bindings/virtio/mmio.yaml): one per vmm_config.virtio[] entry, at
 * the root, in its #address-cells/#size-cells. */
#include <stdio.h>

#include "dt.h"
#include "guest.h"

#define GIC_SPI             0
#define IRQ_TYPE_LEVEL_HIGH 4

int guest_virtio_nodes(void *fdt, const struct guest_dt *p)
{
    if (!p->nvirtio)
        return 0;
    int gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
    if (gic < 0)
        return gic;
    /* a GICv3 specifier is 3 cells, or 4 with PPI partitions (the 4th is 0 for an SPI) */
    uint32_t cells = 0, phandle = fdt_get_phandle(fdt, gic);
    if (!dt_getu32(fdt, gic, "#interrupt-cells", &cells) || cells < 3 || cells > 4 || !phandle)
        return -FDT_ERR_BADNCELLS;
    for (size_t i = 0; i < p->nvirtio; i++) {
        const struct vmm_virtio_dev *v = &p->virtio[i];
        char name[64];
        snprintf(name, sizeof name, "virtio_mmio@%llx", (unsigned long long)v->mmio_ipa);
        int node = fdt_add_subnode(fdt, 0, name);
        if (node < 0)
            return node;
        uint64_t reg[2] = { v->mmio_ipa, v->mmio_size };
        /* level, as virtio-mmio's InterruptStatus: pending until the driver's InterruptACK */
        fdt32_t irq[4] = { cpu_to_fdt32(GIC_SPI), cpu_to_fdt32(v->intid - 32),
                           cpu_to_fdt32(IRQ_TYPE_LEVEL_HIGH), 0 };
        /* libfdt puts each new property first: set in reverse, dtc shows compatible first */
        int rc;
        if ((rc = fdt_setprop_empty(fdt, node, "dma-coherent")) < 0 || /* the "device" is a CPU */
            (rc = fdt_setprop(fdt, node, "interrupts", irq, (int)(cells * sizeof(fdt32_t)))) < 0 ||
            (rc = fdt_setprop_u32(fdt, node, "interrupt-parent", phandle)) < 0 ||
            (rc = guest_dt_set_reg(fdt, node, reg, 1)) < 0 ||
            (rc = fdt_setprop_string(fdt, node, "compatible", "virtio,mmio")) < 0)
            return rc;
    }
    return 0;
}

/* GICv3 physical interface: the kernel owns the distributor, its redistributor and ICC. */
#ifndef GIC_H
#define GIC_H
#include "types.h"

#define GIC_SPURIOUS  1023u
#define GIC_MAX_INTID 1020u

void gic_init(uint64_t gicd, uint64_t gicr, uint64_t gicr_size);
/* INTIDs 0 .. n-1 exist on this GIC (GICD_TYPER); the device tree does not say. */
uint32_t gic_num_intids(void);
void gic_config(uint32_t intid, bool edge);
void gic_enable(uint32_t intid);
void gic_disable(uint32_t intid);
uint32_t gic_ack(void);
void gic_eoi(uint32_t intid);
#endif

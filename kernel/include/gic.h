/* GICv3 physical interface: the kernel owns the distributor, its redistributor and ICC. */
#ifndef GIC_H
#define GIC_H
#include "types.h"

#define GIC_SPURIOUS  1023u
#define GIC_MAX_INTID 1020u

#define SGI_KICK 1u /* another core left this one something (cpu_kick) */

/* The distributor, and every core's redistributor (cpus[] must hold their MPIDRs). */
void gic_init(uint64_t gicd, uint64_t gicr, uint64_t gicr_size);
/* This core's CPU interface (each core, the boot core from gic_init). */
void gic_cpu_init(void);
/* INTIDs 0 .. n-1 exist on this GIC (GICD_TYPER); the device tree does not say. */
uint32_t gic_num_intids(void);
/* Trigger mode, and the core it is delivered to: an SPI is routed there, an SGI or PPI is
 * configured in that core's redistributor. */
void gic_config(uint32_t intid, bool edge, unsigned core);
/* For an SGI or PPI: this core's (gic_enable) or the named core's (gic_enable_on). */
void gic_enable(uint32_t intid);
void gic_disable(uint32_t intid);
void gic_enable_on(uint32_t intid, unsigned core);
void gic_disable_on(uint32_t intid, unsigned core);
void gic_send_sgi(uint64_t mpidr, uint32_t intid);
uint32_t gic_ack(void);
void gic_eoi(uint32_t intid);
#endif

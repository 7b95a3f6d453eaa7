/*
 * The VMM program every system with a guest shares (`<program_image path="vmm.elf">`): one
 * guest per VMM PD. Everything about the guest (images, RAM, vGIC addresses, passthrough IRQs,
 * virtIO devices) is in vmm_config, patched in by the image tool; the work is done by the VMM
 * library (vmm/, docs/vmm.md). Devices plug in between vmm_init and vmm_boot, through the MMIO
 * and channel tables (vmm_mmio_register, vmm_channel_register).
 */
#include <microkit.h>

#include "serial_config.h"
#include "vgic.h"
#include "vmm.h"
#include "vmm_config.h"
#include "vmm_virtio.h"

struct vmm_config vmm_config __attribute__((section(".data")));
/* Entry k patched when a <serial> names this PD as a client for the k-th time: what backs the
 * guest's virtIO console ports (the image tool refuses more clients than entries). */
struct serial_client_config serial_client_config[VMM_SERIAL_CLIENTS] __attribute__((section(".data")));

static struct vgic vgic;
static struct vmm vmm;
static struct vmm_virtio virtio;

void init(void)
{
    if (vmm_init(&vmm, &vmm_config, &vgic) != 0)
        return; /* the message is printed; without a valid configuration there is no guest */
    if (vmm_virtio_init(&vmm, &virtio, serial_client_config) != 0)
        return; /* likewise: a guest without the devices it was given does not start */
    vmm_boot(&vmm);
}

void notified(microkit_channel ch)
{
    vmm_notified(&vmm, ch);
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    return vmm_fault(&vmm, child, msginfo, reply_msginfo);
}

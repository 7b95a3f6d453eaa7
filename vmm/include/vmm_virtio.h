/*
 * The guest's virtIO devices, from vmm_config.virtio[] (docs/virtio.md): each one a device of
 * the virtio library (virtio/) on a virtio-mmio window, plugged into the VMM's MMIO table (the
 * window) and channel table (the channels its backend signals on). Today only consoles, each
 * backed by the VMM PD's own serial client (serial_client_config, patched in by the image tool
 * when a <serial> names this PD as a client); a PD is one client, so a guest has one console.
 */
#ifndef VMM_VIRTIO_H
#define VMM_VIRTIO_H

#include <stdbool.h>

#include "serial_client.h"
#include "virtio_console.h"
#include "vmm.h"

struct vmm_console_dev {
    struct vmm *vm;
    struct serial_client *serial; /* the vmm_virtio's, which backs it */
    uint32_t intid;               /* the device's SPI */
    uint32_t winsize_seq;         /* the RX ring's size counter when the VMM last read it */
    struct virtio_console con;
};

struct vmm_virtio {
    struct serial_client serial; /* the PD's one client, when a console uses it */
    bool have_console;
    struct vmm_console_dev console;
};

/*
 * Between vmm_init and vmm_boot: sets up every device the configuration lists, registers its
 * window and channels, and a reset hook so a guest reset resets the device too. Returns 0, or
 * -1 after a line naming the guest and what is wrong (a device this VMM cannot back, a serial
 * client configuration that is missing or bad, a window or channel already taken).
 */
int vmm_virtio_init(struct vmm *vm, struct vmm_virtio *v, const struct serial_client_config *serial_cfg);

#endif

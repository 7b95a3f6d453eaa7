/*
 * The guest's virtIO devices, from vmm_config.virtio[] (docs/virtio.md): each one a device of
 * the virtio library (virtio/) on a virtio-mmio window, plugged into the VMM's MMIO table (the
 * window) and channel table (the channels its backend signals on). Today only consoles: each
 * port of a console is backed by one of the VMM PD's own serial clients (its
 * serial_client_config[] array, entry k patched in by the image tool for the PD's k-th <client>
 * of the <serial>), so a guest can have several ports and several consoles.
 */
#ifndef VMM_VIRTIO_H
#define VMM_VIRTIO_H

#include <stdbool.h>

#include "serial_client.h"
#include "virtio_console.h"
#include "vmm.h"
#include "vmm_config.h"

_Static_assert(VMM_CONSOLE_PORTS == VIRTIO_CONSOLE_MAX_PORTS, "vmm_config's ports are the library's");
_Static_assert(VMM_PORT_NAME_LEN == VIRTIO_CONSOLE_NAME_MAX, "vmm_config's port names are the library's");

struct vmm_console_dev;

/* What a port's channel handlers are given: which device and which of its ports. */
struct vmm_console_port_ref {
    struct vmm_console_dev *dev;
    unsigned port;
    uint32_t winsize_seq; /* the RX ring's size counter when last looked at */
};

struct vmm_console_dev {
    struct vmm *vm;
    uint32_t intid;                                  /* the device's SPI */
    unsigned nr_ports;                               /* ports in use, 1..VMM_CONSOLE_PORTS */
    struct serial_client *serial[VMM_CONSOLE_PORTS]; /* the vmm_virtio's, one per port */
    struct vmm_console_port_ref ref[VMM_CONSOLE_PORTS];
    struct virtio_console con;
};

struct vmm_virtio {
    struct serial_client serial[VMM_SERIAL_CLIENTS]; /* the PD's clients the consoles use */
    bool client_used[VMM_SERIAL_CLIENTS];
    unsigned nr_consoles;
    struct vmm_console_dev console[VMM_MAX_VIRTIO];
};

/*
 * Between vmm_init and vmm_boot: sets up every device the configuration lists, registers its
 * window and channels, and a reset hook so a guest reset resets the device too. serial_cfg is
 * the PD's serial_client_config[VMM_SERIAL_CLIENTS]. Returns 0, or -1 after a line naming the
 * guest and what is wrong (a device this VMM cannot back, a serial client configuration that
 * is missing or bad, a window or channel already taken).
 */
int vmm_virtio_init(struct vmm *vm, struct vmm_virtio *v, const struct serial_client_config *serial_cfg);

#endif

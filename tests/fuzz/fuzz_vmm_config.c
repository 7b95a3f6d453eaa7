/*
 * libFuzzer target: the virtIO part of a VMM's configuration as hostile bytes (vmm_config is
 * data the VMM only trusts after vmm_config_check, docs/virtio.md). The input's first byte is
 * num_virtio, the rest overlays virtio[] of the VMM tests' valid fixture (tests/vmm/fixture.c).
 * A configuration the check accepts must keep what the console device relies on (1..3 ports,
 * each on a serial client below VMM_SERIAL_CLIENTS used by no other port, names terminated),
 * and must then set up: vmm_init and vmm_virtio_init over eight valid serial clients, then a
 * notification on every client channel, without a crash or a touch outside the rings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "vmm_virtio.h"

#define RING   0x100u
#define REGION (SERIAL_QUEUE_DATA_OFFSET + RING)
#define CH0    10u /* client k: TX on CH0 + 2k, RX on CH0 + 2k + 1 */

/* The real vGIC is linked in place of tests/vmm/fake_vgic.c; fixture.c still sets these. The
 * guest never runs here, so its list registers are a kernel that takes every write. */
struct fake_vgic fv;
void fake_vgic_reset(void)
{
}
int vgic_port_write_lr(unsigned vcpu, unsigned lr, uint32_t intid, uint8_t priority)
{
    (void)vcpu, (void)lr, (void)intid, (void)priority;
    return 0;
}
int vgic_port_write_lr_quiet(unsigned vcpu, unsigned lr, uint32_t intid, uint8_t priority)
{
    return vgic_port_write_lr(vcpu, lr, intid, priority);
}
uint32_t vgic_port_lr_busy(unsigned vcpu)
{
    (void)vcpu;
    return 0;
}

static _Alignas(64) uint8_t rings[VMM_SERIAL_CLIENTS][2][REGION];
static struct serial_client_config scfg[VMM_SERIAL_CLIENTS];
static struct vmm_config base;
static struct vmm_virtio v;

static void setup_once(void)
{
    fx_setup();
    base = fx.cfg;
    for (unsigned k = 0; k < VMM_SERIAL_CLIENTS; k++) {
        scfg[k] = (struct serial_client_config){ .magic = SERIAL_CLIENT_MAGIC,
                                                 .version = SERIAL_CONFIG_VERSION,
                                                 .index = k };
        scfg[k].tx = (struct serial_queue_ref){ (uint64_t)(uintptr_t)rings[k][0], REGION, RING, CH0 + 2 * k };
        scfg[k].rx =
            (struct serial_queue_ref){ (uint64_t)(uintptr_t)rings[k][1], REGION, RING, CH0 + 2 * k + 1 };
    }
}

static void invariants(const struct vmm_config *c)
{
    bool used[VMM_SERIAL_CLIENTS] = { false };
    for (unsigned i = 0; i < c->num_virtio; i++) {
        const struct vmm_virtio_dev *d = &c->virtio[i];
        if (d->num_ports < 1 || d->num_ports > VMM_CONSOLE_PORTS)
            abort();
        for (unsigned p = 0; p < d->num_ports; p++) {
            uint32_t k = d->ports[p].serial_client;
            if (k >= VMM_SERIAL_CLIENTS || used[k] || memchr(d->ports[p].name, 0, VMM_PORT_NAME_LEN) == NULL)
                abort();
            used[k] = true;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        setup_once();
        ready = true;
    }
    if (size == 0)
        return 0;
    fake_port_reset();
    memset(rings, 0, sizeof rings);
    fx.cfg = base;
    fx.cfg.num_virtio = data[0] % (VMM_MAX_VIRTIO + 2); /* one past the limit too */
    size_t n = size - 1 < sizeof fx.cfg.virtio ? size - 1 : sizeof fx.cfg.virtio;
    memcpy(fx.cfg.virtio, data + 1, n);
    if (vmm_config_check(&fx.cfg) != VMM_CONFIG_OK)
        return 0;
    invariants(&fx.cfg);
    if (vmm_init(&fx.vm, &fx.cfg, &fx.g) != 0) {
        fprintf(stderr, "fuzz_vmm_config: a checked configuration failed vmm_init\n");
        abort();
    }
    if (vmm_virtio_init(&fx.vm, &v, scfg) != 0)
        return 0; /* e.g. a window on the UART's channel: refused with a line */
    for (unsigned ch = CH0; ch < CH0 + 2 * VMM_SERIAL_CLIENTS; ch++)
        vmm_notified(&fx.vm, ch);
    return 0;
}

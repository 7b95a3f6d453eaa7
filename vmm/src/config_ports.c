/*
 * vmm_config's console ports (version 4), checked with the other virtIO fields: how many, which
 * of the PD's serial clients backs each (one port per client, across all devices), the flags,
 * and each name, which reaches the guest's sysfs. The configuration is input from outside:
 * every field is range-checked before it is used as an index or read as a string.
 */
#include "vmm.h"
#include "vmm_log.h"

#define DEV_FLAGS  (VMM_VIRTIO_F_MULTIPORT | VMM_VIRTIO_F_RESIZE_ROWS_FIRST)
#define PORT_FLAGS VMM_PORT_F_CONSOLE

/* What the image tool allows in a name (tools/mksys/names.c): a file name on any guest. */
static bool name_ok(const char *s, unsigned *len)
{
    unsigned n = 0;
    while (n < VMM_PORT_NAME_LEN && s[n] != '\0') {
        char ch = s[n];
        bool safe = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                    ch == '_' || ch == '@' || ((ch == '.' || ch == '-') && n > 0);
        if (!safe)
            return false;
        n++;
    }
    *len = n;
    return n < VMM_PORT_NAME_LEN; /* terminated inside the field */
}

/* Does a port of device j <= i (before port p of device i) already use serial client k? */
static bool client_taken(const struct vmm_config *c, unsigned i, unsigned p, uint32_t k, unsigned *dj,
                         unsigned *pj)
{
    for (unsigned j = 0; j <= i; j++) {
        unsigned n = j == i ? p : c->virtio[j].num_ports; /* earlier devices passed: n <= ports */
        for (unsigned q = 0; q < n; q++)
            if (c->virtio[j].ports[q].serial_client == k) {
                *dj = j;
                *pj = q;
                return true;
            }
    }
    return false;
}

static enum vmm_config_err check_port(const struct vmm_config *c, unsigned i, unsigned p)
{
    const struct vmm_console_port *pt = &c->virtio[i].ports[p];
    unsigned dj, pj, len;
    if (pt->serial_client >= VMM_SERIAL_CLIENTS) {
        vmm_config_log(c, "virtIO device %u port %u: serial client %u out of range 0..%u", i, p,
                       pt->serial_client, VMM_SERIAL_CLIENTS - 1);
        return VMM_CONFIG_ERR_VIRTIO_PORT;
    }
    if (client_taken(c, i, p, pt->serial_client, &dj, &pj)) {
        vmm_config_log(c, "virtIO device %u port %u: serial client %u already backs device %u port %u", i, p,
                       pt->serial_client, dj, pj);
        return VMM_CONFIG_ERR_VIRTIO_PORT;
    }
    if ((pt->flags & ~PORT_FLAGS) != 0) {
        vmm_config_log(c, "virtIO device %u port %u: unknown flags 0x%x", i, p, pt->flags & ~PORT_FLAGS);
        return VMM_CONFIG_ERR_VIRTIO_PORT;
    }
    if (!name_ok(pt->name, &len)) {
        vmm_config_log(c,
                       "virtIO device %u port %u: name not terminated within %u bytes or not of letters, "
                       "digits, '_', '@', '.', '-'",
                       i, p, VMM_PORT_NAME_LEN);
        return VMM_CONFIG_ERR_VIRTIO_PORT;
    }
    if (len > 0 && (c->virtio[i].flags & VMM_VIRTIO_F_MULTIPORT) == 0) {
        vmm_config_log(c, "virtIO device %u port %u: a name needs multiport (only it sends names)", i, p);
        return VMM_CONFIG_ERR_VIRTIO_PORT;
    }
    return VMM_CONFIG_OK;
}

enum vmm_config_err vmm_config_check_ports(const struct vmm_config *c, unsigned i)
{
    const struct vmm_virtio_dev *d = &c->virtio[i];
    if ((d->flags & ~DEV_FLAGS) != 0) {
        vmm_config_log(c, "virtIO device %u: unknown flags 0x%x", i, d->flags & ~DEV_FLAGS);
        return VMM_CONFIG_ERR_VIRTIO_PORT;
    }
    if (d->num_ports < 1 || d->num_ports > VMM_CONSOLE_PORTS) {
        vmm_config_log(c, "virtIO device %u: %u console ports, 1..%u are possible", i, d->num_ports,
                       VMM_CONSOLE_PORTS);
        return VMM_CONFIG_ERR_VIRTIO_PORT;
    }
    if (d->num_ports > 1 && (d->flags & VMM_VIRTIO_F_MULTIPORT) == 0) {
        vmm_config_log(c, "virtIO device %u: %u console ports without multiport", i, d->num_ports);
        return VMM_CONFIG_ERR_VIRTIO_PORT;
    }
    for (unsigned p = 0; p < d->num_ports; p++) {
        enum vmm_config_err e = check_port(c, i, p);
        if (e != VMM_CONFIG_OK)
            return e;
    }
    return VMM_CONFIG_OK;
}

/* Bringing the guest up, down and up again. */
#include <string.h>

#include "guest_image.h"
#include "vmm.h"
#include "vmm_log.h"
#include "vmm_port.h"

typedef unsigned long long ull;

/* The guest's name, as far as the configuration can be trusted to give one. */
static void take_name(struct vmm *vm, const struct vmm_config *c)
{
    size_t n = strnlen(c->vm_name, sizeof(c->vm_name)); /* patched data: maybe unterminated */
    if (n >= sizeof(vm->name))
        n = sizeof(vm->name) - 1;
    memcpy(vm->name, c->vm_name, n);
    vm->name[n] = '\0';
}

int vmm_init(struct vmm *vm, const struct vmm_config *c, struct vgic *g)
{
    memset(vm, 0, sizeof(*vm));
    memcpy(vm->name, "?", 2);
    /* A VMM whose configuration failed keeps running with no guest and no vCPUs: its other
     * entry points then find nothing to act on rather than trusting bad data. */
    enum vmm_config_err err = vmm_config_check(c);
    if (err != VMM_CONFIG_ERR_MAGIC && err != VMM_CONFIG_ERR_VERSION)
        take_name(vm, c); /* later lines name the guest even if the rest was bad */
    if (err != VMM_CONFIG_OK)
        return -1;
    vm->config = c;
    vm->vgic = g;
    vm->num_vcpus = vmm_config_vcpus(c);
    vm->kernel_in_ram = (c->flags & VMM_CONFIG_F_KERNEL_IN_RAM) != 0;
    for (unsigned i = 0; i < vm->num_vcpus; i++) {
        vm->vcpu[i].id = c->vcpu_id + i;
        vmm_port_bind_vcpu(i, vm->vcpu[i].id);
        vmm_port_reg_write(vm->vcpu[i].id, VMM_REG_MPIDR, vmm_vcpu_mpidr(i));
    }
    if (vmm_gic_attach(vm) != 0 || vmm_virq_attach(vm) != 0) {
        /* Said why; as after a bad configuration, nothing is left to act on. */
        vm->config = NULL;
        vm->num_vcpus = 0;
        vm->mmio = (struct vmm_mmio_table){ 0 };
        vm->channels = (struct vmm_channel_table){ 0 };
        return -1;
    }
    return 0;
}

static void images_from_config(const struct vmm *vm, struct guest_images *im)
{
    const struct vmm_config *c = vm->config;
    *im = (struct guest_images){
        .name = vm->name,
        .ram_ipa = c->ram_ipa,
        .ram_size = c->ram_size,
        .ram = (uint8_t *)(uintptr_t)c->ram_vaddr,
        .kernel = (const uint8_t *)(uintptr_t)c->kernel_vaddr,
        .kernel_size = c->kernel_size,
        .dtb = (const uint8_t *)(uintptr_t)c->dtb_vaddr,
        .dtb_size = c->dtb_size,
        .dtb_ipa = c->dtb_ipa,
        .initrd = (const uint8_t *)(uintptr_t)c->initrd_vaddr,
        .initrd_size = c->initrd_size,
        .initrd_ipa = c->initrd_ipa,
        .kernel_in_ram = vm->kernel_in_ram,
    };
}

static void sync_range(const struct guest_images *im, uint64_t start, uint64_t end)
{
    if (end > start)
        vmm_port_sync_guest_memory(im->ram + (start - im->ram_ipa), end - start);
}

int vmm_boot(struct vmm *vm)
{
    struct guest_images im;
    struct guest_layout lay;
    struct guest_boot b;
    char err[GUEST_ERR_MAX];
    if (vm->config == NULL)
        return -1; /* vmm_init failed and said why */
    images_from_config(vm, &im);
    vm->kernel_in_ram = false; /* the guest may overwrite it: every later boot copies */
    if (guest_image_load(&im, &lay, &b, err, sizeof(err)) != GUEST_IMAGE_OK) {
        vmm_print("%s\n", err);
        return -1;
    }
    /* A kernel the boot loader placed is in memory already; only what the VMM wrote is cleaned. */
    sync_range(&im, im.kernel_in_ram ? lay.kernel_ipa + lay.kernel_file_size : lay.kernel_ipa,
               lay.kernel_end);
    sync_range(&im, im.dtb_ipa, lay.dtb_end);
    sync_range(&im, im.initrd_ipa, lay.initrd_end);
    const char *how = im.kernel_in_ram ? "pre-placed" : "copied";
    if (im.initrd_size != 0)
        vmm_log(vm, "booting: kernel 0x%llx-0x%llx (%s), DTB 0x%llx, initrd 0x%llx-0x%llx", (ull)b.pc,
                (ull)lay.kernel_end, how, (ull)im.dtb_ipa, (ull)im.initrd_ipa, (ull)lay.initrd_end);
    else
        vmm_log(vm, "booting: kernel 0x%llx-0x%llx (%s), DTB 0x%llx, no initrd", (ull)b.pc,
                (ull)lay.kernel_end, how, (ull)im.dtb_ipa);
    vm->running = true;
    vmm_vcpu_start(vm, 0, b.pc, b.x[0]); /* x1..x3 are 0 after the register reset */
    return 0;
}

void vmm_halt(struct vmm *vm)
{
    for (unsigned i = 0; i < vm->num_vcpus; i++)
        if (vm->vcpu[i].on)
            vmm_vcpu_stop(vm, i);
    vm->running = false;
}

bool vmm_stop_guest(struct vmm *vm)
{
    vmm_halt(vm);
    vmm_print("vmm: guest '%s' stopped (the VMM keeps running)\n", vm->name);
    return false;
}

int vmm_reset_register(struct vmm *vm, void (*fn)(void *ctx), void *ctx)
{
    if (vm->num_resets == VMM_MAX_RESET_HOOKS) {
        vmm_log(vm, "more than %u devices to reset with the guest", VMM_MAX_RESET_HOOKS);
        return -1;
    }
    vm->resets[vm->num_resets++] = (struct vmm_reset_hook){ fn, ctx };
    return 0;
}

void vmm_reset(struct vmm *vm)
{
    vmm_halt(vm);
    /* Whatever the old guest left un-EOI'd must not stay masked at its source. */
    vmm_virq_release(vm);
    vmm_gic_reset(vm); /* the MMIO and channel tables stay: the devices are the same */
    for (unsigned i = 0; i < vm->num_resets; i++)
        vm->resets[i].fn(vm->resets[i].ctx);
    vmm_vtimer_sync(vm); /* the fresh vGIC has the timer PPI disabled */
    vmm_boot(vm);
}

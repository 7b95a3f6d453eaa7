#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

struct fixture fx;
static uint8_t ram_store[FX_RAM_SIZE];

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void fx_make_image(uint8_t *buf, size_t len, uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(i * 7 + 1); /* recognisable contents */
    memset(buf, 0, 64);
    put_le(buf + 0x08, text_offset, 8);
    put_le(buf + 0x10, image_size, 8);
    put_le(buf + 0x18, flags, 8);
    memcpy(buf + 0x38, "ARM\x64", 4);
}

void fx_make_dtb(uint8_t *buf, uint32_t totalsize)
{
    static const uint8_t magic[4] = { 0xd0, 0x0d, 0xfe, 0xed };
    memcpy(buf, magic, 4);
    buf[4] = (uint8_t)(totalsize >> 24);
    buf[5] = (uint8_t)(totalsize >> 16);
    buf[6] = (uint8_t)(totalsize >> 8);
    buf[7] = (uint8_t)totalsize;
    for (uint32_t i = 8; i < FX_DTB_SIZE && i < totalsize; i++)
        buf[i] = (uint8_t)(0xa0 + i);
}

void fx_setup(void)
{
    fake_port_reset();
    fake_vgic_reset();
    memset(&fx, 0, sizeof(fx));
    fx.ram = ram_store;
    memset(ram_store, 0xee, sizeof(ram_store)); /* stale contents a load must overwrite */
    fx_make_image(fx.kernel, sizeof(fx.kernel), 0, FX_IMAGE_SIZE, 0xa);
    fx_make_dtb(fx.dtb, FX_DTB_SIZE);
    memset(fx.initrd, 0x17, sizeof(fx.initrd));
    struct vmm_config *c = &fx.cfg;
    c->magic = VMM_CONFIG_MAGIC;
    c->version = VMM_CONFIG_VERSION;
    strcpy(c->vm_name, FX_NAME);
    c->vcpu_id = FX_VCPU_ID;
    c->num_irqs = 1;
    c->irqs[0] = (struct vmm_passthrough_irq){ .intid = FX_UART_INTID, .channel = FX_UART_CH };
    c->ram_ipa = FX_RAM_IPA;
    c->ram_size = FX_RAM_SIZE;
    c->ram_vaddr = (uint64_t)(uintptr_t)fx.ram;
    c->kernel_vaddr = (uint64_t)(uintptr_t)fx.kernel;
    c->kernel_size = sizeof(fx.kernel);
    c->dtb_vaddr = (uint64_t)(uintptr_t)fx.dtb;
    c->dtb_size = sizeof(fx.dtb);
    c->dtb_ipa = FX_DTB_IPA;
    c->initrd_vaddr = (uint64_t)(uintptr_t)fx.initrd;
    c->initrd_size = sizeof(fx.initrd);
    c->initrd_ipa = FX_INITRD_IPA;
    c->gicd_ipa = FX_GICD;
    c->gicr_ipa = FX_GICR;
    c->gicr_size = 0x20000;
}

void fx_boot(void)
{
    fx_setup();
    assert_int_equal(vmm_init(&fx.vm, &fx.cfg, &fx.g), 0);
    assert_int_equal(vmm_boot(&fx.vm), 0);
}

void fx_images(struct guest_images *im)
{
    const struct vmm_config *c = &fx.cfg;
    *im = (struct guest_images){
        .name = FX_NAME,
        .ram_ipa = c->ram_ipa,
        .ram_size = c->ram_size,
        .ram = fx.ram,
        .kernel = fx.kernel,
        .kernel_size = c->kernel_size,
        .dtb = fx.dtb,
        .dtb_size = c->dtb_size,
        .dtb_ipa = c->dtb_ipa,
        .initrd = fx.initrd,
        .initrd_size = c->initrd_size,
        .initrd_ipa = c->initrd_ipa,
    };
}

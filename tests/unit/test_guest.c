/* <linux_vm>: what the expansion puts in the image (regions holding the guest files, stored
 * once; guest RAM not zeroed; the VM, its passthrough devices and IRQs), the vmm_config patched
 * into each VMM, --emit-system (valid low-level XML mksys accepts) and --emit-dtb. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libfdt.h>

#include "harness.h"
#include "imgread.h"
#include "mksys.h"
#include "vmm_config.h"

#define OUT_IMG    TEST_OUT "/out/guest.img"
#define OUT_REPORT TEST_OUT "/out/guest.txt"
#define OUT_EMIT   TEST_OUT "/out/guest_expanded.system"
#define OUT_DTB    TEST_OUT "/out"

static struct img img;

static int setup(void **state)
{
    (void)state;
    struct mksys_opts o = { .system = FIXTURES "/guest.system",
                            .output = OUT_IMG,
                            .report = OUT_REPORT,
                            .emit_system = OUT_EMIT,
                            .emit_dtb = OUT_DTB };
    return img_build(&img, &o);
}

static int teardown(void **state)
{
    (void)state;
    img_free(&img);
    return 0;
}

/* What a PD sees at ipa, as bytes in the image file. */
static const uint8_t *pd_bytes(const char *pd, uint64_t ipa)
{
    const struct sysimg_map *m = img_map(&img, img_pd(&img, pd), ipa);
    assert_non_null(m);
    const uint8_t *p = img_at(&img, m->pa + (ipa - m->ipa));
    assert_non_null(p);
    return p;
}

static struct vmm_config config_of(const char *vmm)
{
    struct vmm_config c;
    memcpy(&c, pd_bytes(vmm, elf_sym(TEST_OUT "/vmm.elf", "vmm_config")), sizeof c);
    return c;
}

static void pd_table(void **state)
{
    (void)state;
    assert_int_equal(img.h->num_pds, 2 + 3);
    const char *names[] = { "vmm_a", "vmm_b", "alpha:0", "alpha:1", "beta:0" };
    const uint32_t parent[] = { SYSIMG_NO_PARENT, SYSIMG_NO_PARENT, 0, 0, 1 }, first[] = { 0, 1, 2, 2, 4 };
    const uint32_t prio[] = { 200, 150, 100, 100, 90 };
    for (uint32_t i = 0; i < 5; i++) {
        assert_string_equal(img.pds[i].name, names[i]);
        assert_int_equal(img.pds[i].parent, parent[i]);
        assert_int_equal(img.pds[i].vm_first, first[i]);
        assert_int_equal(img.pds[i].priority, prio[i]);
        /* beta has vtimer="vmm" */
        assert_int_equal(img.pds[i].flags,
                         (i >= 2 ? SYSIMG_PD_VCPU : 0) | (i == 4 ? SYSIMG_PD_VTIMER_TO_VMM : 0));
    }
    assert_int_equal(img.pds[3].child_id, 1);
}

static void guest_memory(void **state)
{
    (void)state;
    const struct sysimg_pd *a0 = img_pd(&img, "alpha:0"), *b0 = img_pd(&img, "beta:0");
    const struct sysimg_map *ram = img_map(&img, a0, 0x40000000);
    assert_true(ram->ipa == 0x40000000 && ram->size == 0x1000000 && ram->pa % 0x200000 == 0);
    assert_int_equal(ram->perms, SYSIMG_PERM_R | SYSIMG_PERM_W | SYSIMG_PERM_X);
    assert_false(img_zeroed(&img, ram->pa, ram->size)); /* guest RAM is not cleared at boot */
    const struct sysimg_map *vram = img_map(&img, img_pd(&img, "vmm_a"), 0x40000000);
    assert_true(vram->pa == ram->pa && vram->perms == (SYSIMG_PERM_R | SYSIMG_PERM_W));
    const struct sysimg_map *bram = img_map(&img, b0, 0x60000000);
    assert_true(bram->size == 0x1100000 && bram->pa != ram->pa);
    /* passthrough: registers at their own address, device memory; two ranges in one page merged */
    const uint64_t dev[] = { 0x9000000, 0x9040000, 0x9050000 };
    for (int i = 0; i < 3; i++) {
        const struct sysimg_map *m = img_map(&img, a0, dev[i]);
        assert_non_null(m);
        assert_true(m->ipa == dev[i] && m->pa == dev[i] && m->size == 0x1000 && m->cached == 0);
        assert_int_equal(m->perms, SYSIMG_PERM_R | SYSIMG_PERM_W);
    }
    assert_int_equal(a0->num_maps, 4);
    assert_int_equal(b0->num_maps, 1);
    assert_null(img_map(&img, b0, 0x9000000));
}

static void files_stored_once(void **state)
{
    (void)state;
    struct vmm_config a = config_of("vmm_a"), b = config_of("vmm_b");
    size_t len;
    char *kernel = read_whole(TEST_OUT "/Image", &len),
         *initrd = read_whole(TEST_OUT "/rootfs.cpio.gz", NULL);
    assert_true(a.kernel_size == len);
    assert_memory_equal(pd_bytes("vmm_a", a.kernel_vaddr), kernel, len);
    assert_memory_equal(pd_bytes("vmm_a", a.initrd_vaddr), initrd, a.initrd_size);
    /* one copy of the kernel for both guests */
    assert_ptr_equal(pd_bytes("vmm_a", a.kernel_vaddr), pd_bytes("vmm_b", b.kernel_vaddr));
    assert_ptr_not_equal(pd_bytes("vmm_a", a.initrd_vaddr), pd_bytes("vmm_b", b.initrd_vaddr));
    const struct sysimg_map *k = img_map(&img, img_pd(&img, "vmm_a"), a.kernel_vaddr);
    assert_int_equal(k->perms, SYSIMG_PERM_R);
    assert_false(img_zeroed(&img, k->pa, k->size));
    char *report = read_whole(OUT_REPORT, NULL);
    assert_non_null(strstr(report, "file_Image "));
    assert_null(strstr(report, "file_Image_2"));
    free(report);
    free(kernel);
    free(initrd);
}

static void vmm_config_alpha(void **state)
{
    (void)state;
    struct vmm_config c = config_of("vmm_a");
    assert_int_equal(c.magic, VMM_CONFIG_MAGIC);
    assert_int_equal(c.version, VMM_CONFIG_VERSION);
    assert_string_equal(c.vm_name, "alpha");
    assert_int_equal(c.vcpu_id, 0);
    assert_true(c.ram_ipa == 0x40000000 && c.ram_size == 0x1000000 && c.ram_vaddr == 0x40000000);
    assert_true(c.kernel_vaddr == 0x1000000000ull && c.initrd_vaddr == 0x1000200000ull);
    assert_true(c.dtb_vaddr == 0x1000400000ull);
    assert_true(c.initrd_size == 8893 && c.initrd_ipa == 0x40dfd000);
    assert_true(c.dtb_ipa == 0x40e00000 && c.dtb_size > 0 && c.dtb_size < 0x10000);
    assert_true(c.gicd_ipa == 0x8000000 && c.gicr_ipa == 0x80a0000 && c.gicr_size == 0x40000);
    assert_int_equal(c.num_irqs, 3);
    const uint32_t intid[] = { 33, 37, 38 }, ch[] = { 1, 4, 5 };
    for (int i = 0; i < 3; i++) {
        assert_int_equal(c.irqs[i].intid, intid[i]);
        assert_int_equal(c.irqs[i].channel, ch[i]);
    }
    assert_int_equal(c.flags, 0); /* on_foreign_access="abort" by default */
}

static void vmm_config_beta(void **state)
{
    (void)state;
    struct vmm_config c = config_of("vmm_b");
    assert_string_equal(c.vm_name, "beta");
    assert_true(c.kernel_vaddr == 0x1000200000ull); /* skips the user's map at 0x1000000000 */
    assert_true(c.initrd_size == 5000 && c.initrd_ipa == 0x60dfe000 && c.dtb_ipa == 0x60e00000);
    assert_true(c.gicr_size == 0x20000);
    assert_int_equal(c.num_irqs, 0);
    assert_int_equal(c.flags, VMM_CONFIG_F_STOP_ON_FOREIGN);
}

static void irqs_reach_the_vmm(void **state)
{
    (void)state;
    const struct sysimg_pd *vmm = img_pd(&img, "vmm_a");
    const uint32_t ch[] = { 1, 4, 5 }, intid[] = { 33, 37, 38 }, flags[] = { 0, 0, SYSIMG_IRQ_EDGE };
    for (int i = 0; i < 3; i++) {
        assert_int_equal(vmm->ch[ch[i]].kind, SYSIMG_CH_IRQ);
        assert_int_equal(vmm->ch[ch[i]].irq, intid[i]);
        assert_int_equal(vmm->ch[ch[i]].flags, flags[i]);
    }
}

static void dtb_in_image_and_emitted(void **state)
{
    (void)state;
    struct vmm_config c = config_of("vmm_a");
    const uint8_t *dtb = pd_bytes("vmm_a", c.dtb_vaddr);
    assert_int_equal(fdt_check_header(dtb), 0);
    assert_int_equal(fdt_totalsize(dtb), c.dtb_size);
    int chosen = fdt_path_offset(dtb, "/chosen");
    const fdt64_t *start = fdt_getprop(dtb, chosen, "linux,initrd-start", NULL);
    const fdt64_t *end = fdt_getprop(dtb, chosen, "linux,initrd-end", NULL);
    assert_true(fdt64_ld(start) == c.initrd_ipa && fdt64_ld(end) == c.initrd_ipa + c.initrd_size);
    assert_string_equal(fdt_getprop(dtb, chosen, "bootargs", NULL), "console=ttyAMA0 note=\"a&b\" -- x");
    size_t len;
    char *file = read_whole(OUT_DTB "/alpha.dtb", &len);
    assert_non_null(file);
    assert_int_equal(len, c.dtb_size);
    assert_memory_equal(file, dtb, len);
    free(file);
    file = read_whole(OUT_DTB "/beta.dtb", NULL);
    assert_non_null(file);
    assert_null(fdt_getprop(file, fdt_path_offset(file, "/chosen"), "stdout-path", NULL));
    free(file);
}

static void emitted_system_is_accepted(void **state)
{
    (void)state;
    char *text = read_whole(OUT_EMIT, NULL);
    assert_non_null(text);
    const char *needles[] = {
        "<virtual_machine name=\"alpha\" priority=\"100\">",
        "<virtual_machine name=\"beta\" vtimer=\"vmm\" priority=\"90\">",
        "<vcpu id=\"1\" />",
        "<map mr=\"alpha_ram\" vaddr=\"0x40000000\" perms=\"rwx\" />",
        "<memory_region name=\"alpha_pl011@9000000\" size=\"0x1000\" phys_addr=\"0x9000000\" />",
        "<irq irq=\"38\" id=\"5\" trigger=\"edge\" />",
        "not zeroed at boot",
        "<map mr=\"file_Image\" vaddr=\"0x1000200000\" perms=\"r\" />",
        "vm_name beta"
    };
    for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++)
        if (!strstr(text, needles[i]))
            fail_msg("emitted system lacks \"%s\":\n%s", needles[i], text);
    assert_null(strstr(text, "<linux_vm name"));
    free(text);
    /* it is a valid low-level description with the same PD table and maps */
    struct run_result r;
    run_mksys(OUT_EMIT, NULL, NULL, TEST_OUT "/out/guest_reemit.img", NULL, &r);
    assert_string_equal(r.error, "");
    struct img again;
    assert_int_equal(img_load(&again, TEST_OUT "/out/guest_reemit.img"), 0);
    assert_int_equal(again.h->num_pds, img.h->num_pds);
    assert_int_equal(again.h->num_maps, img.h->num_maps);
    for (uint32_t i = 0; i < img.h->num_pds; i++) {
        assert_string_equal(again.pds[i].name, img.pds[i].name);
        assert_int_equal(again.pds[i].flags, img.pds[i].flags);
        assert_int_equal(again.pds[i].cpu, img.pds[i].cpu);
    }
    assert_int_equal(again.h->num_cpus, img.h->num_cpus);
    img_free(&again);
}

/* systems/qemu_virt/passthrough.system with stand-in files (vmm.elf, Image, rootfs.cpio.gz). */
static void passthrough_system(void **state)
{
    (void)state;
    struct run_result r;
    run_mksys("systems/qemu_virt/passthrough.system", NULL, NULL, TEST_OUT "/out/passthrough.img", NULL, &r);
    assert_string_equal(r.error, "");
    struct img pt;
    assert_int_equal(img_load(&pt, TEST_OUT "/out/passthrough.img"), 0);
    const struct sysimg_pd *vmm = img_pd(&pt, "vmm"), *vcpu = img_pd(&pt, "linux:0");
    assert_true(vmm && vcpu && vmm->priority == 200 && vcpu->priority == 100);
    assert_int_equal(vmm->ch[1].irq, 33);
    const struct sysimg_map *ram = img_map(&pt, vcpu, 0x40000000);
    assert_true(ram->size == 0x10000000 && !img_zeroed(&pt, ram->pa, ram->size));
    assert_true(img_map(&pt, vcpu, 0x9000000)->pa == 0x9000000);
    img_free(&pt);
}

/* Through the i.MX8MQ GPC: SPI 26 is still INTID 58 at the GIC. */
static void passthrough_through_gpc(void **state)
{
    (void)state;
    struct run_result r;
    run_mksys(FIXTURES "/guest_gpc.system", TEST_OUT "/board_gpc.dtb", NULL, TEST_OUT "/out/gpc.img", NULL,
              &r);
    assert_string_equal(r.error, "");
    struct img g;
    assert_int_equal(img_load(&g, TEST_OUT "/out/gpc.img"), 0);
    const struct sysimg_pd *vmm = img_pd(&g, "vmm");
    assert_int_equal(vmm->ch[2].kind, SYSIMG_CH_IRQ);
    assert_int_equal(vmm->ch[2].irq, 58);
    assert_true(img_map(&g, img_pd(&g, "linux:0"), 0x30860000)->size == 0x10000);
    img_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pd_table),
        cmocka_unit_test(guest_memory),
        cmocka_unit_test(files_stored_once),
        cmocka_unit_test(vmm_config_alpha),
        cmocka_unit_test(vmm_config_beta),
        cmocka_unit_test(irqs_reach_the_vmm),
        cmocka_unit_test(dtb_in_image_and_emitted),
        cmocka_unit_test(emitted_system_is_accepted),
        cmocka_unit_test(passthrough_system),
        cmocka_unit_test(passthrough_through_gpc),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* The valid fixture system: the image's sysimg tables, the patched kernel and PD variables,
 * and the layout report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "elfimg.h"
#include "harness.h"
#include "pd_abi.h"
#include "sysimg.h"
#include "util.h"

#define LOAD       0x40200000ull
#define OUT_IMG    TEST_OUT "/out/valid.img"
#define OUT_REPORT TEST_OUT "/out/valid.txt"

struct img {
    uint8_t *data;
    size_t size;
    const struct sysimg_header *h;
    const struct sysimg_pd *pds;
    const struct sysimg_map *maps;
    const struct sysimg_zero *zero;
};

static struct img img;

static uint64_t sym_vaddr(const char *elf, const char *name)
{
    struct elf_img *e;
    uint64_t vaddr = 0, size;
    size_t seg;
    assert_int_equal(elfimg_open(elf, &e), 0);
    enum sym_where w = elfimg_symbol(e, name, &vaddr, &size, &seg);
    assert_true(w == SYM_OK || w == SYM_BSS);
    elfimg_close(e);
    return vaddr;
}

static const uint8_t *at_pa(uint64_t pa)
{
    assert_true(pa >= LOAD && pa - LOAD < img.size);
    return img.data + (pa - LOAD);
}

static int setup(void **state)
{
    (void)state;
    struct run_result r;
    run_mksys(FIXTURES "/valid.system", NULL, NULL, OUT_IMG, OUT_REPORT, &r);
    if (r.rc) {
        fprintf(stderr, "mksys failed: %s\n", r.error);
        return -1;
    }
    img.data = (uint8_t *)read_whole(OUT_IMG, &img.size);
    if (!img.data)
        return -1;
    uint64_t hdr_pa = get_le64(img.data + (sym_vaddr(TEST_KERNEL, "boot_sysimg_pa") - LOAD));
    if (hdr_pa < LOAD || hdr_pa - LOAD >= img.size)
        return -1;
    img.h = (const struct sysimg_header *)(img.data + (hdr_pa - LOAD));
    img.pds = (const void *)((const uint8_t *)img.h + img.h->pds_off);
    img.maps = (const void *)((const uint8_t *)img.h + img.h->maps_off);
    img.zero = (const void *)((const uint8_t *)img.h + img.h->zero_off);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(img.data);
    return 0;
}

static const struct sysimg_pd *pd_named(const char *name)
{
    for (uint32_t i = 0; i < img.h->num_pds; i++)
        if (!strcmp(img.pds[i].name, name))
            return &img.pds[i];
    fail_msg("no PD %s", name);
    return NULL;
}

static const struct sysimg_map *map_at(const struct sysimg_pd *pd, uint64_t ipa)
{
    for (uint32_t i = pd->first_map; i < pd->first_map + pd->num_maps; i++)
        if (ipa >= img.maps[i].ipa && ipa - img.maps[i].ipa < img.maps[i].size)
            return &img.maps[i];
    fail_msg("PD %s: nothing mapped at 0x%llx", pd->name, (unsigned long long)ipa);
    return NULL;
}

/* A PD variable as the PD will see it at boot. */
static const uint8_t *pd_var(const char *pdname, const char *sym)
{
    const struct sysimg_pd *pd = pd_named(pdname);
    uint64_t ipa = sym_vaddr(TEST_OUT "/pd.elf", sym);
    const struct sysimg_map *m = map_at(pd, ipa);
    return at_pa(m->pa + (ipa - m->ipa));
}

static bool zeroed(uint64_t pa, uint64_t size)
{
    for (uint32_t i = 0; i < img.h->num_zero; i++)
        if (img.zero[i].pa == pa && img.zero[i].size == size)
            return true;
    return false;
}

static void header_has_board_and_sizes(void **state)
{
    (void)state;
    const struct sysimg_header *h = img.h;
    assert_int_equal(h->magic, SYSIMG_MAGIC);
    assert_int_equal(h->version, SYSIMG_VERSION);
    assert_int_equal(h->num_pds, 3);
    assert_int_equal(h->uart_kind, SYSIMG_UART_PL011);
    assert_true(h->uart_base == 0x09000000);
    assert_true(h->ram_base == 0x40000000 && h->ram_size == 0x40000000);
    assert_true(h->gicd_base == 0x08000000);
    assert_true(h->gicr_base == 0x080a0000 && h->gicr_size == 0xf60000);
    assert_int_equal(h->timer_irq, 26);
    assert_int_equal(h->size, h->zero_off + h->num_zero * sizeof(struct sysimg_zero));
    assert_true(h->image_end % 0x1000 == 0);
    assert_true(h->image_end > LOAD + img.size); /* zero-fill lies past the file */
    assert_true(h->image_end <= h->ram_base + h->ram_size);
    /* sysimg sits after the kernel's .bss, page aligned */
    uint64_t hdr_pa = LOAD + (uint64_t)((const uint8_t *)h - img.data);
    assert_true(hdr_pa % 0x1000 == 0);
    assert_true(hdr_pa >= sym_vaddr(TEST_KERNEL, "kernel_bss") + 0x3000);
}

static void kernel_is_patched(void **state)
{
    (void)state;
    uint64_t hdr_pa = LOAD + (uint64_t)((const uint8_t *)img.h - img.data);
    assert_true(get_le64(at_pa(sym_vaddr(TEST_KERNEL, "boot_sysimg_pa"))) == hdr_pa);
    assert_true(get_le64(img.data + 16) == img.h->image_end - LOAD); /* Image header image_size */
    assert_memory_equal(img.data + 0x38, "ARM\x64", 4);
}

static void pd_table_and_children(void **state)
{
    (void)state;
    const struct sysimg_pd *driver = pd_named("driver"), *child = pd_named("child"),
                           *client = pd_named("client");
    assert_ptr_equal(driver, &img.pds[0]);
    assert_ptr_equal(child, &img.pds[1]);
    assert_ptr_equal(client, &img.pds[2]);
    assert_int_equal(driver->parent, SYSIMG_NO_PARENT);
    assert_int_equal(client->parent, SYSIMG_NO_PARENT);
    assert_int_equal(child->parent, 0);
    assert_int_equal(child->child_id, 3);
    assert_int_equal(driver->priority, 254);
    assert_int_equal(child->priority, 100);
    assert_int_equal(client->priority, 10);
    assert_true(driver->entry == sym_vaddr(TEST_OUT "/pd.elf", "_start"));
    assert_true(driver->stack_top == PD_STACK_TOP);
    /* version 2: native PDs have no flags and are their own "VM" */
    for (uint32_t i = 0; i < img.h->num_pds; i++) {
        assert_int_equal(img.pds[i].flags, 0);
        assert_int_equal(img.pds[i].vm_first, i);
    }
}

static void channel_slots_on_both_ends(void **state)
{
    (void)state;
    const struct sysimg_pd *driver = &img.pds[0], *child = &img.pds[1], *client = &img.pds[2];
    /* driver 0 <-> client 5: client may ppcall but not notify */
    assert_int_equal(driver->ch[0].kind, SYSIMG_CH_CHANNEL);
    assert_int_equal(driver->ch[0].flags, SYSIMG_CH_NOTIFY);
    assert_int_equal(driver->ch[0].peer_pd, 2);
    assert_int_equal(driver->ch[0].peer_ch, 5);
    assert_int_equal(client->ch[5].kind, SYSIMG_CH_CHANNEL);
    assert_int_equal(client->ch[5].flags, SYSIMG_CH_PP);
    assert_int_equal(client->ch[5].peer_pd, 0);
    assert_int_equal(client->ch[5].peer_ch, 0);
    /* driver 2 <-> child 4 */
    assert_int_equal(driver->ch[2].kind, SYSIMG_CH_CHANNEL);
    assert_int_equal(driver->ch[2].peer_pd, 1);
    assert_int_equal(driver->ch[2].peer_ch, 4);
    assert_int_equal(child->ch[4].flags, SYSIMG_CH_NOTIFY);
    assert_int_equal(child->ch[4].peer_pd, 0);
    assert_int_equal(child->ch[4].peer_ch, 2);
    /* IRQs */
    assert_int_equal(driver->ch[1].kind, SYSIMG_CH_IRQ);
    assert_int_equal(driver->ch[1].irq, 33);
    assert_int_equal(driver->ch[1].flags, 0);
    assert_int_equal(child->ch[2].kind, SYSIMG_CH_IRQ);
    assert_int_equal(child->ch[2].irq, 40);
    assert_int_equal(child->ch[2].flags, SYSIMG_IRQ_EDGE);
    /* everything else is empty */
    assert_int_equal(driver->ch[3].kind, SYSIMG_CH_NONE);
    assert_int_equal(client->ch[0].kind, SYSIMG_CH_NONE);
    assert_int_equal(driver->ch[SYSIMG_MAX_CHANNELS - 1].kind, SYSIMG_CH_NONE);
}

static void maps_of_regions_stack_and_ipc(void **state)
{
    (void)state;
    const struct sysimg_pd *driver = &img.pds[0], *child = &img.pds[1], *client = &img.pds[2];
    const struct sysimg_map *uart = map_at(driver, 0x2000000);
    assert_true(uart->ipa == 0x2000000 && uart->pa == 0x09000000 && uart->size == 0x1000);
    assert_int_equal(uart->perms, SYSIMG_PERM_R | SYSIMG_PERM_W);
    assert_int_equal(uart->cached, 0);
    assert_false(zeroed(0x09000000, 0x1000)); /* device memory is not cleared */

    const struct sysimg_map *shared = map_at(driver, 0x3000000), *shared_ro = map_at(client, 0x3000000);
    assert_true(shared->size == 0x4000 && shared->pa == shared_ro->pa);
    assert_int_equal(shared->perms, SYSIMG_PERM_R | SYSIMG_PERM_W);
    assert_int_equal(shared_ro->perms, SYSIMG_PERM_R);
    assert_int_equal(shared->cached, 1);
    assert_true(zeroed(shared->pa, 0x4000));

    const struct sysimg_map *big = map_at(child, 0x4000000);
    assert_true(big->size == 0x200000 && big->pa % 0x200000 == 0);
    assert_true(zeroed(big->pa, 0x200000));

    const struct sysimg_map *stack = map_at(driver, PD_STACK_TOP - 1);
    assert_true(stack->ipa == PD_STACK_TOP - 0x2000 && stack->size == 0x2000);
    assert_true(zeroed(stack->pa, 0x2000));
    assert_true(map_at(client, PD_STACK_TOP - 1)->size == PD_STACK_SIZE_DEFAULT);

    const struct sysimg_map *ipc = map_at(driver, PD_IPC_BUF_VADDR);
    assert_true(ipc->pa == driver->ipc_buf_pa && ipc->size == 0x1000);
    assert_true(zeroed(ipc->pa, 0x1000));
    assert_true(driver->ipc_buf_pa != client->ipc_buf_pa);

    const struct sysimg_map *text = map_at(driver, driver->entry);
    assert_true(text->perms & SYSIMG_PERM_X);
    assert_false(text->perms & SYSIMG_PERM_W);
    assert_true(text->pa >= LOAD && text->pa + text->size <= LOAD + img.size); /* stored in the file */
    /* The program's .bss (big_bss) is mapped and zeroed, not stored. */
    const struct sysimg_map *bss = map_at(driver, sym_vaddr(TEST_OUT "/pd.elf", "big_bss") + 0x2fff);
    assert_true(bss->perms & SYSIMG_PERM_W);
    assert_true(bss->pa >= LOAD + img.size ? zeroed(bss->pa, bss->size) : true);
    /* Each PD has its own copy of the program. */
    assert_true(map_at(client, driver->entry)->pa != text->pa);
    /* Zero-fill never overlaps the file. */
    for (uint32_t i = 0; i < img.h->num_zero; i++)
        assert_true(img.zero[i].pa >= LOAD + img.size &&
                    img.zero[i].pa + img.zero[i].size <= img.h->image_end);
}

static void pd_variables_are_patched(void **state)
{
    (void)state;
    assert_string_equal((const char *)pd_var("driver", "microkit_name"), "driver");
    assert_string_equal((const char *)pd_var("child", "microkit_name"), "child");
    assert_string_equal((const char *)pd_var("client", "microkit_name"), "client");
    assert_true(get_le64(pd_var("driver", "microkit_irqs")) == 1u << 1);
    assert_true(get_le64(pd_var("child", "microkit_irqs")) == 1u << 2);
    assert_true(get_le64(pd_var("client", "microkit_irqs")) == 0);
    assert_true(get_le64(pd_var("driver", "microkit_notifications")) == ((1u << 0) | (1u << 2)));
    assert_true(get_le64(pd_var("child", "microkit_notifications")) == 1u << 4);
    assert_true(get_le64(pd_var("client", "microkit_notifications")) == 0);
    assert_true(get_le64(pd_var("client", "microkit_pps")) == 1u << 5);
    assert_true(get_le64(pd_var("driver", "microkit_pps")) == 0);
    assert_true(get_le64(pd_var("driver", "uart_base")) == 0x2000000);
    assert_true(get_le64(pd_var("driver", "rx_buf_vaddr")) == 0x3000000);
    assert_true(get_le64(pd_var("driver", "shared_paddr")) == map_at(&img.pds[0], 0x3000000)->pa);
    assert_true(get_le64(pd_var("client", "uart_base")) == 1); /* untouched where not asked for */
}

static void report_lists_every_pd(void **state)
{
    (void)state;
    char *text = read_whole(OUT_REPORT, NULL);
    assert_non_null(text);
    char shared[32], ipc[32];
    snprintf(shared, sizeof shared, "0x%llx", (unsigned long long)map_at(&img.pds[0], 0x3000000)->pa);
    snprintf(ipc, sizeof ipc, "0x%llx", (unsigned long long)img.pds[2].ipc_buf_pa);
    const char *needles[] = { "PD 0 'driver'",
                              "PD 1 'child'",
                              "PD 2 'client'",
                              "load address   0x40200000",
                              "map 'uart'",
                              "0x9000000",
                              shared,
                              ipc,
                              "console      pl011 at 0x9000000" };
    for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++)
        if (!strstr(text, needles[i]))
            fail_msg("report lacks \"%s\":\n%s", needles[i], text);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_has_board_and_sizes),    cmocka_unit_test(kernel_is_patched),
        cmocka_unit_test(pd_table_and_children),         cmocka_unit_test(channel_slots_on_both_ends),
        cmocka_unit_test(maps_of_regions_stack_and_ipc), cmocka_unit_test(pd_variables_are_patched),
        cmocka_unit_test(report_lists_every_pd),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * libFuzzer target: hostile property values in a well-formed board device tree. Whole-blob
 * mutation mostly breaks the structure, which fdt_check_full then refuses; here the structure
 * stays valid and the values are forged: the input is a list of edits to the unit tests' board
 * DTB (set a property of a node to chosen cells or bytes, delete a property or a node), done with
 * libfdt, then the tree goes through mksys_run as in fuzz_board (guest.system and valid.system).
 * Each edit: op (u8), node (u8: index in document order), property (u8: from names[] or the
 * node's own), length (u8), then the value's cells or bytes.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_bytes.h"
#include "mksys_driver.h"

#define ROOM 0x4000 /* growth allowed by the edits */

static void *board;
static size_t board_size;

static const char *const names[] = {
    "reg",
    "interrupts",
    "#address-cells",
    "#size-cells",
    "#interrupt-cells",
    "interrupt-parent",
    "phandle",
    "compatible",
    "status",
    "ranges",
    "device_type",
    "interrupts-extended",
    "clocks",
    "stdout-path",
    "bootargs",
    "#redistributor-regions",
    "redistributor-stride",
    "method",
    "enable-method",
    "linux,initrd-start",
    "#clock-cells",
    "serial0",
    "memory-region",
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_selftest();
    FILE *f = fopen(fz_out(0, "board.dtb"), "rb");
    if (!f || fseek(f, 0, SEEK_END)) {
        perror("board.dtb");
        abort();
    }
    board_size = (size_t)ftell(f) + ROOM;
    board = calloc(1, board_size);
    rewind(f);
    if (fread(board, 1, board_size - ROOM, f) == 0 || fdt_check_full(board, board_size - ROOM)) {
        fprintf(stderr, "fuzz: the fixture board.dtb is not a valid tree\n");
        abort();
    }
    fclose(f);
    return 0;
}

/* Cells are mostly small numbers, phandles and sizes near the limits, as a forger would pick. */
static uint32_t cell(struct fuzz_bytes *b)
{
    uint8_t k = fb_u8(b);
    switch (k % 4) {
    case 0: return k / 4;
    case 1: return fb_u32(b);
    case 2: return ~(uint32_t)(k / 4);
    default: return 1u << (k / 4 % 32);
    }
}

static int node_at(const void *fdt, unsigned index)
{
    int n = 0, off = 0, depth = 0;
    for (off = 0; off >= 0; off = fdt_next_node(fdt, off, &depth))
        n++;
    index %= (unsigned)n;
    for (off = 0; off >= 0 && index; off = fdt_next_node(fdt, off, &depth))
        index--;
    return off < 0 ? 0 : off;
}

static void edit(void *fdt, struct fuzz_bytes *b)
{
    unsigned op = fb_u8(b), node = node_at(fdt, fb_u8(b)), sel = fb_u8(b), len = fb_u8(b) % 33;
    const char *name = names[sel % (sizeof names / sizeof names[0])];
    if (sel >= 0x80) { /* one of the node's own properties */
        int p = fdt_first_property_offset(fdt, (int)node);
        for (unsigned i = sel % 8; p >= 0 && i; i--)
            p = fdt_next_property_offset(fdt, p);
        if (p >= 0)
            fdt_getprop_by_offset(fdt, p, &name, NULL);
    }
    switch (op % 4) {
    case 0:
    case 1: { /* cells */
        fdt32_t v[8];
        unsigned n = len % 9;
        for (unsigned i = 0; i < n; i++)
            v[i] = cpu_to_fdt32(cell(b));
        fdt_setprop(fdt, (int)node, name, v, (int)(n * sizeof v[0]));
        break;
    }
    case 2: { /* raw bytes: odd lengths, strings without NUL */
        uint8_t v[32];
        for (unsigned i = 0; i < len && i < sizeof v; i++)
            v[i] = fb_u8(b);
        fdt_setprop(fdt, (int)node, name, v, (int)(len < sizeof v ? len : sizeof v));
        break;
    }
    default:
        if (op & 4)
            fdt_delprop(fdt, (int)node, name);
        else if (node)
            fdt_del_node(fdt, (int)node);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_bytes b = { data, size };
    void *fdt = malloc(board_size);
    if (fdt_open_into(board, fdt, (int)board_size)) {
        fprintf(stderr, "fuzz: fdt_open_into of the fixture failed\n");
        abort();
    }
    for (unsigned n = 0; b.left && n < 32; n++)
        edit(fdt, &b);
    fdt_pack(fdt);
    const char *dtb = fz_write(0, "board.dtb", fdt, fdt_totalsize(fdt));
    free(fdt);
    fz_mksys(&(struct fz_run){ .board = dtb, .system = fz_src(1, "guest.system") });
    fz_mksys(&(struct fz_run){ .board = dtb, .system = fz_src(1, "valid.system") });
    return 0;
}

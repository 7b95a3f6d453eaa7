/* mksys command line; the work is in mksys.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "inputs.h"
#include "mksys.h"
#include "util.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: mksys --board BOARD.dtb --kernel KERNEL.elf --search DIR [--search DIR ...]\n"
               "             [--stage2-block 4k|2m] [--kernel-in-ram] [--report FILE] [--emit-system FILE]\n"
               "             [--emit-dtb DIR]\n"
               "             -o OUT.img SYSTEM.system\n"
               "       mksys --list-inputs OUT.mk [--board BOARD.dtb] SYSTEM.system\n"
               "\n"
               "Checks a Microkit-style system description against the board's device tree, lays out\n"
               "physical memory and writes one bootable arm64 Image holding the kernel, the boot\n"
               "description (sysimg), every protection domain's program and every guest's files.\n"
               "\n"
               "  --board FILE    board device tree blob (RAM, GICv3, timer, console UART)\n"
               "  --kernel FILE   host kernel ELF (must define boot_sysimg_pa)\n"
               "  --search DIR    directory searched for <program_image path=...> and <linux_vm>\n"
               "                  kernel= and initrd= files; repeatable\n"
               "  --stage2-block 4k|2m  the board's largest stage-2 leaf: 2m (the default) maps\n"
               "                  aligned 2 MiB with blocks, 4k maps only pages (the QEMU boards)\n"
               "  --kernel-in-ram  also store the largest guest kernel at its load address in its\n"
               "                  guest's RAM, so its VMM's first boot copies nothing (the image\n"
               "                  grows by that kernel; worth it where loading the file is cheap)\n"
               "  --report FILE   also write a human-readable table of the physical layout\n"
               "  --emit-system FILE  also write the description with every <linux_vm> expanded\n"
               "                  into low-level Microkit XML (regions, maps, IRQs, virtual_machine);\n"
               "                  a <serial> stays, with its expansion as a comment\n"
               "  --emit-dtb DIR  also write each guest's generated device tree as DIR/<name>.dtb\n"
               "  -o FILE         image to write (written only if every check passes)\n"
               "  --list-inputs FILE  only parse the description and write a make fragment naming its\n"
               "                  PD programs (MKSYS_PROGRAMS) and guest files (MKSYS_GUEST_FILES);\n"
               "                  with --board, a <serial> lists only its UART's driver\n"
               "  --help          this text\n"
               "\n"
               "Errors are printed as FILE:LINE: error: MESSAGE; the exit status is 1 on any error.\n");
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "board", required_argument, NULL, 'b' },
        { "kernel", required_argument, NULL, 'k' },
        { "search", required_argument, NULL, 's' },
        { "report", required_argument, NULL, 'r' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { "emit-system", required_argument, NULL, 'e' },
        { "emit-dtb", required_argument, NULL, 'd' },
        { "list-inputs", required_argument, NULL, 'l' },
        { "stage2-block", required_argument, NULL, 'p' },
        { "kernel-in-ram", no_argument, NULL, 'K' }, /* no argument: the board.mk says yes or no */
        { NULL, 0, NULL, 0 },
    };
    struct mksys_opts o = { 0 };
    const char *list_inputs = NULL;
    const char **search = xcalloc((size_t)argc, sizeof *search);
    int c;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'b': o.board = optarg; break;
        case 'k': o.kernel = optarg; break;
        case 's': search[o.nsearch++] = optarg; break;
        case 'r': o.report = optarg; break;
        case 'o': o.output = optarg; break;
        case 'e': o.emit_system = optarg; break;
        case 'd': o.emit_dtb = optarg; break;
        case 'l': list_inputs = optarg; break;
        case 'K': o.kernel_in_ram = true; break;
        case 'p':
            o.stage2_block = mksys_stage2_block(optarg);
            if (!o.stage2_block) {
                fprintf(stderr, "mksys: error: --stage2-block '%s': expected 4k or 2m\n", optarg);
                free(search);
                return 1;
            }
            break;
        case 'h':
            usage(stdout);
            free(search);
            return 0;
        default:
            usage(stderr);
            free(search);
            return 1;
        }
    }
    if (list_inputs && optind == argc - 1 && !o.kernel && !o.output && !o.nsearch && !o.report &&
        !o.emit_system && !o.emit_dtb && !o.stage2_block && !o.kernel_in_ram) {
        free(search);
        return mksys_list_inputs_board(argv[optind], o.board, list_inputs) ? 1 : 0;
    }
    if (list_inputs) {
        fprintf(stderr,
                "mksys: error: --list-inputs takes only its output file, an optional --board and one system "
                "description\n");
        usage(stderr);
        free(search);
        return 1;
    }
    if (optind != argc - 1 || !o.board || !o.kernel || !o.output) {
        fprintf(stderr, "mksys: error: need --board, --kernel, -o and exactly one system description\n");
        usage(stderr);
        free(search);
        return 1;
    }
    o.system = argv[optind];
    o.search = search;
    int rc = mksys_run(&o);
    free(search);
    return rc ? 1 : 0;
}

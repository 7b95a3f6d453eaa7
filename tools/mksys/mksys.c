/* The pipeline: read the board and the description, expand guests, read the ELFs, check,
 * lay out, build, write. */
#include "mksys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "emit.h"
#include "guest.h"
#include "image.h"
#include "outfile.h"
#include "report.h"
#include "serial.h"
#include "sysimg.h"

struct run {
    const struct mksys_opts *o;
    struct board board;
    struct sd_system sys;
    struct kernel_info kernel;
    struct layout *lay;
    struct image img;
};

static int write_report(struct run *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return -1;
    struct report_src src = { r->o->board, r->o->kernel, &r->sys, &r->board, r->lay };
    report_write(f, &src);
    fclose(f);
    int rc = write_atomic(r->o->report, text, len);
    free(text);
    return rc;
}

static int write_stream(const char *path, void (*fn)(FILE *, const void *), const void *arg)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return err_file(path, "out of memory");
    fn(f, arg);
    fclose(f);
    int rc = write_atomic(path, text, len);
    free(text);
    return rc;
}

static void emit_fn(FILE *f, const void *sys)
{
    emit_system(f, sys);
}

static int write_dtbs(struct run *r)
{
    for (size_t i = 0; i < r->sys.guests.n; i++) {
        const struct sd_guest *g = &r->sys.guests.v[i];
        const struct sd_mr *mr = &r->sys.mrs.v[g->out->dtb_mr];
        size_t n = strlen(r->o->emit_dtb) + strlen(g->name) + 8;
        char *path = xcalloc(1, n);
        snprintf(path, n, "%s/%s.dtb", r->o->emit_dtb, g->name);
        int rc = write_atomic(path, mr->data, mr->data_len);
        free(path);
        if (rc)
            return -1;
    }
    return 0;
}

unsigned mksys_stage2_block(const char *arg)
{
    return !strcmp(arg, "4k") ? SYSIMG_S2_BLOCK_4K : !strcmp(arg, "2m") ? SYSIMG_S2_BLOCK_2M : 0;
}

static int run(struct run *r)
{
    const struct mksys_opts *o = r->o;
    if (board_load(o->board, &r->board))
        return -1;
    r->board.stage2_block = o->stage2_block ? o->stage2_block : SYSIMG_S2_BLOCK_2M;
    r->board.kernel_in_ram = o->kernel_in_ram;
    if (sd_parse(o->system, &r->sys) || guests_expand(&r->sys, &r->board, o->search, o->nsearch) ||
        serials_expand(&r->sys, &r->board) || sd_resolve(&r->sys) || sd_check(&r->sys, &r->board) ||
        kernel_load(o->kernel, &r->board, &r->kernel) ||
        programs_load(&r->sys, o->search, o->nsearch, r->lay) || programs_check_vaddrs(&r->sys, r->lay) ||
        layout_assign(&r->sys, &r->board, &r->kernel, r->lay) ||
        image_build(&r->sys, &r->board, &r->kernel, r->lay, &r->img))
        return -1;
    if ((o->report && write_report(r)) ||
        (o->emit_system && write_stream(o->emit_system, emit_fn, &r->sys)) || (o->emit_dtb && write_dtbs(r)))
        return -1;
    return write_atomic(o->output, r->img.data, r->img.size);
}

int mksys_run(const struct mksys_opts *o)
{
    struct run r;
    memset(&r, 0, sizeof r);
    r.o = o;
    r.lay = xcalloc(1, sizeof *r.lay);
    int rc = run(&r);
    image_free(&r.img);
    programs_free(r.lay, r.sys.pds.n);
    elfimg_close(r.kernel.elf);
    sd_free(&r.sys);
    board_free(&r.board);
    free(r.lay);
    return rc;
}

/* The files a system names, as a make fragment (inputs.h). The build reads it to know which PD
 * programs and guest files to make, instead of guessing from the XML's text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "inputs.h"
#include "outfile.h"
#include "sdesc.h"
#include "serial.h"
#include "util.h"

/* Make splits on blanks and expands '$', '%' and friends: only these bytes pass into the fragment. */
static int make_word_ok(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-/@", *s))
            return 0;
    return 1;
}

static int check_word(const char *file, long line, const char *what, const char *path)
{
    if (make_word_ok(path))
        return 0;
    return err_at(file, line,
                  "%s path has a character the build cannot pass on (use letters, digits and _.+-/@)", what);
}

/* Each list once, in document order. */
typedef VEC(const char *) word_list;

static void add_once(word_list *w, const char *s)
{
    for (size_t i = 0; i < w->n; i++)
        if (!strcmp(w->v[i], s))
            return;
    *VEC_PUSH(*w) = s;
}

/* "VAR := word word ...\n" into f. */
static void put_list(FILE *f, const char *var, const word_list *w)
{
    fprintf(f, "%s :=", var);
    for (size_t i = 0; i < w->n; i++)
        fprintf(f, " %s", w->v[i]);
    fputc('\n', f);
}

/* A <serial>'s component programs: its UART's driver (every driver mksys knows when there is
 * no board to read the UART's compatible from), then the two virtualisers. */
static int serial_programs(const struct sd_system *sys, const struct board *b, word_list *prog)
{
    for (size_t i = 0; i < sys->serials.n; i++) {
        if (b) {
            struct serial_uart u;
            if (serial_uart_read(sys, &sys->serials.v[i], b, &u))
                return -1;
            add_once(prog, u.drv->program);
        } else {
            for (size_t k = 0; serial_driver_programs[k]; k++)
                add_once(prog, serial_driver_programs[k]);
        }
        add_once(prog, SERIAL_TX_ELF);
        add_once(prog, SERIAL_RX_ELF);
    }
    return 0;
}

static int collect(const char *file, const struct sd_system *sys, word_list *prog, word_list *guest)
{
    for (size_t i = 0; i < sys->pds.n; i++) {
        const struct sd_pd *pd = &sys->pds.v[i];
        if (!pd->image)
            continue;
        if (check_word(file, pd->image_line, "program_image", pd->image))
            return -1;
        add_once(prog, pd->image);
    }
    for (size_t i = 0; i < sys->guests.n; i++) {
        const struct sd_guest *g = &sys->guests.v[i];
        const char *files[] = { g->kernel, g->initrd };
        for (unsigned k = 0; k < 2; k++) {
            if (!files[k])
                continue;
            if (check_word(file, g->line, k ? "initrd" : "kernel", files[k]))
                return -1;
            add_once(guest, files[k]);
        }
    }
    return 0;
}

int mksys_list_inputs(const char *system, const char *out)
{
    return mksys_list_inputs_board(system, NULL, out);
}

int mksys_list_inputs_board(const char *system, const char *board, const char *out)
{
    struct sd_system sys;
    struct board b;
    memset(&sys, 0, sizeof sys);
    memset(&b, 0, sizeof b);
    word_list prog = { 0 }, guest = { 0 };
    int rc = (board && board_load(board, &b)) || sd_parse(system, &sys) ||
                     collect(system, &sys, &prog, &guest) || serial_programs(&sys, board ? &b : NULL, &prog)
                 ? -1
                 : 0;
    if (!rc) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        if (!f)
            abort();
        fputs("# made by mksys --list-inputs\n", f);
        put_list(f, "MKSYS_PROGRAMS", &prog);
        put_list(f, "MKSYS_GUEST_FILES", &guest);
        if (fclose(f))
            abort();
        rc = write_atomic(out, text, len);
        free(text);
    }
    free(prog.v);
    free(guest.v);
    sd_free(&sys);
    board_free(&b);
    return rc;
}

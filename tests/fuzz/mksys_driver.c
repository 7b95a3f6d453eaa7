/* See mksys_driver.h. */
#include "mksys_driver.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "mksys.h"

#ifndef FIXTURES
#define FIXTURES "tests/unit/fixtures"
#endif
#ifndef FIXTURE_OUT
#define FIXTURE_OUT "build/host/test"
#endif

static char dir[256];
static char expanded[300];

static const char *env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return v && *v ? v : dflt;
}

const char *fx_src(void)
{
    return env_or("FUZZ_FIXTURES", FIXTURES);
}
const char *fx_out(void)
{
    return env_or("FUZZ_FIXTURE_OUT", FIXTURE_OUT);
}

/* Removes what the runs left; the directory holds regular files only. */
static void cleanup(void)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[600];
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    closedir(d);
    rmdir(dir);
}

const char *fz_dir(void)
{
    if (dir[0])
        return dir;
    /* tmpfs: every run writes its input and mksys's outputs. */
    const char *base = getenv("FUZZ_TMPDIR");
    if (!base || !*base)
        base = access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm";
    snprintf(dir, sizeof dir, "%s/mksys-fuzz-XXXXXX", base);
    if (!mkdtemp(dir)) {
        perror(dir);
        abort();
    }
    atexit(cleanup);
    return dir;
}

static const char *in_dir(char (*buf)[4][600], unsigned slot, const char *d, const char *name)
{
    snprintf((*buf)[slot & 3], sizeof(*buf)[0], "%s/%s", d, name);
    return (*buf)[slot & 3];
}

const char *fz_write(unsigned slot, const char *name, const uint8_t *data, size_t size)
{
    static char buf[4][600];
    const char *path = in_dir(&buf, slot, fz_dir(), name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        perror(path);
        abort();
    }
    while (size) {
        ssize_t w = write(fd, data, size);
        if (w <= 0) {
            perror(path);
            abort();
        }
        data += w;
        size -= (size_t)w;
    }
    close(fd);
    return path;
}

void fz_remove(const char *name)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", fz_dir(), name);
    unlink(path);
}

const char *fz_src(unsigned slot, const char *name)
{
    static char buf[4][600];
    return in_dir(&buf, slot, fx_src(), name);
}

const char *fz_out(unsigned slot, const char *name)
{
    static char buf[4][600];
    return in_dir(&buf, slot, fx_out(), name);
}

static char first_error[1024];

static void count(const char *msg, void *arg)
{
    if (!*(unsigned *)arg)
        snprintf(first_error, sizeof first_error, "%s", msg);
    ++*(unsigned *)arg;
}

int fz_mksys(const struct fz_run *r)
{
    static char out[300], report[300];
    const char *search[] = { fz_dir(), fx_out() };
    snprintf(out, sizeof out, "%s/out.img", fz_dir());
    snprintf(report, sizeof report, "%s/report.txt", fz_dir());
    snprintf(expanded, sizeof expanded, "%s/expanded.system", fz_dir());
    struct mksys_opts o = {
        .board = r->board ? r->board : fz_out(3, "board.dtb"),
        .kernel = r->kernel ? r->kernel : fz_out(2, "kernel.elf"),
        .system = r->system ? r->system : fz_src(1, "guest.system"),
        .output = out,
        .report = r->emit ? report : NULL,
        .emit_system = r->emit ? expanded : NULL,
        /* --emit-dtb is left out: its file names come from the description. */
        .search = search,
        .nsearch = 2,
    };
    unsigned errors = 0;
    unlink(out);
    unlink(expanded);
    diag_set_sink(count, &errors);
    int rc = mksys_run(&o);
    diag_set_sink(NULL, NULL);
    /* The contract of mksys.h: -1 after an error was reported, 0 with none. */
    if ((rc != 0) != (errors != 0) || (rc != 0 && rc != -1)) {
        fprintf(stderr, "fuzz: mksys_run returned %d after %u errors\n", rc, errors);
        abort();
    }
    if ((rc == 0) != (access(out, F_OK) == 0)) {
        fprintf(stderr, "fuzz: mksys_run returned %d but %s the image\n", rc, rc ? "wrote" : "did not write");
        abort();
    }
    return rc;
}

void fz_selftest(void)
{
    static const char *const systems[] = { "valid.system", "guest.system" };
    for (unsigned i = 0; i < 2; i++)
        if (fz_mksys(&(struct fz_run){ .system = fz_src(1, systems[i]) })) {
            fprintf(stderr, "fuzz: the fixtures do not build (FUZZ_FIXTURES=%s FUZZ_FIXTURE_OUT=%s): %s\n",
                    fx_src(), fx_out(), first_error);
            abort();
        }
}

/* Every mksys target starts with the self-test; weak, so a target that sets up more (e.g.
 * fuzz_elf_fields) defines its own and calls fz_selftest itself. */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_selftest();
    return 0;
}

const char *fz_keep_expanded(const char *name)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s", fz_dir(), name);
    if (rename(expanded, path)) {
        perror(expanded);
        abort();
    }
    return path;
}

/*
 * Runs the mksys library (mksys_run) on one fuzz input, as the real tool would: the input is
 * written to a file in a private directory on tmpfs, the other inputs are the unit-test
 * fixtures (tests/unit/fixtures and the files `make test-unit` builds). Errors go to a sink
 * that only counts them, so nothing is printed and nothing exits.
 */
#ifndef FUZZ_MKSYS_DRIVER_H
#define FUZZ_MKSYS_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/* The fixtures' directories: sources (FIXTURES) and built files (FIXTURE_OUT); the
 * environment variables FUZZ_FIXTURES and FUZZ_FIXTURE_OUT override the compiled-in ones. */
const char *fx_src(void); /* tests/unit/fixtures */
const char *fx_out(void); /* $(BUILD)/host/test */

/* The private directory; its files are searched before fx_out(). */
const char *fz_dir(void);

/* Writes data to fz_dir()/name and returns the path (static buffer per slot 0..3). */
const char *fz_write(unsigned slot, const char *name, const uint8_t *data, size_t size);

/* Removes fz_dir()/name, so the fixture of that name is found again. */
void fz_remove(const char *name);

/* A path to fixture `name` under fx_src() or fx_out() (static buffer per slot 0..3). */
const char *fz_src(unsigned slot, const char *name);
const char *fz_out(unsigned slot, const char *name);

struct fz_run {
    const char *board, *kernel, *system; /* NULL: the default fixtures */
    int emit;                            /* also write the report and the expanded system */
};

/* mksys_run with errors counted; returns its result (0 or -1). */
int fz_mksys(const struct fz_run *r);

/* Aborts with the first error unless valid.system and guest.system build from the fixtures
 * as they are: without it a missing fixture would make every input fail the same dull way. */
void fz_selftest(void);

/* Moves the expanded system the last successful fz_mksys with emit wrote to fz_dir()/name
 * (the next fz_mksys would remove it) and returns the new path. */
const char *fz_keep_expanded(const char *name);

#endif

/* Error reporting: every error goes through one sink so the CLI prints it and tests capture it. */
#ifndef MKSYS_DIAG_H
#define MKSYS_DIAG_H

/* msg is the whole line without the newline: "FILE:LINE: error: ..." or "FILE: error: ...". */
typedef void (*diag_sink_fn)(const char *msg, void *arg);

/* NULL restores the default sink (stderr). */
void diag_set_sink(diag_sink_fn fn, void *arg);

/* Both report an error and return -1 so callers can `return err_at(...)`. */
int err_at(const char *file, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int err_file(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

/* Internal interfaces between the runtime's source files. */
#ifndef MICROKIT_RUNTIME_H
#define MICROKIT_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Console: one line buffer per PD, sent to the kernel a SYS_DBG_PUTS chunk at a time,
 * so that a line is not split among other PDs' output more than it must be. */
void mk_console_putc(char c);
void mk_console_write(const char *s, size_t n);
void mk_console_flush(void);
void mk_console_break(void); /* end a partial line, so a diagnostic starts on its own */
/* Bytes of a partial line waiting in the buffer (the event loop tests it without a call). */
extern size_t mk_console_used;

/* Named diagnostics: "<func>: PD '<name>': <what> <value>\n". */
void mk_diag(const char *func, const char *what, uint64_t value);
void mk_print_str(const char *s);
void mk_print_dec(uint64_t v);
void mk_print_hex(uint64_t v);

/* The checked deferred action (deferred.c) for the next wait: 0 or SYS_DEFER(...); clears it. */
uint64_t mk_take_deferred(void); /* (microkit_have_signal says whether there is one) */
/* calls.c: is ch in mask? If not, a diagnostic naming func. */
bool mk_channel_ok(const char *func, unsigned ch, uint64_t mask);

/* The event loop; _start calls it and it never returns. */
void microkit_run(void) __attribute__((noreturn));

#endif

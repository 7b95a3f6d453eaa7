/* The VMM's console lines, through microkit_dbg_puts so tests can capture them. */
#ifndef VMM_LOG_H
#define VMM_LOG_H

#include <stdbool.h>
#include <stdint.h>

struct vmm;
struct vmm_config;

/* "vmm: guest '<name>': <message>\n" */
void vmm_log(const struct vmm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "vmm: guest '<vm_name>': <message>\n" before there is a struct vmm (configuration checks). */
void vmm_config_log(const struct vmm_config *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The message as it is, newline included. */
void vmm_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* True the first time `key` is seen (then remembered), so a repeating event logs once. */
bool vmm_log_first(struct vmm *vm, uint64_t key);

#endif

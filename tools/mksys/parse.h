/* Internal to the parser (parse*.c): shared helpers and one entry point per element. */
#ifndef MKSYS_PARSE_H
#define MKSYS_PARSE_H

#include <stdbool.h>
#include <string.h>

#include <libxml/tree.h>

#include "diag.h"
#include "sdesc.h"
#include "sysimg.h"
#include "xmlattr.h"

struct ctx {
    const char *file;
    struct sd_system *sys;
};

static inline const char *tag(xmlNodePtr n)
{
    return (const char *)n->name;
}

static inline bool is(xmlNodePtr n, const char *name)
{
    return !strcmp(tag(n), name);
}

/* Calls fn for each child element (fn NULL: children are not allowed); rejects stray text.
 * Comments are skipped. */
typedef int (*child_fn)(struct ctx *c, xmlNodePtr parent, xmlNodePtr child, void *arg);
int for_children(struct ctx *c, xmlNodePtr n, child_fn fn, void *arg);
int unknown_child(struct ctx *c, xmlNodePtr parent, xmlNodePtr ch);

/* A channel id attribute `id` (0..SYS_MAX_CHANNELS-1, i.e. 0..61). */
int parse_channel_id(struct ctx *c, xmlNodePtr n, unsigned *id);

/* A <map> into m (already pushed); setvar_vaddr only where Microkit allows it (not in a VM). */
int parse_map(struct ctx *c, xmlNodePtr n, struct sd_map *m, bool allow_setvar);

/* name and priority of a <virtual_machine> or <linux_vm> (vCPU names "<name>:<id>" must fit
 * SYSIMG_NAME_LEN), and the one-VM-per-PD rule. */
int parse_vm_common(struct ctx *c, xmlNodePtr n, size_t pd, char **name, unsigned *priority);
/* on_foreign_access="abort" (the default) or "stop" of a <linux_vm>. */
int parse_foreign_access(struct ctx *c, xmlNodePtr n, const char *vm, bool *stop);
/* vtimer="kernel" (the default) or "vmm" of a <virtual_machine> or <linux_vm>. */
int parse_vtimer(struct ctx *c, xmlNodePtr n, const char *vm, bool *to_vmm);

int parse_mr(struct ctx *c, xmlNodePtr n);
int parse_pd(struct ctx *c, xmlNodePtr n, int parent);
/* The attributes budget_attr and period_attr of n (microseconds, Microkit's budget and period;
 * period defaults to the budget): *budget_us 0 unless the budget is less than the period. */
int parse_budget(struct ctx *c, xmlNodePtr n, const char *what, const char *budget_attr,
                 const char *period_attr, uint32_t *budget_us, uint32_t *period_us);
int parse_channel(struct ctx *c, xmlNodePtr n);
int parse_vm(struct ctx *c, xmlNodePtr n, size_t pd);
int parse_guest(struct ctx *c, xmlNodePtr n, size_t pd);
int parse_virtio_console(struct ctx *c, xmlNodePtr n, struct sd_guest *g);
int parse_serial(struct ctx *c, xmlNodePtr n);

#endif

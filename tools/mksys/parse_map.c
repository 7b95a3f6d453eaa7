/* <map> of a memory region, in a protection domain or (guest-physical) in a virtual machine. */
#include <stdlib.h>

#include "parse.h"

static int parse_perms(struct ctx *c, xmlNodePtr n, uint32_t *perms)
{
    char *s = NULL;
    if (xa_str(c->file, n, "perms", false, &s))
        return -1;
    if (!s)
        return 0;
    uint32_t p = 0;
    int rc = 0;
    for (const char *q = s; *q && !rc; q++) {
        if (*q == 'r')
            p |= SYSIMG_PERM_R;
        else if (*q == 'w')
            p |= SYSIMG_PERM_W;
        else if (*q == 'x')
            p |= SYSIMG_PERM_X;
        else
            rc = -1;
    }
    if (rc || !p)
        rc = err_at(c->file, xa_line(n),
                    "<map> attribute perms=\"%s\" must be a non-empty combination of r, w and x", s);
    free(s);
    *perms = p;
    return rc;
}

int parse_map(struct ctx *c, xmlNodePtr n, struct sd_map *m, bool allow_setvar)
{
    static const char *const pd_attrs[] = { "mr", "vaddr", "perms", "cached", "setvar_vaddr", NULL };
    static const char *const vm_attrs[] = { "mr", "vaddr", "perms", "cached", NULL }; /* as Microkit */
    m->line = xa_line(n);
    m->perms = SYSIMG_PERM_R | SYSIMG_PERM_W;
    m->cached = true;
    if (xa_allowed(c->file, n, allow_setvar ? pd_attrs : vm_attrs) ||
        xa_str(c->file, n, "mr", true, &m->mr_name) || xa_u64(c->file, n, "vaddr", true, &m->vaddr) ||
        parse_perms(c, n, &m->perms) || xa_bool(c->file, n, "cached", &m->cached) ||
        xa_str(c->file, n, "setvar_vaddr", false, &m->setvar_vaddr) || for_children(c, n, NULL, NULL))
        return -1;
    return 0;
}

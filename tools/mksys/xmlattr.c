#include "xmlattr.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "num.h"
#include "util.h"

long xa_line(xmlNodePtr n)
{
    return xmlGetLineNo(n);
}

/* The attribute as written on n, without a namespace. Unlike xmlGetProp this ignores
 * namespaced attributes and defaults a DTD would supply. */
static xmlAttrPtr find_attr(xmlNodePtr n, const char *attr)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next)
        if (!a->ns && !strcmp((const char *)a->name, attr))
            return a;
    return NULL;
}

int xa_allowed(const char *file, xmlNodePtr n, const char *const allowed[])
{
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        if (a->ns) /* foo:name="x" next to name="y": refuse rather than guess which one counts */
            return err_at(file, xa_line(n),
                          "attribute '%s:%s' on <%s> has a namespace; system descriptions use none",
                          a->ns->prefix ? (const char *)a->ns->prefix : "", (const char *)a->name,
                          (const char *)n->name);
        bool ok = false;
        for (size_t i = 0; allowed[i] && !ok; i++)
            ok = !strcmp((const char *)a->name, allowed[i]);
        if (!ok)
            return err_at(file, xa_line(n), "unknown attribute '%s' on <%s>", (const char *)a->name,
                          (const char *)n->name);
    }
    return 0;
}

bool xa_has(xmlNodePtr n, const char *attr)
{
    return find_attr(n, attr) != NULL;
}

int xa_str(const char *file, xmlNodePtr n, const char *attr, bool required, char **out)
{
    xmlAttrPtr a = find_attr(n, attr);
    xmlChar *v = a ? xmlNodeListGetString(n->doc, a->children, 1) : NULL;
    if (a && !v)
        v = xmlStrdup((const xmlChar *)""); /* attr="" has no children */
    if (!v) {
        if (required)
            return err_at(file, xa_line(n), "<%s> is missing required attribute '%s'", (const char *)n->name,
                          attr);
        return 0;
    }
    *out = xstrdup((const char *)v);
    xmlFree(v);
    return 0;
}

int xa_u64(const char *file, xmlNodePtr n, const char *attr, bool required, uint64_t *out)
{
    char *s = NULL;
    if (xa_str(file, n, attr, required, &s))
        return -1;
    if (!s)
        return 0;
    int rc = 0;
    if (parse_u64(s, out))
        rc = err_at(file, xa_line(n), "<%s> attribute %s=\"%s\" is not a number", (const char *)n->name, attr,
                    s);
    free(s);
    return rc;
}

int xa_bool(const char *file, xmlNodePtr n, const char *attr, bool *out)
{
    char *s = NULL;
    if (xa_str(file, n, attr, false, &s))
        return -1;
    if (!s)
        return 0;
    int rc = 0;
    if (parse_bool(s, out))
        rc = err_at(file, xa_line(n), "<%s> attribute %s=\"%s\" must be \"true\" or \"false\"",
                    (const char *)n->name, attr, s);
    free(s);
    return rc;
}

/* XML system description -> struct sd_system. Syntax and single-attribute values are checked
 * while parsing (parse_*.c); cross-references by resolve.c and check.c. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include <libxml/parser.h>

#include "files.h"
#include "parse.h"

/* libxml2 records a text node's line where the text ends; report where its first
 * non-blank character is instead. */
static long text_line(xmlNodePtr t)
{
    long line = xa_line(t);
    const char *s = (const char *)t->content;
    s += strspn(s, " \t\r\n");
    for (; *s; s++)
        line -= *s == '\n';
    return line;
}

int for_children(struct ctx *c, xmlNodePtr n, child_fn fn, void *arg)
{
    for (xmlNodePtr ch = n->children; ch; ch = ch->next) {
        if (ch->type == XML_ELEMENT_NODE && ch->ns)
            return err_at(c->file, xa_line(ch),
                          "element <%s> in <%s> has a namespace; system descriptions use none", tag(ch),
                          tag(n));
        if (ch->type == XML_ELEMENT_NODE) {
            int rc = fn ? fn(c, n, ch, arg)
                        : err_at(c->file, xa_line(ch), "unknown element <%s> in <%s>", tag(ch), tag(n));
            if (rc)
                return rc;
        } else if ((ch->type == XML_TEXT_NODE || ch->type == XML_CDATA_SECTION_NODE) && !xmlIsBlankNode(ch)) {
            return err_at(c->file, text_line(ch), "unexpected text in <%s>", tag(n));
        }
    }
    return 0;
}

int unknown_child(struct ctx *c, xmlNodePtr parent, xmlNodePtr ch)
{
    return err_at(c->file, xa_line(ch), "unknown element <%s> in <%s>", tag(ch), tag(parent));
}

static int system_child(struct ctx *c, xmlNodePtr parent, xmlNodePtr ch, void *arg)
{
    (void)arg;
    if (is(ch, "memory_region"))
        return parse_mr(c, ch);
    if (is(ch, "protection_domain"))
        return parse_pd(c, ch, -1);
    if (is(ch, "channel"))
        return parse_channel(c, ch);
    if (is(ch, "serial"))
        return parse_serial(c, ch);
    return unknown_child(c, parent, ch);
}

static int read_doc(const char *file, xmlDocPtr *doc)
{
    uint8_t *text = NULL;
    size_t len = 0;
    if (files_read(file, "system description", &text, &len))
        return -1;
    if (len > INT_MAX) {
        free(text);
        return err_file(file, "system description is too large (%zu bytes)", len);
    }
    xmlParserCtxtPtr px = xmlNewParserCtxt();
    if (!px) {
        free(text);
        return err_file(file, "cannot create XML parser");
    }
    *doc = xmlCtxtReadMemory(px, (const char *)text, (int)len, file, NULL,
                             XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    free(text);
    int rc = 0;
    if (!*doc) {
        const xmlError *e = xmlCtxtGetLastError(px);
        char msg[512];
        snprintf(msg, sizeof msg, "%s", e && e->message ? e->message : "unknown error");
        msg[strcspn(msg, "\n")] = 0;
        rc = err_at(file, e ? e->line : 0, "XML syntax error: %s", msg);
    }
    xmlFreeParserCtxt(px);
    return rc;
}

int sd_parse(const char *file, struct sd_system *sys)
{
    memset(sys, 0, sizeof *sys);
    sys->file = file;
    xmlDocPtr doc = NULL;
    if (read_doc(file, &doc))
        return -1;
    struct ctx c = { file, sys };
    xmlNodePtr root = xmlDocGetRootElement(doc);
    static const char *const attrs[] = { NULL };
    int rc;
    if (!root)
        rc = err_file(file, "empty system description");
    else if (root->ns)
        rc = err_at(file, xa_line(root), "element <%s> has a namespace; system descriptions use none",
                    tag(root));
    else if (!is(root, "system"))
        rc = err_at(file, xa_line(root), "root element is <%s>, expected <system>", tag(root));
    else
        rc = (xa_allowed(file, root, attrs) || for_children(&c, root, system_child, NULL)) ? -1 : 0;
    xmlFreeDoc(doc);
    return rc;
}

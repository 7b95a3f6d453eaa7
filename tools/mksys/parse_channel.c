/* <channel> with its two <end>s. */
#include "parse.h"

int parse_channel_id(struct ctx *c, xmlNodePtr n, unsigned *id)
{
    uint64_t v = 0;
    if (xa_u64(c->file, n, "id", true, &v))
        return -1;
    if (v >= SYSIMG_MAX_CHANNELS)
        return err_at(c->file, xa_line(n), "<%s> id %llu out of range 0..%u", tag(n), (unsigned long long)v,
                      SYSIMG_MAX_CHANNELS - 1);
    *id = (unsigned)v;
    return 0;
}

static int parse_end(struct ctx *c, xmlNodePtr n, struct sd_end *e)
{
    static const char *const attrs[] = { "pd", "id", "pp", "notify", NULL };
    e->line = xa_line(n);
    e->notify = true;
    if (xa_allowed(c->file, n, attrs) || xa_str(c->file, n, "pd", true, &e->pd_name) ||
        parse_channel_id(c, n, &e->id) || xa_bool(c->file, n, "pp", &e->pp) ||
        xa_bool(c->file, n, "notify", &e->notify) || for_children(c, n, NULL, NULL))
        return -1;
    return 0;
}

struct chan_arg {
    struct sd_channel *chan;
    int nends;
};

static int channel_child(struct ctx *c, xmlNodePtr parent, xmlNodePtr ch, void *arg)
{
    struct chan_arg *a = arg;
    if (!is(ch, "end"))
        return unknown_child(c, parent, ch);
    if (a->nends == 2)
        return err_at(c->file, xa_line(ch), "<channel> must have exactly two <end> elements, found more");
    return parse_end(c, ch, &a->chan->end[a->nends++]);
}

int parse_channel(struct ctx *c, xmlNodePtr n)
{
    static const char *const attrs[] = { NULL };
    struct chan_arg a = { VEC_PUSH(c->sys->chans), 0 };
    a.chan->line = xa_line(n);
    if (xa_allowed(c->file, n, attrs) || for_children(c, n, channel_child, &a))
        return -1;
    if (a.nends != 2)
        return err_at(c->file, a.chan->line, "<channel> must have exactly two <end> elements, found %d",
                      a.nends);
    return 0;
}

/*
 * System calls from PDs (hvc #0). Every call that names a channel or a child is checked against
 * what the PD was given in the boot image; a bad argument gets an error status and a named
 * diagnostic, never an effect on another PD.
 */
#include "console.h"
#include "fastpath.h"
#include "fault.h"
#include "ipc.h"
#include "irq.h"
#include "sched.h"

static const char *const call_names[] = {
    [SYS_NOTIFY] = "notify",
    [SYS_IRQ_ACK] = "irq_ack",
    [SYS_PPCALL] = "ppcall",
};

/* The PD's channel slot `ch` if it has `kind` and every flag in `flags`, else NULL. */
static const struct sysimg_channel *channel(struct pd *pd, uint64_t call, uint64_t ch, unsigned kind,
                                            unsigned flags)
{
    if (ch < SYSIMG_MAX_CHANNELS) {
        const struct sysimg_channel *c = &pd->desc->ch[ch];
        if (c->kind == kind && (c->flags & flags) == flags)
            return c;
    }
    kprintf("kernel: PD '%s': %s on channel %lu: no such %s\n", pd->desc->name, call_names[call], ch,
            kind == SYSIMG_CH_IRQ  ? "IRQ"
            : flags & SYSIMG_CH_PP ? "pp channel"
                                   : "notify channel");
    return NULL;
}

static void dbg_puts(struct pd *pd, const uint64_t *x)
{
    uint64_t n = x[1];
    if (n > SYS_PUTS_MAX) {
        kprintf("kernel: PD '%s': debug output of %lu bytes (max %u)\n", pd->desc->name, n, SYS_PUTS_MAX);
        pd->ctx.x[0] = SYS_ERR_INVALID;
        return;
    }
    for (uint64_t i = 0; i < n; i++) {
        char c = (char)(x[2 + i / 8] >> (8 * (i % 8)));
        if (c != '\n')
            pd->line[pd->line_len++] = c;
        if (c == '\n' || pd->line_len == PD_LINE_MAX) {
            console_write(pd->line, pd->line_len);
            if (c == '\n')
                console_putc('\n');
            console_flush(); /* a line longer than PD_LINE_MAX goes on in the next entry */
            pd->line_len = 0;
        }
    }
    pd->ctx.x[0] = SYS_OK;
}

static void child_call(struct pd *pd, uint64_t *x, bool restart)
{
    struct pd *child = pd_child(pd, x[1]);
    if (!child) {
        kprintf("kernel: PD '%s': %s of child %lu: no such child\n", pd->desc->name,
                restart ? "restart" : "stop", x[1]);
        x[0] = SYS_ERR_CHILD;
        return;
    }
    if (restart)
        pd_restart(child, x[2]);
    else
        pd_stop(child);
    x[0] = SYS_OK;
}

static uint64_t notify(struct pd *pd, uint64_t ch)
{
    const struct sysimg_channel *c = channel(pd, SYS_NOTIFY, ch, SYSIMG_CH_CHANNEL, SYSIMG_CH_NOTIFY);
    if (!c)
        return SYS_ERR_CHANNEL;
    ipc_signal(&pds[c->peer_pd], c->peer_ch);
    return SYS_OK;
}

static uint64_t ack_irq(struct pd *pd, uint64_t ch)
{
    const struct sysimg_channel *c = channel(pd, SYS_IRQ_ACK, ch, SYSIMG_CH_IRQ, 0);
    if (!c)
        return SYS_ERR_CHANNEL;
    irq_ack(c->irq);
    return SYS_OK;
}

/* A receive's deferred action (pd_abi.h): its status has nowhere to go, the diagnostic is it. */
static void deferred(struct pd *pd, uint64_t action)
{
    if (action == 0)
        return;
    if (SYS_DEFER_KIND(action) == SYS_DEFER_NOTIFY)
        notify(pd, SYS_DEFER_CH(action));
    else if (SYS_DEFER_KIND(action) == SYS_DEFER_IRQ_ACK)
        ack_irq(pd, SYS_DEFER_CH(action));
    else
        kprintf("kernel: PD '%s': unknown deferred action 0x%lx\n", pd->desc->name, action);
}

/* A fault's reply resumes the faulted PD where it faulted, with whatever its parent changed. */
static void reply(struct pd *pd, uint64_t msginfo)
{
    struct pd *resume = ipc_reply(pd, msginfo);
    if (resume && resume->is_vcpu)
        vcpu_reply(pd, resume, msginfo);
    else if (resume)
        sched_make_ready(resume);
}

bool syscall_handle(struct pd *pd)
{
    uint64_t *x = pd->ctx.x;
    const struct sysimg_channel *c;
    switch (x[0]) {
    case SYS_RECV:
        deferred(pd, x[2]);
        ipc_recv(pd);
        break;
    case SYS_REPLY_RECV:
        if (fastpath_reply_recv(pd, x[1], x[2]))
            return true;
        reply(pd, x[1]); /* writes only the caller's registers, not x[2] here */
        deferred(pd, x[2]);
        ipc_recv(pd);
        break;
    case SYS_NOTIFY: x[0] = notify(pd, x[1]); break;
    case SYS_IRQ_ACK: x[0] = ack_irq(pd, x[1]); break;
    case SYS_PPCALL:
        c = channel(pd, x[0], x[1], SYSIMG_CH_CHANNEL, SYSIMG_CH_PP);
        x[0] = c ? SYS_OK : SYS_ERR_CHANNEL;
        if (c)
            ipc_call(pd, &pds[c->peer_pd], c->peer_ch, x[2]);
        break;
    case SYS_DBG_PUTS: dbg_puts(pd, x); break;
    case SYS_PD_RESTART:
    case SYS_PD_STOP: child_call(pd, x, x[0] == SYS_PD_RESTART); break;
    case SYS_NULL: x[0] = SYS_OK; break;
    case SYS_VCPU_RESTART:
    case SYS_VCPU_STOP:
    case SYS_VCPU_INJECT:
    case SYS_VCPU_ACK_VPPI:
    case SYS_VCPU_READ:
    case SYS_VCPU_WRITE: vcpu_syscall(pd, x); break;
    default:
        kprintf("kernel: PD '%s': unknown system call %lu\n", pd->desc->name, x[0]);
        x[0] = SYS_ERR_INVALID;
        break;
    }
    return false;
}

/*
 * The checked Microkit calls. Each checks its argument against the capabilities the image
 * tool patched in (vars.c) and prints a named diagnostic instead of making a call that would
 * fail; a refusal by the kernel anyway (the masks and the kernel disagree) is reported too.
 */
#include <microkit.h>
#include <microkit_sys.h>

#include "runtime.h"

bool mk_channel_ok(const char *func, microkit_channel ch, seL4_Word mask)
{
    if (ch < MICROKIT_MAX_CHANNELS && ((mask >> ch) & 1) != 0)
        return true;
    mk_diag(func, "invalid channel", ch);
    return false;
}

static void check_status(const char *func, uint64_t status, uint64_t arg)
{
    if (status != SYS_OK)
        mk_diag(func, status == SYS_ERR_CHILD ? "kernel refused child" : "kernel refused channel", arg);
}

void microkit_notify(microkit_channel ch)
{
    if (mk_channel_ok("microkit_notify", ch, microkit_notifications))
        check_status("microkit_notify", sys_call2(SYS_NOTIFY, ch, 0).x0, ch);
}

void microkit_irq_ack(microkit_channel ch)
{
    if (mk_channel_ok("microkit_irq_ack", ch, microkit_irqs))
        check_status("microkit_irq_ack", sys_call2(SYS_IRQ_ACK, ch, 0).x0, ch);
}

microkit_msginfo microkit_ppcall(microkit_channel ch, microkit_msginfo msginfo)
{
    if (!mk_channel_ok("microkit_ppcall", ch, microkit_pps))
        return microkit_msginfo_new(0, 0);
    if (microkit_msginfo_get_count(msginfo) > MICROKIT_MAX_MRS) {
        mk_diag("microkit_ppcall", "invalid message register count", microkit_msginfo_get_count(msginfo));
        return microkit_msginfo_new(0, 0);
    }
    mk_console_flush(); /* the call blocks: let finished output out first */
    struct sys_result r = sys_call2(SYS_PPCALL, ch, msginfo);
    check_status("microkit_ppcall", r.x0, ch);
    return r.x0 == SYS_OK ? r.x1 : microkit_msginfo_new(0, 0);
}

void microkit_pd_restart(microkit_child child, seL4_Word entry_point)
{
    /* Which children exist is not patched in: only the kernel can check the id. */
    if (child > SYS_MAX_CHILD_ID) {
        mk_diag("microkit_pd_restart", "invalid child", child);
        return;
    }
    check_status("microkit_pd_restart", sys_call2(SYS_PD_RESTART, child, entry_point).x0, child);
}

void microkit_pd_stop(microkit_child child)
{
    if (child > SYS_MAX_CHILD_ID) {
        mk_diag("microkit_pd_stop", "invalid child", child);
        return;
    }
    check_status("microkit_pd_stop", sys_call2(SYS_PD_STOP, child, 0).x0, child);
}

/*
 * Defaults for the optional entry points. A PD that receives a protected call or a child's
 * fault without handling it has a system description that does not match its code: say so.
 */
#include <microkit.h>

#include "runtime.h"

__attribute__((weak)) microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)msginfo;
    mk_diag("protected", "no protected() entry point for a call on channel", ch);
    return microkit_msginfo_new(0, 0);
}

__attribute__((weak)) seL4_Bool fault(microkit_child child, microkit_msginfo msginfo,
                                      microkit_msginfo *reply_msginfo)
{
    (void)msginfo;
    (void)reply_msginfo;
    mk_diag("fault", "no fault() entry point; not resuming child", child);
    return false;
}

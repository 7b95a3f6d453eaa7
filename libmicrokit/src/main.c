/*
 * The event loop: init() once, then wait for events and dispatch them to the PD's entry
 * points. A protected call or a fault the PD chose to answer is answered by the next wait
 * (SYS_REPLY_RECV), so a round trip costs one kernel entry on the server's side; a deferred
 * notify or IRQ ack (deferred.c) rides on that same entry.
 */
#include <microkit.h>
#include <microkit_sys.h>

#include "runtime.h"

typedef void (*ctor_fn)(void);
extern ctor_fn __init_array_start[], __init_array_end[]; /* from pd.ld */

static void run_constructors(void)
{
    for (ctor_fn *f = __init_array_start; f < __init_array_end; f++)
        (*f)();
}

static void deliver_notifications(uint64_t bits)
{
    while (bits != 0) {
        microkit_channel ch = (microkit_channel)__builtin_ctzll(bits);
        bits &= bits - 1;
        notified(ch);
    }
}

void microkit_run(void)
{
    bool have_reply = false;
    microkit_msginfo reply = 0;

    run_constructors();
    init();
    for (;;) {
        /* Both tested inline: this runs for every event, and there is rarely anything to do. */
        if (mk_console_used > 0)
            mk_console_flush(); /* about to block: a partial line should not wait for an event */
        /* One kernel entry with the reply and wait. */
        uint64_t deferred = microkit_have_signal ? mk_take_deferred() : 0;
        struct sys_result ev = have_reply ? sys_reply_recv(reply, deferred) : sys_recv(deferred);
        have_reply = false;
        switch (ev.x0) {
        case EV_NOTIFY: deliver_notifications(ev.x1); break;
        case EV_PPC:
            reply = protected((microkit_channel)ev.x1, ev.x2);
            have_reply = true;
            break;
        case EV_FAULT:
            reply = microkit_msginfo_new(0, 0);
            have_reply = fault((microkit_child)ev.x1, ev.x2, &reply);
            break;
        default: mk_diag("microkit_run", "unknown event from the kernel:", ev.x0); break;
        }
    }
}

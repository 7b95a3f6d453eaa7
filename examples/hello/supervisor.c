/*
 * supervisor: the parent of `child`. The kernel delivers the child's faults here; the
 * supervisor reports each one and restarts the child, giving up after a few faults.
 */
#include <inttypes.h>
#include <stdio.h>

#include <microkit.h>
#include <microkit_sys.h> /* FAULT_* labels and FAULT_MR_* register layout */

#include "hello.h"

/* pd.ld puts _start at the program base, the same in every PD. */
#define CHILD_ENTRY  0x200000ul
#define MAX_RESTARTS 4

static unsigned restarts;

static const char *fault_name(seL4_Word label)
{
    switch (label) {
    case FAULT_VM: return "virtual memory fault";
    case FAULT_UNDEF: return "undefined instruction";
    case FAULT_ALIGN: return "alignment fault";
    case FAULT_SYSCALL: return "trapped instruction";
    case FAULT_OTHER: return "other exception";
    default: return "unknown fault";
    }
}

void init(void)
{
    printf("supervisor: watching child %d\n", SUPERVISOR_CHILD);
}

void notified(microkit_channel ch)
{
    printf("supervisor: unexpected notification on channel %u\n", ch);
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    seL4_Word pc = microkit_mr_get(FAULT_MR_PC);
    seL4_Word addr = microkit_mr_get(FAULT_MR_ADDR);
    seL4_Word esr = microkit_mr_get(FAULT_MR_ESR);
    const char *what = fault_name(microkit_msginfo_get_label(msginfo));
    if (restarts == MAX_RESTARTS) {
        printf("supervisor: child %u faulted: %s at pc 0x%" PRIx64 " (addr 0x%" PRIx64 ", ESR 0x%" PRIx64
               "), giving up\n",
               child, what, pc, addr, esr);
        microkit_pd_stop(child);
        return false;
    }
    restarts++;
    printf("supervisor: child %u faulted: %s at pc 0x%" PRIx64 ", restarting\n", child, what, pc);
    microkit_pd_restart(child, CHILD_ENTRY);
    return false; /* the restart resumes the child: no reply */
}

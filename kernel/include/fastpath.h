/* The exit-to-VMM and reply-to-vCPU fast paths (fastpath.c). */
#ifndef FASTPATH_H
#define FASTPATH_H
#include "pd.h"

/* Where v's exit message goes when the exit can take the fast path (its VMM's message
 * registers), else NULL. Nothing has changed either way. */
uint64_t *fastpath_exit_mrs(struct pd *v);
/* Completes that exit, its message built: the VMM runs with it. */
void fastpath_exit(struct pd *v, uint64_t label);
/* SYS_REPLY_RECV by a VMM whose reply resumes a vCPU: done and switched if true; if false,
 * nothing has changed and the general path handles the call. */
bool fastpath_reply_recv(struct pd *vmm, uint64_t msginfo, uint64_t deferred);
#endif

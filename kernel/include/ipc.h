/* Events between PDs: notifications, protected calls and fault messages. */
#ifndef IPC_H
#define IPC_H
#include "pd.h"

void ipc_signal(struct pd *pd, unsigned bit);
void ipc_recv(struct pd *pd);
/* Answers the event pd received last. For a fault it returns the faulted PD, still
 * PD_FAULTED, for the caller to resume (NULL otherwise). */
struct pd *ipc_reply(struct pd *pd, uint64_t msginfo);
void ipc_call(struct pd *caller, struct pd *callee, unsigned callee_ch, uint64_t msginfo);
void ipc_fault(struct pd *pd, uint64_t label, const uint64_t mr[FAULT_MR_COUNT]);
/* The parent receives the fault of child (its message already in the parent's MRs): the event
 * registers, and the reply that will resume child. The caller makes the parent ready. */
void ipc_take_fault(struct pd *parent, struct pd *child);
/* Takes a PD out of every wait it is in (restart, stop). */
void ipc_detach(struct pd *pd);
#endif

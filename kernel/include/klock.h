/*
 * The kernel lock: one lock around everything the kernel does, as in seL4's SMP kernel (but
 * test-and-set, not fair: klock.c says why).
 * A core takes it on every entry from a PD and drops it just before returning to one, and
 * drops it while idle. It is never held while waiting for anything else (cross-core requests
 * are kicks, never waits), so no core can wait for a core that waits for it: no deadlock.
 */
#ifndef KLOCK_H
#define KLOCK_H
#include "types.h"

void klock_take(void);
void klock_drop(void);
#endif

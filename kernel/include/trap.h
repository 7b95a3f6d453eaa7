/* The kernel's entries from PDs (arch/aarch64/entry.S -> core/trap.c) and its one exit. */
#ifndef TRAP_H
#define TRAP_H

/* Chooses the PD this core returns to (idling until one is ready); ctx_enter then enters it. */
void kernel_leave(void);
#endif

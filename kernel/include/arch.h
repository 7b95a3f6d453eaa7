/* What the architecture-neutral kernel asks of the CPU (arch/aarch64/cpu.c). */
#ifndef ARCH_H
#define ARCH_H
#include "types.h"

struct pd;

/* Stops this core for good (panic, no boot image). */
NORETURN void arch_halt(void);
/* Waits for an interrupt, with interrupts masked (it is then handled by polling). */
void arch_wait_for_interrupt(void);
/* This core's MPIDR affinity fields (Aff3..Aff0). */
uint64_t arch_this_mpidr(void);
/* Ticks per second of the counter timer_now() reads. */
uint64_t arch_counter_hz(void);
/* Run `next` from now on: its stage-2 table and timer access, the PD vectors for a native PD
 * (as_changed: it is not the PD that ran before), and its saved context for the exit path. */
void arch_enter_pd(struct pd *next, bool as_changed);
/* Trap settings for `next`: FP/SIMD trapped unless fp_live (its registers are in the CPU). */
uint64_t arch_trap_setting(const struct pd *next, bool fp_live);
void arch_write_traps(uint64_t setting);
#endif

/* Turning exceptions a PD takes into a diagnostic or a message to its parent. */
#ifndef FAULT_H
#define FAULT_H
#include "pd.h"

/* esr/far/pc/spsr describe the exception; el1 says it was taken at EL1 and forwarded. */
void fault_raise(struct pd *pd, uint64_t esr, uint64_t far, uint64_t pc, uint64_t spsr, bool el1);
#endif

/* The EL2 physical timer: the scheduler's time slice. */
#ifndef TIMER_H
#define TIMER_H
#include "types.h"

void timer_init(uint32_t intid);
void timer_rearm(void);
uint32_t timer_intid(void);
#endif

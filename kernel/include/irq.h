/* Physical interrupts: the kernel's tick, and IRQs owned by PDs. */
#ifndef IRQ_H
#define IRQ_H
#include "pd.h"

void irq_bind(uint32_t intid, struct pd *pd, unsigned ch, bool edge);
void irq_handle_pending(void);
void irq_ack(uint32_t intid);
#endif

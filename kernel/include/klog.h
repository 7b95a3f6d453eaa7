/* The kernel's log ring: where the console's lines go once a serial driver PD owns the UART. */
#ifndef KLOG_H
#define KLOG_H
#include "sysimg.h"
#include "types.h"

/* Checks and remembers the header's log ring (log_pa 0: none). Before klog_start, and always
 * without a ring, the console writes the UART itself. */
void klog_init(const struct sysimg_header *h);
/* From now on the UART belongs to the driver PD: lines go into the ring. */
void klog_start(void);
/* True while lines go into the ring rather than to the UART. */
bool klog_active(void);
/* One line (n bytes, its '\n' included when it has one) into the ring, whole or not at all. */
void klog_put(const char *s, size_t n);
/* The UART's driver PD stopped: write the UART directly again, starting with what the ring
 * still holds, so that the reason is not lost with it. */
void klog_owner_stopped(unsigned pd_idx);
/* panic: the UART directly, whatever the ring's state. */
void klog_panic(void);
#endif

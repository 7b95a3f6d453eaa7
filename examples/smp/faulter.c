/*
 * faulter (core 1): when ping tells it, reads an address nothing is mapped at. The kernel must
 * report the fault by name and stop only this PD (it has no parent); the rest goes on.
 */
#include <stdint.h>
#include <stdio.h>

#include <microkit.h>

#include "core.h"
#include "smp.h"

#define UNMAPPED 0xdead0000ul

void init(void)
{
    say_core();
}

void notified(microkit_channel ch)
{
    if (ch != FAULTER_CH_PING) {
        printf("faulter: unexpected notification on channel %u\n", ch);
        return;
    }
    printf("faulter: about to read unmapped address 0x%lx\n", UNMAPPED);
    uint32_t v = *(volatile uint32_t *)UNMAPPED;
    printf("faulter: read 0x%x from unmapped memory: isolation is broken\n", (unsigned)v);
}

/*
 * faulter: reads an address nothing is mapped at. The kernel must report the fault by name
 * and stop only this PD (it has no parent to handle it); every other PD keeps running.
 */
#include <stdint.h>
#include <stdio.h>

#include <microkit.h>

#define UNMAPPED 0xdead0000ul

void init(void)
{
    printf("faulter: about to read unmapped address 0x%lx\n", UNMAPPED);
    uint32_t v = *(volatile uint32_t *)UNMAPPED;
    printf("faulter: read 0x%x from unmapped memory: isolation is broken\n", (unsigned)v);
}

void notified(microkit_channel ch)
{
    printf("faulter: unexpected notification on channel %u\n", ch);
}

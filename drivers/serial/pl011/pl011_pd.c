/* The pl011 driver PD (pl011.elf): the shared driver glue with the PL011's register logic. */
#include "pl011.h"
#include "serial_drv_pd.h"

void init(void)
{
    serial_drv_pd_init(&pl011_ops);
}

void notified(microkit_channel ch)
{
    serial_drv_pd_notified(ch);
}

/* The i.MX UART driver PD (imx_uart.elf): the shared driver glue with the i.MX register logic. */
#include "imx_uart.h"
#include "serial_drv_pd.h"

void init(void)
{
    serial_drv_pd_init(&imx_uart_ops);
}

void notified(microkit_channel ch)
{
    serial_drv_pd_notified(ch);
}

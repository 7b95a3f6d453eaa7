/* The i.MX UART's register logic (imx_uart.c) as the driver core sees it. */
#ifndef IMX_UART_H
#define IMX_UART_H

#include "uart_ops.h"

extern const struct uart_ops imx_uart_ops;

/* UFCR.RFDIV's encoding of a divider 1..7 (6 is 0, 7 is 6: the field is not the divider). */
uint32_t imx_rfdiv_field(uint32_t div);
/* The divider a UFCR.RFDIV field selects, 0 for the reserved encoding 7. */
uint32_t imx_rfdiv_from_field(uint32_t field);

#endif

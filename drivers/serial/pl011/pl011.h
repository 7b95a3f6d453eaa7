/* The PL011's register logic (pl011.c) as the driver core sees it. */
#ifndef PL011_H
#define PL011_H

#include "uart_ops.h"

extern const struct uart_ops pl011_ops;

#endif

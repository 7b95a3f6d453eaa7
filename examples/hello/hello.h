/* Channel ids and the calc protocol of the hello system (systems/<board>/hello.system). */
#ifndef HELLO_H
#define HELLO_H

/* ping's channels */
#define PING_CH_PONG 0 /* notifications, both ways */
#define PING_CH_CALC 1 /* ping holds the pp="true" end */
/* pong's channel */
#define PONG_CH_PING 0
/* calc's channel */
#define CALC_CH_PING 0
/* echo's PL011 receive interrupt */
#define ECHO_CH_UART_IRQ 0
/* supervisor's child */
#define SUPERVISOR_CHILD 0

#define PING_PONG_ROUNDS 3
#define PING_PONG_START  10

/* calc: label CALC_ARITH, MRs (a, b) -> (a + b, a * b, a - b), signed 64-bit. */
#define CALC_ARITH 1
#define CALC_ERROR 0xbad /* reply label for a call calc does not understand */

#endif

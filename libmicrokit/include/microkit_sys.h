/*
 * Raw kernel calls (pd_abi.h) for the runtime, benchmarks and parents decoding faults.
 * These do no checking: PD code should use the microkit_* calls instead.
 *
 * pd_abi.h fixes only x0..x7 on entry and x0..x2 on return, so every call lets the kernel
 * change any caller-saved general register (x0..x17); callee-saved state is assumed kept.
 */
#ifndef MICROKIT_SYS_H
#define MICROKIT_SYS_H

#include <stdint.h>

#include "pd_abi.h" /* SYS_*, EV_*, FAULT_* and FAULT_MR_* for parents */

struct sys_result {
    uint64_t x0, x1, x2;
};

#define SYS_CLOBBERS                                                                                         \
    "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",        \
        "memory", "cc"

static inline struct sys_result sys_call2(uint64_t nr, uint64_t a1, uint64_t a2)
{
    register uint64_t x0 __asm__("x0") = nr;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2) : : SYS_CLOBBERS);
    return (struct sys_result){ x0, x1, x2 };
}

static inline uint64_t sys_null(void)
{
    return sys_call2(SYS_NULL, 0, 0).x0;
}

/* `deferred` is 0 or SYS_DEFER(kind, channel): performed by the kernel before it waits. */
static inline struct sys_result sys_recv(uint64_t deferred)
{
    return sys_call2(SYS_RECV, 0, deferred);
}

static inline struct sys_result sys_reply_recv(uint64_t reply_msginfo, uint64_t deferred)
{
    return sys_call2(SYS_REPLY_RECV, reply_msginfo, deferred);
}

/* Writes n <= SYS_PUTS_MAX bytes, already packed little-endian into w[0..5]. */
static inline uint64_t sys_dbg_puts(uint64_t n, const uint64_t w[6])
{
    register uint64_t x0 __asm__("x0") = SYS_DBG_PUTS;
    register uint64_t x1 __asm__("x1") = n;
    register uint64_t x2 __asm__("x2") = w[0];
    register uint64_t x3 __asm__("x3") = w[1];
    register uint64_t x4 __asm__("x4") = w[2];
    register uint64_t x5 __asm__("x5") = w[3];
    register uint64_t x6 __asm__("x6") = w[4];
    register uint64_t x7 __asm__("x7") = w[5];
    __asm__ volatile("hvc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6), "+r"(x7)
                     :
                     : "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory", "cc");
    return x0;
}

#endif

/*
 * The fixed amount of integer work a cpu_work guest does: a xorshift64 generator folded into
 * a running sum, ITERATIONS times, about 10 instructions a step with every step depending on
 * the last, so no compiler can shorten it. The same function runs on the build host
 * (expect.c) to give the guest its expected result: a guest whose registers were corrupted
 * while it was preempted or moved gets another number.
 */
#ifndef CPU_WORK_H
#define CPU_WORK_H
#include <stdint.h>

#define CPU_WORK_ITERATIONS 200000000ull
#define CPU_WORK_SEED       0x9e3779b97f4a7c15ull

static inline uint64_t cpu_work(uint64_t iterations)
{
    uint64_t x = CPU_WORK_SEED, sum = 0;
    for (uint64_t i = 0; i < iterations; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        sum += x * (i | 1);
    }
    return sum ^ x;
}
#endif

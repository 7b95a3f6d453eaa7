/*
 * Decoding a trapped guest load or store from its data-abort syndrome (ESR with ISV=1), and
 * the register arithmetic of emulating it. Pure functions.
 */
#ifndef VMM_MMIO_H
#define VMM_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#define MMIO_REG_ZR 31u /* Rt = 31: XZR/WZR (stores write 0, loads are discarded) */

struct mmio_access {
    bool write;
    unsigned size;    /* bytes: 1, 2, 4 or 8 */
    bool sign_extend; /* load: sign-extend from size to the register width */
    bool reg64;       /* the register is an X register (else W: upper 32 bits become 0) */
    bool acquire_release;
    unsigned reg; /* 0..30, or MMIO_REG_ZR */
};

enum mmio_status {
    MMIO_OK = 0,
    MMIO_NO_SYNDROME, /* ISV=0: load/store pair, writeback, SIMD...: not decodable */
};

enum mmio_status mmio_decode(uint64_t esr, struct mmio_access *a);

/* The bytes a store writes, from the value of its register. */
uint64_t mmio_store_data(const struct mmio_access *a, uint64_t reg_value);

/* The register's new value after a load that returned `data` (only the low `size` bytes count). */
uint64_t mmio_load_result(const struct mmio_access *a, uint64_t data);

#endif

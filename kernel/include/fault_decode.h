/* Decoding a PD's exception syndrome (arch/aarch64/fault_decode.c). */
#ifndef FAULT_DECODE_H
#define FAULT_DECODE_H
#include "types.h"

struct fault_kind {
    uint64_t label;   /* FAULT_* (pd_abi.h) */
    const char *what; /* "data abort", "undefined instruction", ... */
    bool is_abort;    /* FAR is meaningful */
};

struct fault_kind fault_classify(uint64_t esr);
/* The fault line's detail after `what`: the fault status and address of an abort, or the
 * exception class. */
void fault_print_detail(const struct fault_kind *k, uint64_t esr, uint64_t far);
#endif

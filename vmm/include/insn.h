/* Naming a guest instruction the VMM cannot emulate, for its diagnostics. */
#ifndef VMM_INSN_H
#define VMM_INSN_H

#include <stdint.h>

/* A short name of the A64 memory-access class of insn, e.g. "load/store pair (LDP/STP)". */
const char *insn_class(uint32_t insn);

#endif

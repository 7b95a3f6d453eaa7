/*
 * Classifying A64 instructions that access memory without giving the hypervisor a syndrome
 * (ESR ISV=0), so the diagnostic for an unemulatable MMIO access says what the guest did.
 * Encodings from the A64 "Loads and Stores" and "System" instruction groups.
 */
#include "insn.h"

struct insn_pattern {
    uint32_t mask, value;
    const char *name;
};

/* Checked in order: the more specific patterns first. */
static const struct insn_pattern patterns[] = {
    { 0xfff80000u, 0xd5080000u, "cache maintenance or DC ZVA (SYS)" },
    { 0x3f000000u, 0x08000000u, "load/store exclusive or ordered (LDXR/STXR family)" },
    { 0x3a000000u, 0x28000000u, "load/store pair (LDP/STP)" },
    { 0x3b200c00u, 0x38200000u, "atomic memory operation (LSE)" },
    { 0x3f000000u, 0x3d000000u, "SIMD/FP register load/store" },
    { 0x3b200400u, 0x38000400u, "load/store with writeback (pre/post-indexed)" },
    { 0x0a000000u, 0x08000000u, "load/store" },
};

const char *insn_class(uint32_t insn)
{
    if (insn == 0)
        return "instruction not readable";
    for (unsigned i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
        if ((insn & patterns[i].mask) == patterns[i].value)
            return patterns[i].name;
    return "not a load or store";
}

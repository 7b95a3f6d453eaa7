/* Emulated loads and stores: the data-abort syndrome tells size, register and extension. */
#include "esr.h"
#include "mmio.h"

enum mmio_status mmio_decode(uint64_t esr, struct mmio_access *a)
{
    /* WnR is meaningful even without ISV; report it either way. */
    *a = (struct mmio_access){ .write = (esr & ESR_DABT_WNR) != 0 };
    if ((esr & ESR_DABT_ISV) == 0)
        return MMIO_NO_SYNDROME;
    a->size = 1u << ((esr >> ESR_DABT_SAS_SHIFT) & 3u);
    a->sign_extend = (esr & ESR_DABT_SSE) != 0;
    a->reg64 = (esr & ESR_DABT_SF) != 0;
    a->acquire_release = (esr & ESR_DABT_AR) != 0;
    a->reg = (unsigned)(esr >> ESR_DABT_SRT_SHIFT) & 0x1fu;
    return MMIO_OK;
}

static uint64_t size_mask(unsigned size)
{
    return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

uint64_t mmio_store_data(const struct mmio_access *a, uint64_t reg_value)
{
    if (a->reg == MMIO_REG_ZR)
        return 0;
    return reg_value & size_mask(a->size);
}

uint64_t mmio_load_result(const struct mmio_access *a, uint64_t data)
{
    /* The access's bytes to the top of the word and back: zero- or sign-extended to 64 bits
     * without a branch per size (this runs for every emulated load). */
    unsigned shift = 64 - 8 * a->size;
    uint64_t top = data << shift;
    uint64_t v = a->sign_extend ? (uint64_t)((int64_t)top >> shift) : top >> shift;
    /* A W register: writing it clears the upper half of the X register. */
    return a->reg64 ? v : v & 0xffffffffull;
}

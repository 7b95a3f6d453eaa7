/* GICv3 list registers (ICH_LR<n>_EL2): the encoding of an injected virtual interrupt, as the
 * kernel builds and reads it. The one place that knows the bit layout. */
#ifndef ICH_LR_H
#define ICH_LR_H
#include "types.h"

#define ICH_LR_STATE   (3ul << 62) /* pending, active, or both: not free */
#define ICH_LR_PENDING (1ul << 62)
#define ICH_LR_GROUP1  (1ul << 60)
#define ICH_LR_EOI     (1ul << 41) /* maintenance interrupt when the guest completes it */

/* Pending virtual `intid` at `prio`, group 1 or 0, with the EOI maintenance bit. */
static inline uint64_t ich_lr_pending(uint32_t intid, uint64_t prio, bool group1)
{
    return ICH_LR_PENDING | (group1 ? ICH_LR_GROUP1 : 0) | ((prio & 0xff) << 48) | ICH_LR_EOI | intid;
}

/* The same without the EOI bit: the guest's EOI frees it and nothing is told. */
static inline uint64_t ich_lr_quiet(uint64_t lr)
{
    return lr & ~ICH_LR_EOI;
}

static inline uint32_t ich_lr_intid(uint64_t lr)
{
    return (uint32_t)lr; /* vINTID, bits 31..0 */
}

/* `next` goes into a register that holds `now`: written if free; if busy with the same INTID and
 * `next` is quiet, now made pending again in place; else 0 (refused). */
static inline uint64_t ich_lr_merge(uint64_t now, uint64_t next)
{
    if (!(now & ICH_LR_STATE))
        return next;
    if (!(next & ICH_LR_EOI) && ich_lr_intid(now) == ich_lr_intid(next))
        return now | ICH_LR_PENDING;
    return 0;
}

static inline bool ich_lr_busy(uint64_t lr)
{
    return (lr & ICH_LR_STATE) != 0;
}

static inline bool ich_lr_is_pending(uint64_t lr)
{
    return (lr & ICH_LR_PENDING) != 0;
}
#endif

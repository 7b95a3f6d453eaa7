/*
 * The PD runtime API, with the names and semantics of seL4 Microkit 2.x's libmicrokit, so PD code
 * written against it also builds against a real Microkit SDK.
 *
 * A PD provides init() and notified(); protected() and fault() are optional (the runtime's
 * defaults print a diagnostic). Every call checks its argument against what the system
 * description gave this PD (the masks below, patched in by the image tool) and prints a named
 * diagnostic instead of making a call the kernel would refuse.
 */
#ifndef MICROKIT_H
#define MICROKIT_H

#include <stdbool.h>
#include <stdint.h>

#include "pd_abi.h"     /* message layout shared with the kernel */
#include "sys_limits.h" /* channel and id limits shared with the kernel and the image tool */

/* The seL4 scalar types Microkit's API is written in, for source compatibility. */
typedef uint64_t seL4_Word;
typedef bool seL4_Bool;
typedef uint8_t seL4_Uint8;
typedef uint16_t seL4_Uint16;
typedef uint32_t seL4_Uint32;
typedef uint64_t seL4_Uint64;

typedef unsigned int microkit_channel; /* a channel id, 0..MICROKIT_MAX_CHANNELS-1 */
typedef unsigned int microkit_child;   /* a child PD's id, as given by its `id` attribute */
typedef seL4_Word microkit_msginfo;    /* label and MR count, laid out as pd_abi.h says */

/* As in Microkit 2.x: channel ids, child PD ids and vCPU ids are all 0..61. */
#define MICROKIT_MAX_CHANNELS   SYS_MAX_CHANNELS
#define MICROKIT_MAX_CHANNEL_ID (MICROKIT_MAX_CHANNELS - 1)
#define MICROKIT_PD_NAME_LENGTH 64
#define MICROKIT_MAX_MRS        PD_MAX_MRS

/* Entry points the PD provides. */
void init(void);
void notified(microkit_channel ch);
microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo);
seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo);

/* Patched into the PD's .data by the image tool. Bit n set = channel n has that capability:
 * microkit_irqs: an <irq> is delivered on n (may irq_ack it);
 * microkit_notifications: n is a channel end that may notify its peer;
 * microkit_pps: n is a channel end that may make protected calls (pp="true"). */
extern char microkit_name[MICROKIT_PD_NAME_LENGTH];
extern seL4_Word microkit_irqs;
extern seL4_Word microkit_notifications;
extern seL4_Word microkit_pps;

void microkit_notify(microkit_channel ch);
void microkit_irq_ack(microkit_channel ch);
microkit_msginfo microkit_ppcall(microkit_channel ch, microkit_msginfo msginfo);

/* As in Microkit: record one notify or IRQ ack, performed when the PD returns to its event
 * loop, in the same kernel entry as its reply and wait (so a driver that acks and notifies at
 * the end of notified() pays one kernel entry less). microkit_have_signal is true while one is
 * recorded. Where Microkit would silently replace a recorded action with a newer one, this
 * runtime performs the older one at once, so none is lost. */
extern seL4_Bool microkit_have_signal;
void microkit_deferred_notify(microkit_channel ch);
void microkit_deferred_irq_ack(microkit_channel ch);
void microkit_pd_restart(microkit_child child, seL4_Word entry_point);
void microkit_pd_stop(microkit_child child);

/* Virtual CPUs of the VMs this PD owns (<virtual_machine> with <vcpu id>), Microkit 2.x names.
 * `vcpu` is the <vcpu id> (0..61); `reg` is a VCPU_REG_* number from pd_abi.h (this host lets
 * these calls reach the general registers too; seL4 reaches those through the vCPU's TCB).
 * inject_irq returns true when the interrupt was placed in list register `index`, false
 * (with a diagnostic) when the arguments were bad or the kernel refused, e.g. the register
 * still holds a live interrupt; Microkit 2.x returns void there, so callers may ignore it. */
void microkit_vcpu_restart(microkit_child vcpu, seL4_Word entry_point);
void microkit_vcpu_stop(microkit_child vcpu);
seL4_Bool microkit_vcpu_arm_inject_irq(microkit_child vcpu, seL4_Uint16 irq, seL4_Uint8 priority,
                                       seL4_Uint8 group, seL4_Uint8 index);
/* This kernel's extension (no Microkit equivalent): inject without the EOI maintenance exit
 * (VCPU_INJECT_QUIET in pd_abi.h); VCPU_REG_LR_BUSY then says which list registers are free.
 * Returns 1 if placed quietly, 0 if placed but its EOI will be reported (a vCPU of another
 * core), -1 (with a diagnostic) if not placed. */
int microkit_vcpu_arm_inject_irq_quiet(microkit_child vcpu, seL4_Uint16 irq, seL4_Uint8 priority,
                                       seL4_Uint8 group, seL4_Uint8 index);
void microkit_vcpu_arm_ack_vppi(microkit_child vcpu, seL4_Word irq);
seL4_Word microkit_vcpu_arm_read_reg(microkit_child vcpu, seL4_Word reg);
void microkit_vcpu_arm_write_reg(microkit_child vcpu, seL4_Word reg, seL4_Word value);

void microkit_mr_set(seL4_Uint8 mr, seL4_Word value);
seL4_Word microkit_mr_get(seL4_Uint8 mr);

void microkit_dbg_puts(const char *s);
void microkit_dbg_putc(int c);

static inline microkit_msginfo microkit_msginfo_new(seL4_Word label, seL4_Uint16 count)
{
    return (label << MSGINFO_LABEL_SHIFT) | (count & MSGINFO_COUNT_MASK);
}

static inline seL4_Word microkit_msginfo_get_label(microkit_msginfo msginfo)
{
    return msginfo >> MSGINFO_LABEL_SHIFT;
}

static inline seL4_Word microkit_msginfo_get_count(microkit_msginfo msginfo)
{
    return msginfo & MSGINFO_COUNT_MASK;
}

#endif

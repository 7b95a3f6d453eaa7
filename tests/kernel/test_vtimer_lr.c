/*
 * The kernel's own injection of a guest's virtual timer (kernel/core/vtimer_lr.c) on the host:
 * what a firing writes to the kernel's list register, in the CPU or in the save area; that a
 * disabled or still-held interrupt is not injected again; the guest's EOI freeing the register
 * and unmasking the timer; the VMM's enable and disable of INTID 27, hostile values included;
 * and a vtimer="vmm" vCPU left alone. The scheduler, the LR accessors and vtimer_ack are fakes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <setjmp.h>

#include <cmocka.h>

#include "cpu.h"
#include "vtimer_lr.h"

#define LR_PENDING (1ul << 62)
#define LR_ACTIVE  (1ul << 63)
#define LR_GROUP1  (1ul << 60)
#define LR_EOI     (1ul << 41)
#define ENABLED_A0 (VTIMER_IRQ_ENABLED | 0xa0ul << VTIMER_IRQ_PRIO_SHIFT)

static struct sysimg_pd desc;
static struct pd v;
static bool in_cpu;     /* v's list registers are in the CPU */
static uint64_t cpu_lr; /* the CPU's kernel list register */
static unsigned acks, readies, cpu_writes;
struct cpu cpus[SYS_MAX_CPUS];
static struct cpu *kicked;

void cpu_kick(struct cpu *c)
{
    kicked = c;
}

bool sched_holds_vcpu(const struct pd *p)
{
    return p == &v && in_cpu;
}

uint64_t vcpu_read_lr(unsigned n)
{
    assert_int_equal(n, VTIMER_LR);
    assert_true(in_cpu);
    return cpu_lr;
}

void vcpu_write_lr(unsigned n, uint64_t value)
{
    assert_int_equal(n, VTIMER_LR);
    assert_true(in_cpu);
    cpu_lr = value;
    cpu_writes++;
}

void vtimer_ack(struct pd *p)
{
    assert_ptr_equal(p, &v);
    p->vcpu.vtimer_masked = false;
    acks++;
}

void sched_make_ready(struct pd *p)
{
    assert_ptr_equal(p, &v);
    p->state = PD_READY;
    readies++;
}

static int setup(void **state)
{
    (void)state;
    desc = (struct sysimg_pd){ .flags = SYSIMG_PD_VCPU };
    v = (struct pd){ .desc = &desc, .is_vcpu = true, .state = PD_READY };
    in_cpu = true;
    cpu_lr = 0;
    acks = readies = cpu_writes = 0;
    kicked = NULL;
    return 0;
}

/* What vtimer.c does before it calls vtimer_lr_fired. */
static void fire(void)
{
    v.vcpu.vtimer_masked = true;
    vtimer_lr_fired(&v);
}

static const uint64_t injected_a0 = LR_PENDING | LR_GROUP1 | 0xa0ul << 48 | LR_EOI | 27;

static void firing_injects_in_cpu_or_save_area(void **state)
{
    (void)state;
    vtimer_lr_config(&v, ENABLED_A0);
    assert_int_equal(acks, 0); /* nothing owed */
    fire();
    assert_int_equal(cpu_lr, injected_a0);
    assert_int_equal(readies, 0);
    assert_true(v.vcpu.vtimer_masked);
    /* Switched out (or asleep in WFI): the save area, and the vCPU wakes. */
    setup(state);
    in_cpu = false;
    v.state = PD_WFI;
    vtimer_lr_config(&v, ENABLED_A0);
    fire();
    assert_int_equal(v.vcpu.ich_lr[VTIMER_LR], injected_a0);
    assert_int_equal(cpu_writes, 0);
    assert_int_equal(readies, 1);
    assert_int_equal(v.state, PD_READY);
    /* The VMM's list registers are never touched. */
    for (unsigned i = 0; i < VTIMER_LR; i++)
        assert_int_equal(v.vcpu.ich_lr[i], 0);
}

static void eoi_frees_and_unmasks(void **state)
{
    (void)state;
    vtimer_lr_config(&v, ENABLED_A0);
    fire();
    cpu_lr = (cpu_lr & ~LR_PENDING) | LR_ACTIVE; /* the guest acknowledged it */
    /* Another firing (the VMM acked early) while it is held: the register is left alone. */
    fire();
    assert_int_equal(cpu_lr, (injected_a0 & ~LR_PENDING) | LR_ACTIVE);
    /* An EOI of a VMM list register only: not ours. */
    assert_int_equal(vtimer_lr_maintenance(&v, 1ul << 0), 1ul << 0);
    assert_int_equal(acks, 0);
    /* Ours and one of the VMM's: ours is done here, the other is left for the VMM. */
    assert_int_equal(vtimer_lr_maintenance(&v, 1ul << VTIMER_LR | 1ul << 1), 1ul << 1);
    assert_int_equal(cpu_lr, 0);
    assert_int_equal(acks, 1);
    assert_false(v.vcpu.vtimer_masked);
    assert_int_equal(vtimer_lr_maintenance(&v, 1ul << VTIMER_LR), 0);
}

static void disabled_interrupt_is_owed_until_enabled(void **state)
{
    (void)state;
    fire(); /* the reset state: disabled */
    assert_int_equal(cpu_lr, 0);
    assert_true(v.vcpu.vtimer_masked);
    vtimer_lr_config(&v, 0xa0ul << VTIMER_IRQ_PRIO_SHIFT); /* a priority, still disabled */
    assert_int_equal(acks, 0);
    vtimer_lr_config(&v, ENABLED_A0);
    assert_int_equal(acks, 1); /* unmasked: it fires again at once if still due */
    fire();
    assert_int_equal(cpu_lr, injected_a0);
    /* Enabled again while it is in the register: no second ack. */
    vtimer_lr_config(&v, ENABLED_A0);
    assert_int_equal(acks, 1);
}

static void disable_takes_back_what_was_not_taken(void **state)
{
    (void)state;
    vtimer_lr_config(&v, ENABLED_A0);
    fire();
    vtimer_lr_config(&v, 0);
    assert_int_equal(cpu_lr, 0);
    assert_int_equal(acks, 1);
    fire(); /* still due: fires again, but stays owed */
    assert_int_equal(cpu_lr, 0);
    assert_true(v.vcpu.vtimer_masked);
    /* Active (the guest is handling it): its EOI ends it as usual. */
    setup(state);
    vtimer_lr_config(&v, ENABLED_A0);
    fire();
    cpu_lr = (cpu_lr & ~LR_PENDING) | LR_ACTIVE;
    vtimer_lr_config(&v, 0);
    assert_int_equal(cpu_lr, (injected_a0 & ~LR_PENDING) | LR_ACTIVE);
    assert_int_equal(acks, 0);
}

static void hostile_values_keep_to_their_fields(void **state)
{
    (void)state;
    vtimer_lr_config(&v, ~0ul);
    assert_int_equal(v.vcpu.vtimer_irq, VTIMER_IRQ_VALID_MASK);
    fire();
    assert_int_equal(cpu_lr, LR_PENDING | LR_GROUP1 | 0xfful << 48 | LR_EOI | 27);
    setup(state);
    vtimer_lr_config(&v, 0xffff0000fe00ul); /* no enable bit, junk elsewhere */
    assert_int_equal(v.vcpu.vtimer_irq, 0xfe00);
    fire();
    assert_int_equal(cpu_lr, 0);
}

static void vtimer_to_vmm_is_left_alone(void **state)
{
    (void)state;
    desc.flags |= SYSIMG_PD_VTIMER_TO_VMM;
    assert_false(vtimer_lr_owned(&v));
    v.vcpu.vtimer_masked = true;
    vtimer_lr_config(&v, ENABLED_A0);
    assert_int_equal(v.vcpu.vtimer_irq, ENABLED_A0); /* kept, for a read */
    assert_int_equal(acks, 0);
    vtimer_lr_config(&v, 0);
    assert_int_equal(cpu_writes, 0);
    desc.flags &= ~SYSIMG_PD_VTIMER_TO_VMM;
    assert_true(vtimer_lr_owned(&v));
}

/* A VMM on another core while v runs on its own: the value now, the rest by v's core. */
static void config_from_another_core(void **state)
{
    (void)state;
    v.cpu = 1;
    v.vcpu.lr_pending_mask = 1u << 0; /* a VMM injection waiting too: kept */
    vtimer_lr_config_later(&v, ~0ul);
    assert_int_equal(v.vcpu.vtimer_irq, VTIMER_IRQ_VALID_MASK);
    assert_int_equal(v.vcpu.lr_pending_mask, 1u << 0 | 1u << VTIMER_LR);
    assert_ptr_equal(kicked, &cpus[1]);
    assert_int_equal(cpu_writes, 0); /* that core's list registers are not this one's */
    assert_int_equal(acks, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(firing_injects_in_cpu_or_save_area, setup),
        cmocka_unit_test_setup(eoi_frees_and_unmasks, setup),
        cmocka_unit_test_setup(disabled_interrupt_is_owed_until_enabled, setup),
        cmocka_unit_test_setup(disable_takes_back_what_was_not_taken, setup),
        cmocka_unit_test_setup(hostile_values_keep_to_their_fields, setup),
        cmocka_unit_test_setup(vtimer_to_vmm_is_left_alone, setup),
        cmocka_unit_test_setup(config_from_another_core, setup),
    };
    return cmocka_run_group_tests_name("vtimer_lr", tests, NULL, NULL);
}

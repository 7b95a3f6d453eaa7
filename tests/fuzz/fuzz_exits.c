/*
 * libFuzzer target: vCPU exits as the kernel delivers them to the VMM's fault() entry, decoded
 * from the input: stage-2 aborts (random ESR, IPA in the vGIC frames or anywhere, SRT register
 * values), traps (HVC/SMC with PSCI and SMCCC function ids, system registers, WFx, any EC),
 * list-register maintenance, virtual PPIs and other labels, from a vCPU of the guest or not,
 * interleaved with passthrough interrupt notifications. The guest is the VMM tests' fixture
 * (tests/vmm/fixture.c) with four vCPUs and the real vGIC; the port is tests/vmm/fake_port.c.
 * The VMM must never crash, must answer every exit with an empty reply, and may only touch
 * the vCPUs it owns (the fake port's arrays would overflow otherwise).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esr.h"
#include "fixture.h"
#include "fuzz_bytes.h"
#include "psci.h"
#include "sysreg.h"

#define NVCPUS 4u

/* The real vGIC is linked in place of tests/vmm/fake_vgic.c; fixture.c still sets these. */
struct fake_vgic fv;
void fake_vgic_reset(void)
{
}

/* The kernel's list registers: 0 free, else busy until the guest completes it. */
static uint32_t hw_lr[VGIC_MAX_VCPUS][VGIC_NUM_LRS];

int vgic_port_write_lr(unsigned vcpu, unsigned lr, uint32_t intid, uint8_t priority)
{
    (void)priority;
    if (vcpu >= NVCPUS || lr >= VGIC_NUM_LRS) {
        fprintf(stderr, "fuzz_exits: LR %u of vCPU %u written\n", lr, vcpu);
        abort();
    }
    if (hw_lr[vcpu][lr])
        return -1;
    hw_lr[vcpu][lr] = intid | 0x80000000u;
    return 0;
}

/* State right after boot, restored before every input so runs do not depend on each other. */
static struct fake_port boot_fp;
static struct vmm boot_vm;
/* No quiet INTIDs here (fuzz_vgic covers them): never called, but the vGIC links them. */
int vgic_port_write_lr_quiet(unsigned vcpu, unsigned lr, uint32_t intid, uint8_t priority)
{
    return vgic_port_write_lr(vcpu, lr, intid, priority);
}

uint32_t vgic_port_lr_busy(unsigned vcpu)
{
    (void)vcpu;
    return ~0u;
}

static struct vgic boot_g;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fx_setup();
    fx.cfg.gicr_size = NVCPUS * VGIC_GICR_STRIDE;
    if (vmm_init(&fx.vm, &fx.cfg, &fx.g) || vmm_boot(&fx.vm)) {
        fprintf(stderr, "fuzz_exits: the fixture guest does not boot:\n%s", fp.log);
        abort();
    }
    boot_fp = fp;
    boot_vm = fx.vm;
    boot_g = fx.g;
    return 0;
}

static const uint32_t fids[] = {
    PSCI_VERSION,
    PSCI_CPU_SUSPEND,
    PSCI_CPU_OFF,
    PSCI_CPU_ON,
    PSCI_CPU_ON_64,
    PSCI_AFFINITY_INFO,
    PSCI_AFFINITY_INFO_64,
    PSCI_MIGRATE_INFO_TYPE,
    PSCI_SYSTEM_OFF,
    PSCI_SYSTEM_RESET,
    PSCI_FEATURES,
    SMCCC_VERSION_FID,
    SMCCC_ARCH_FEATURES_FID,
};
static const uint32_t ecs[] = {
    ESR_EC_DABT_LOW, ESR_EC_DABT_LOW, ESR_EC_IABT_LOW, ESR_EC_HVC64, ESR_EC_SMC64,
    ESR_EC_SYS64,    ESR_EC_WFX,      ESR_EC_UNKNOWN,  ESR_EC_HVC32,
};
static const uint64_t labels[] = { FAULT_VM,    FAULT_VCPU,    FAULT_VGIC_MAINT, FAULT_VPPI,
                                   FAULT_UNDEF, FAULT_SYSCALL, FAULT_OTHER };

static uint64_t pick_addr(struct fuzz_bytes *b)
{
    unsigned sel = fb_u8(b);
    switch (sel % 4) {
    case 0: return FX_GICD + fb_u16(b);
    case 1: return FX_GICR + fb_u32(b) % (NVCPUS * VGIC_GICR_STRIDE + 0x100);
    case 2: return FX_RAM_IPA + fb_u32(b);
    default: return fb_u64(b);
    }
}

static void one_exit(struct fuzz_bytes *b, unsigned op)
{
    unsigned who = fb_u8(b);
    /* Mostly our vCPUs (ids FX_VCPU_ID..), sometimes any other id the fake can hold. */
    unsigned child = who < 0xf0 ? FX_VCPU_ID + who % NVCPUS : who % FAKE_VCPUS;
    uint64_t label = labels[(op >> 3) % (sizeof labels / sizeof labels[0])];
    uint64_t iss = fb_u32(b) & 0x1ffffffu;
    uint64_t esr = (uint64_t)ecs[fb_u8(b) % (sizeof ecs / sizeof ecs[0])] << 26 | iss;
    if (op & 0x80)
        esr = fb_u64(b); /* a syndrome no kernel would send */
    uint64_t pc = FX_RAM_IPA + (fb_u32(b) & ~3u);
    uint64_t addr = pick_addr(b);
    uint64_t mr0 = label == FAULT_VGIC_MAINT || label == FAULT_VPPI ? fb_u8(b) : pc;
    /* Registers the exit reads: x0 a PSCI/SMCCC function id or anything, x1..x3 and SRT. */
    if (child < FAKE_VCPUS) {
        unsigned f = fb_u8(b);
        fp.regs[child][0] = f < 2 * (sizeof fids / sizeof fids[0]) ? fids[f / 2] : fb_u64(b);
        for (unsigned r = 1; r < 4; r++)
            fp.regs[child][r] = fb_u8(b) & 1 ? fb_u8(b) % 8 : fb_u64(b);
        fp.regs[child][(esr >> ESR_DABT_SRT_SHIFT) & 31] = fb_u64(b);
    }
    microkit_msginfo reply = 0x1234;
    vmm_fault(&fx.vm, child, fake_exit(label, mr0, addr, esr), &reply);
    if (reply != 0) {
        fprintf(stderr, "fuzz_exits: reply 0x%llx to an exit, not the empty message\n",
                (unsigned long long)reply);
        abort();
    }
}

/* A passthrough IRQ (mostly the guest's UART) or any other channel notifies the VMM. */
static void notify(struct fuzz_bytes *b)
{
    unsigned x = fb_u8(b);
    vmm_notified(&fx.vm, x < 0x80 ? FX_UART_CH : x % FAKE_CHANNELS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_bytes b = { data, size };
    fp = boot_fp;
    fx.vm = boot_vm;
    fx.g = boot_g;
    memset(hw_lr, 0, sizeof hw_lr);
    for (unsigned steps = 0; b.left && steps < 1024; steps++) {
        unsigned op = fb_u8(&b);
        switch (op & 7) {
        case 0: notify(&b); break;
        case 1: { /* the guest completes a list register; the kernel frees it and says so */
            unsigned x = fb_u8(&b);
            unsigned v = x % NVCPUS, lr = x / 16 % VGIC_NUM_LRS;
            hw_lr[v][lr] = 0;
            microkit_msginfo reply;
            vmm_fault(&fx.vm, FX_VCPU_ID + v, fake_exit(FAULT_VGIC_MAINT, lr, 0, 0), &reply);
            break;
        }
        default: one_exit(&b, op); break;
        }
    }
    return 0;
}

/* Fakes of vmm_port.h and of the microkit.h calls the VMM core uses. */
#include <string.h>

#include <microkit.h>

#include "fake_port.h"

struct fake_port fp;
char microkit_name[MICROKIT_PD_NAME_LENGTH] = "vmm_test"; /* what the image tool patches in */
void (*fake_restart_hook)(unsigned vcpu);

void fake_port_reset(void)
{
    memset(&fp, 0, sizeof(fp));
}

int fake_log_count(const char *needle)
{
    int n = 0;
    for (const char *line = fp.log; *line != '\0';) {
        const char *end = strchr(line, '\n');
        size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
        char buf[512];
        if (len >= sizeof(buf))
            len = sizeof(buf) - 1;
        memcpy(buf, line, len);
        buf[len] = '\0';
        if (strstr(buf, needle) != NULL)
            n++;
        line += end != NULL ? (size_t)(end - line) + 1 : len;
    }
    return n;
}

uint64_t fake_exit(uint64_t label, uint64_t mr0, uint64_t addr, uint64_t esr)
{
    fp.mr[FAULT_MR_PC] = mr0;
    fp.mr[FAULT_MR_ADDR] = addr;
    fp.mr[FAULT_MR_ESR] = esr;
    fp.mr[FAULT_MR_SPSR] = 0x3c5;
    fp.mr[FAULT_MR_INSN] = 0;
    fp.far = 0;
    return microkit_msginfo_new(label, FAULT_MR_COUNT);
}

/* The port */

uint64_t vmm_port_reg_read(unsigned vcpu, unsigned reg)
{
    return fp.regs[vcpu][reg];
}

void vmm_port_reg_write(unsigned vcpu, unsigned reg, uint64_t value)
{
    fp.regs[vcpu][reg] = value;
}

void vmm_port_reg_reset(unsigned vcpu)
{
    uint64_t mpidr = fp.regs[vcpu][VMM_REG_MPIDR];
    uint64_t vtimer = fp.regs[vcpu][VMM_REG_VTIMER_IRQ];
    memset(fp.regs[vcpu], 0, sizeof(fp.regs[vcpu]));
    fp.regs[vcpu][VMM_REG_SCTLR] = VMM_SCTLR_RESET;
    fp.regs[vcpu][VMM_REG_MPIDR] = mpidr;
    fp.regs[vcpu][VMM_REG_VTIMER_IRQ] = vtimer;
    fp.resets[vcpu]++;
}

/* The fake applies writes at once, so an exit has nothing to hold back or flush. */
bool vmm_port_finish_exit(bool resume, microkit_msginfo *reply)
{
    (void)reply;
    return resume;
}

void vmm_port_flush(unsigned vcpu)
{
    (void)vcpu;
}

void vmm_port_decode_exit(unsigned vcpu, microkit_msginfo msginfo, struct vmm_exit *e)
{
    (void)vcpu;
    uint64_t label = microkit_msginfo_get_label(msginfo);
    *e = (struct vmm_exit){ .label = label,
                            .pc = fp.mr[0],
                            .addr = fp.mr[1],
                            .esr = fp.mr[2],
                            .spsr = fp.mr[3],
                            .insn = (uint32_t)fp.mr[FAULT_MR_INSN],
                            .far = fp.far,
                            .kind = VMM_EXIT_OTHER };
    if (label == FAULT_VM)
        e->kind = VMM_EXIT_STAGE2;
    else if (label == FAULT_VCPU)
        e->kind = VMM_EXIT_TRAP;
    else if (label == FAULT_VGIC_MAINT) {
        e->kind = VMM_EXIT_VGIC_MAINT;
        e->lr = (unsigned)fp.mr[0];
    } else if (label == FAULT_VPPI) {
        e->kind = VMM_EXIT_VPPI;
        e->intid = (uint32_t)fp.mr[0];
    }
}

void vmm_port_bind_vcpu(unsigned index, unsigned vcpu)
{
    fp.bound[index] = vcpu;
}

void vmm_port_sync_guest_memory(const void *va, uint64_t size)
{
    (void)va;
    fp.synced += size;
}

/* microkit.h */

void microkit_vcpu_restart(microkit_child vcpu, seL4_Word entry_point)
{
    fp.restarts[vcpu]++;
    fp.restart_pc[vcpu] = entry_point;
    fp.regs[vcpu][VMM_REG_PC] = entry_point;
    if (fake_restart_hook != NULL)
        fake_restart_hook(vcpu);
}

void microkit_vcpu_stop(microkit_child vcpu)
{
    fp.stops[vcpu]++;
}

void microkit_vcpu_arm_ack_vppi(microkit_child vcpu, seL4_Word irq)
{
    fp.vppi_acks[vcpu]++;
    fp.vppi_last[vcpu] = (uint32_t)irq;
}

void microkit_irq_ack(microkit_channel ch)
{
    fp.irq_acks[ch]++;
}

void microkit_notify(microkit_channel ch)
{
    fp.notifies[ch]++;
}

void microkit_dbg_puts(const char *s)
{
    size_t used = strlen(fp.log);
    strncat(fp.log, s, sizeof(fp.log) - used - 1);
}

/*
 * Host-test fakes of the layer under the VMM core: the port (vmm_port.h) and the microkit.h
 * calls the core makes. They record what the core did so tests can check it.
 */
#ifndef FAKE_PORT_H
#define FAKE_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm_port.h"

#define FAKE_VCPUS    64
#define FAKE_REGS     (VMM_REG_VTIMER_IRQ + 1) /* enum vmm_reg numbering */
#define FAKE_CHANNELS 64

struct fake_port {
    uint64_t regs[FAKE_VCPUS][FAKE_REGS];
    unsigned resets[FAKE_VCPUS];   /* vmm_port_reg_reset calls */
    unsigned restarts[FAKE_VCPUS]; /* microkit_vcpu_restart calls */
    uint64_t restart_pc[FAKE_VCPUS];
    unsigned stops[FAKE_VCPUS]; /* microkit_vcpu_stop calls */
    unsigned vppi_acks[FAKE_VCPUS];
    uint32_t vppi_last[FAKE_VCPUS];
    unsigned irq_acks[FAKE_CHANNELS];
    unsigned notifies[FAKE_CHANNELS]; /* microkit_notify calls */
    unsigned bound[8];                /* vmm_port_bind_vcpu */
    uint64_t synced;                  /* bytes passed to vmm_port_sync_guest_memory */
    uint64_t mr[FAULT_MR_COUNT];      /* the exit message vmm_port_decode_exit reads */
    uint64_t far;    /* ... and the VA a stage-2 exit reports (UNKNOWN with FnV in its ESR) */
    char log[16384]; /* everything microkit_dbg_puts printed */
};

extern struct fake_port fp;
/* Called by the fake microkit_vcpu_restart with the vCPU id (the kernel clears its LRs then). */
extern void (*fake_restart_hook)(unsigned vcpu);

void fake_port_reset(void);
/* Lines in fp.log containing `needle`. */
int fake_log_count(const char *needle);
/* Sets up fp.mr for an exit and returns its msginfo (label FAULT_*). */
uint64_t fake_exit(uint64_t label, uint64_t mr0, uint64_t addr, uint64_t esr);

#endif

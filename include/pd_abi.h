/*
 * The system call ABI between protection domains (EL1) and the host kernel (EL2).
 * Shared by the kernel, the PD runtime (libmicrokit) and the image tool (fixed addresses).
 *
 * A PD enters the kernel with `hvc #0`: x0 = call number, arguments in x1..x7.
 * Results come back in x0..x2. Message registers live in the PD's IPC buffer, a page mapped
 * read-write at PD_IPC_BUF_VADDR; the kernel copies them between PDs for protected calls.
 *
 * Registers: the kernel saves and restores every register of a PD (x0..x30, SP, FP/SIMD);
 * a call changes only its documented results in x0..x2. Callers should still treat x3..x17
 * as clobbered, as the AAPCS allows, so the kernel is free to return more in later versions.
 * SYS_PD_RESTART gives the child fresh registers: all zero, SP = its stack top, PC = entry,
 * FP/SIMD zeroed; its memory is kept.
 */
#ifndef PD_ABI_H
#define PD_ABI_H

/* Fixed PD addresses (IPAs; a PD runs with stage-1 off, so these are its pointers too). */
#define PD_PROGRAM_VADDR      0x200000ul   /* where PD programs are linked */
#define PD_VECTORS_VADDR      0x7fffd000ul /* kernel-provided EL1 vectors (r-x), 1 page */
#define PD_IPC_BUF_VADDR      0x7ffff000ul /* IPC buffer, 1 page, rw */
#define PD_STACK_TOP          0x7fff0000ul /* initial SP; the stack grows down from here */
#define PD_STACK_SIZE_DEFAULT 0x4000ul     /* 16 KiB, overridable with stack_size="" */
/* IPAs from PD_RESERVED_BASE (or the stack's base, if a large stack_size puts it lower) up to
 * PD_RESERVED_END belong to the runtime (stack, vectors, IPC buffer); the image tool rejects a
 * program segment or <map> that overlaps them. */
#define PD_RESERVED_BASE 0x7fe00000ul
#define PD_RESERVED_END  0x80000000ul

#define PD_MAX_MRS 64u /* message registers in the IPC buffer: uint64_t mr[64] at offset 0 */

/* Call numbers (x0 on entry). */
#define SYS_RECV 0 /* x2 = deferred action: wait for the next event -> x0 = EV_*, x1, x2 */
#define SYS_REPLY_RECV                                                                                       \
    1                    /* x1 = reply msginfo, x2 = deferred action: answer the pending call
                             or fault, perform the action, then wait */
#define SYS_NOTIFY     2 /* x1 = channel id                                 -> x0 = status */
#define SYS_IRQ_ACK    3 /* x1 = channel id                                 -> x0 = status */
#define SYS_PPCALL     4 /* x1 = channel id, x2 = msginfo      -> x0 = status, x1 = reply msginfo */
#define SYS_DBG_PUTS   5 /* x1 = byte count (<= 48), bytes packed little-endian in x2..x7 */
#define SYS_PD_RESTART 6 /* x1 = child id, x2 = entry pc                    -> x0 = status */
#define SYS_PD_STOP    7 /* x1 = child id                                   -> x0 = status */
#define SYS_NULL       8 /* returns at once: a bare EL1->EL2->EL1 round trip for benchmarks */
/* Virtual CPUs of the VMs a PD owns (x1 = vCPU id, the Microkit `id` of the <vcpu>). */
#define SYS_VCPU_RESTART 9  /* x2 = pc: set the PC (other registers kept) and run it */
#define SYS_VCPU_STOP    10 /* stop running it until restarted */
#define SYS_VCPU_INJECT                                                                                      \
    11 /* x2 = virq (INTID), x3 = priority, x4 = group, x5 = list register
                               index (< VCPU_INJECT_LRS): make virq pending in that list register;
                               fails with SYS_ERR_BUSY while it still holds a live interrupt.
                               x4 | VCPU_INJECT_QUIET: see below */
/* SYS_VCPU_INJECT flag in x4: no EOI maintenance interrupt, so no FAULT_VGIC_MAINT; the guest's
 * EOI frees the list register silently (read VCPU_REG_LR_BUSY to learn which are free). If the
 * register still holds the same virq, pending or active, it is made pending again in place.
 * Honoured for a vCPU on the caller's core only (there the VMM runs only while the vCPU does
 * not, so VCPU_REG_LR_BUSY is exact); elsewhere the flag is ignored and the EOI reported as
 * usual. x1 on return: 1 if it was honoured, else 0. */
#define VCPU_INJECT_QUIET 2ul
#define SYS_VCPU_ACK_VPPI 12 /* x2 = INTID of a virtual PPI (the virtual timer): unmask it */
#define SYS_VCPU_READ     13 /* x2 = VCPU_REG_*                               -> x1 = value */
#define SYS_VCPU_WRITE    14 /* x2 = VCPU_REG_*, x3 = value */

#define SYS_PUTS_MAX 48u

/* List registers 0 .. VCPU_INJECT_LRS-1 are the VMM's; the one after them is the kernel's, for
 * the virtual timer it delivers itself (VCPU_REG_VTIMER_IRQ below). */
#define VCPU_INJECT_LRS 3

/* The deferred action of SYS_RECV and SYS_REPLY_RECV (x2): 0 for none, else SYS_DEFER(kind,
 * channel id). It is checked and performed like SYS_NOTIFY or SYS_IRQ_ACK on that channel,
 * after the reply and before the wait, in the same kernel entry (Microkit's
 * microkit_deferred_notify and microkit_deferred_irq_ack, which seL4 combines with the
 * receive). A bad action is reported and skipped; the wait happens anyway. */
#define SYS_DEFER_NOTIFY       1u
#define SYS_DEFER_IRQ_ACK      2u
#define SYS_DEFER(kind, ch)    (((uint64_t)(kind) << 8) | ((ch)&0xffu))
#define SYS_DEFER_KIND(action) ((action) >> 8)
#define SYS_DEFER_CH(action)   ((action)&0xffu)

/* Status codes (x0 after a call). */
#define SYS_OK          0
#define SYS_ERR_INVALID 1 /* unknown call, bad length */
#define SYS_ERR_CHANNEL 2 /* no such channel, or the channel lacks that capability */
#define SYS_ERR_CHILD   3 /* no such child */
#define SYS_ERR_BUSY    4 /* list register in use */

/* Events returned by SYS_RECV / SYS_REPLY_RECV in x0. */
#define EV_NOTIFY 1 /* x1 = bitmask of channel ids notified (coalesced); includes IRQs */
#define EV_PPC    2 /* x1 = channel id of the caller, x2 = msginfo; MRs in the IPC buffer */
#define EV_FAULT  3 /* x1 = child id, x2 = msginfo (label = FAULT_*); details in MRs */

/* msginfo: label in bits 63..12, count (number of MRs) in bits 6..0, as seL4 does. */
#define MSGINFO_COUNT_MASK  0x7ful
#define MSGINFO_LABEL_SHIFT 12

/* Fault labels delivered to a parent; message registers:
 *   mr[0] = faulting PC, mr[1] = fault address (FAR) or 0, mr[2] = ESR, mr[3] = SPSR. */
#define FAULT_VM      1 /* stage-2 abort: address not mapped or not permitted */
#define FAULT_UNDEF   2 /* undefined / unallocated instruction */
#define FAULT_ALIGN   3 /* alignment, SP or PC alignment fault */
#define FAULT_SYSCALL 4 /* trapped instruction (SMC, system register, breakpoint, ...) */
#define FAULT_OTHER   5 /* any other exception class */
/* Exits of a vCPU, delivered to the VMM PD that owns the VM as faults of child = vCPU id
 * (message registers as for PD faults, plus FAULT_MR_RT and FAULT_MR_X0 below):
 *   FAULT_VM      stage-2 abort: mr[1] = faulting IPA (HPFAR and FAR combined), mr[2] = ESR
 *   FAULT_VCPU    HVC, SMC, trapped system register or other trap: mr[2] = ESR
 *   FAULT_VGIC_MAINT  the guest completed (EOI) a list register injected by the VMM:
 *                 mr[0] = list register index (the register is free again)
 *   FAULT_VPPI    a virtual PPI (the guest's virtual timer) fired: mr[0] = its INTID; it stays
 *                 masked until SYS_VCPU_ACK_VPPI. Only for a VM with vtimer="vmm"
 *                 (SYSIMG_PD_VTIMER_TO_VMM); otherwise the kernel injects it itself.
 * For FAULT_VM and FAULT_VCPU the vCPU resumes at the same PC when the VMM replies; the VMM
 * advances the PC itself (SYS_VCPU_WRITE VCPU_REG_PC) when it emulated the instruction. */
#define FAULT_VCPU       6
#define FAULT_VGIC_MAINT 7
#define FAULT_VPPI       8
#define FAULT_MR_PC      0
#define FAULT_MR_ADDR    1
#define FAULT_MR_ESR     2
#define FAULT_MR_SPSR    3
/* vCPU exits also carry, so a VMM needs no calls to read them: the value of the register the
 * syndrome names (SRT of a data abort with ISV=1, Rt of a trapped system register access;
 * else 0), and x0..x3 of an HVC or SMC (else 0). */
#define FAULT_MR_RT 4
#define FAULT_MR_X0 5 /* x0..x3 in mr[5..8] */
/* For a vCPU data abort without a syndrome (ISV=0), the faulting instruction word, read by the
 * kernel through the guest's translation; 0 if it could not be read. */
#define FAULT_MR_INSN 9
/* For a vCPU stage-2 abort (FAULT_VM), the faulting virtual address (FAR_EL2); not meaningful
 * when the ESR's FnV bit is set. */
#define FAULT_MR_FAR   10
#define FAULT_MR_COUNT 11

/* A VMM replying to a vCPU exit with this label and count 2n has the kernel write n
 * (VCPU_REG_*, value) pairs from mr[0..2n) into the vCPU before it resumes: the result of an
 * emulated load and the stepped PC travel with the reply instead of as separate calls. */
#define VCPU_REPLY_SET_REGS 1

/* Registers of a vCPU for SYS_VCPU_READ/WRITE. */
#define VCPU_REG_X0          0 /* x0..x30 are 0..30 */
#define VCPU_REG_SP_EL1      31
#define VCPU_REG_PC          32
#define VCPU_REG_SPSR        33 /* the guest's PSTATE (SPSR_EL2 on entry) */
#define VCPU_REG_SP_EL0      34
#define VCPU_REG_SCTLR       40 /* EL1 system registers */
#define VCPU_REG_TTBR0       41
#define VCPU_REG_TTBR1       42
#define VCPU_REG_TCR         43
#define VCPU_REG_MAIR        44
#define VCPU_REG_AMAIR       45
#define VCPU_REG_CONTEXTIDR  46
#define VCPU_REG_CPACR       47
#define VCPU_REG_ESR         48
#define VCPU_REG_FAR         49
#define VCPU_REG_AFSR0       50
#define VCPU_REG_AFSR1       51
#define VCPU_REG_VBAR        52
#define VCPU_REG_TPIDR_EL1   53
#define VCPU_REG_TPIDR_EL0   54
#define VCPU_REG_TPIDRRO_EL0 55
#define VCPU_REG_ELR_EL1     56
#define VCPU_REG_SPSR_EL1    57
#define VCPU_REG_PAR         58
#define VCPU_REG_CNTV_CTL    59
#define VCPU_REG_CNTV_CVAL   60
#define VCPU_REG_CNTVOFF     61
#define VCPU_REG_CNTKCTL     62
#define VCPU_REG_CSSELR      63
#define VCPU_REG_VMPIDR      64
#define VCPU_REG_COUNT       65
/* Not a CPU register: the guest's view of its virtual timer PPI (INTID 27) as the VMM's vGIC
 * models it, for the kernel that delivers that interrupt itself (a VM without vtimer="vmm").
 * Bit 0: the guest can take it (group 1, enabled in its redistributor, group 1 enabled in the
 * distributor); bits 15..8: its priority. 0 (disabled) until the VMM writes it; kept across
 * SYS_VCPU_RESTART, since it mirrors the VMM's state, not the vCPU's. */
#define VCPU_REG_VTIMER_IRQ   80
#define VTIMER_IRQ_ENABLED    1ul
#define VTIMER_IRQ_PRIO_SHIFT 8
#define VTIMER_IRQ_VALID_MASK 0xff01ul
/* Read-only pseudo-register: bit n set while the VMM's list register n (< VCPU_INJECT_LRS) holds
 * a live interrupt; all of them for a vCPU of another core (it has no quiet ones). */
#define VCPU_REG_LR_BUSY 81

/* EL1 vectors page: the kernel maps a page of `hvc #(PD_VEC_HVC_BASE + n)` stubs at
 * PD_VECTORS_VADDR and points VBAR_EL1 at it, so an exception a PD takes at EL1 reaches the
 * kernel as a fault of that PD (the kernel reads ESR_EL1, FAR_EL1, ELR_EL1). */
#define PD_VEC_HVC_BASE 0x100

#endif

/*
 * The MMIO benchmark guest. It times, with the virtual counter, N reads of a distributor
 * register the VMM emulates (each a stage-2 fault: guest -> kernel -> VMM -> kernel -> guest)
 * and N PSCI_VERSION calls by HVC (the VMM answers them), and prints the averages on the UART
 * the system passes through to it. Then it makes three accesses no VMM can satisfy: a load
 * pair from the distributor (no syndrome to emulate it by), a load from an address it was not
 * given (QEMU virt's virtio-mmio window) and a jump there. By default the VMM names each one
 * and injects a synchronous external abort, which this guest takes in its own vector, prints
 * and steps over; with on_foreign_access="stop" the VMM stops it at the first. Finally it
 * powers itself off with PSCI SYSTEM_OFF.
 */
#include <stdint.h>

#define N_READS         2000u
#define PSCI_VERSION    0x84000000ul
#define PSCI_SYSTEM_OFF 0x84000008ul

/* Guest-physical addresses on qemu_virt: the passed-through PL011 and the emulated GICD. */
#define UART_BASE     0x09000000ul
#define FOREIGN       0x0a000000ul /* virtio-mmio on qemu_virt: not given to this guest */
#define GICD_TYPER    0x08000004ul
#define PL011_DR      0x00
#define PL011_FR      0x18
#define PL011_FR_TXFF (1u << 5)

static inline uint64_t counter(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
    return v;
}

static inline uint64_t counter_freq(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

static uint64_t hvc(uint64_t fn)
{
    register uint64_t x0 __asm__("x0") = fn;
    __asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    return x0;
}

static void putc_uart(char c)
{
    volatile uint32_t *uart = (volatile uint32_t *)UART_BASE;
    while (uart[PL011_FR / 4] & PL011_FR_TXFF)
        ;
    uart[PL011_DR / 4] = (uint8_t)c;
}

static void puts_uart(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            putc_uart('\r');
        putc_uart(*s);
    }
}

static void put_dec(uint64_t v)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        putc_uart(buf[--n]);
}

static void put_hex(uint64_t v)
{
    puts_uart("0x");
    int shift = 60;
    while (shift > 0 && ((v >> shift) & 0xf) == 0)
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        putc_uart("0123456789abcdef"[(v >> shift) & 0xf]);
}

static unsigned aborts;

/* The vector's C half (head.S): report the abort, resume after the faulting load, or for a
 * fetch where the call that jumped there would have returned (x30). */
uint64_t guest_sync(uint64_t esr, uint64_t elr, uint64_t far, uint64_t x30)
{
    unsigned ec = (unsigned)(esr >> 26) & 0x3f;
    aborts++;
    puts_uart(ec == 0x25   ? "mmio-guest: took a data abort"
              : ec == 0x21 ? "mmio-guest: took an instruction abort"
                           : "mmio-guest: took an exception");
    puts_uart(": ESR ");
    put_hex(esr);
    puts_uart(" FAR ");
    put_hex(far);
    puts_uart(" ELR ");
    put_hex(elr);
    puts_uart("\n");
    return ec == 0x21 ? x30 : elr + 4;
}

/* Nanoseconds per iteration, from counter ticks over n iterations. */
static uint64_t ns_each(uint64_t ticks, uint64_t n)
{
    return ticks * 1000000000ull / counter_freq() / n;
}

void guest_main(void)
{
    puts_uart("mmio-guest: started\n");
    volatile uint32_t *typer = (volatile uint32_t *)GICD_TYPER;
    uint32_t sink = 0;
    uint64_t t0 = counter();
    for (unsigned i = 0; i < N_READS; i++)
        sink += *typer;
    uint64_t t1 = counter();
    for (unsigned i = 0; i < N_READS; i++)
        sink += (uint32_t)hvc(PSCI_VERSION);
    uint64_t t2 = counter();
    puts_uart("mmio-guest: mmio_read_ns=");
    put_dec(ns_each(t1 - t0, N_READS));
    puts_uart(" hvc_psci_ns=");
    put_dec(ns_each(t2 - t1, N_READS));
    puts_uart(" n=");
    put_dec(N_READS);
    puts_uart(sink ? "\n" : " (no reads?)\n");
    puts_uart("mmio-guest: now a load pair from the distributor, which has no syndrome\n");
    uint64_t a, b;
    __asm__ volatile("ldp %0, %1, [%2]" : "=r"(a), "=r"(b) : "r"(GICD_TYPER - 4) : "memory");
    puts_uart("mmio-guest: now a load from ");
    put_hex(FOREIGN);
    puts_uart(", which is not mine\n");
    sink += *(volatile uint32_t *)FOREIGN;
    puts_uart("mmio-guest: now a jump to ");
    put_hex(FOREIGN);
    puts_uart("\n");
    ((void (*)(void))FOREIGN)();
    puts_uart("mmio-guest: still running after ");
    put_dec(aborts);
    puts_uart(" aborts; powering off\n");
    hvc(PSCI_SYSTEM_OFF);
}

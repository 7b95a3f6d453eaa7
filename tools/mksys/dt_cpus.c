/* The board's cores: /cpus' children with device_type "cpu", in tree order, each one's reg (its
 * MPIDR affinity) and the PSCI conduit (/psci method) the kernel starts them through. The first
 * is taken to be the core the loader enters the kernel on. A tree without cpu nodes is one core
 * (MPIDR 0): the kernel then starts no other. */
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "diag.h"
#include "dt.h"
#include "names.h"
#include "sysimg.h"

/* MPIDR_EL1's affinity fields: Aff3 is bits 39:32, Aff2..Aff0 bits 23:0 (the cpus binding:
 * every other bit of reg is zero). */
#define MPIDR_AFF_MASK 0xff00ffffffull

/* guest_cpus.c writes each guest CPU's reg in /cpus' #address-cells: it must be 1 or 2. */
static int check_cells(const struct dtb *d, int cpus)
{
    int ac = fdt_address_cells(d->fdt, cpus);
    uint32_t sc = 0;
    bool has_sc = fdt_getprop(d->fdt, cpus, "#size-cells", NULL) != NULL;
    if ((ac != 1 && ac != 2) || (has_sc && (!dt_getu32(d->fdt, cpus, "#size-cells", &sc) || sc != 0)))
        return err_file(d->file, "/cpus must have #address-cells 1 or 2 and #size-cells 0 (one cell each)");
    return 0;
}

static int read_mpidr(const struct dtb *d, int cpus, int node, uint64_t *mpidr)
{
    char name[64];
    dt_name(d->fdt, node, name, sizeof name);
    int ac = fdt_address_cells(d->fdt, cpus), len = 0;
    const fdt32_t *reg = fdt_getprop(d->fdt, node, "reg", &len);
    if (!reg || len != ac * (int)sizeof *reg)
        return err_file(d->file, "cpu node '%s': reg must be one %d-cell MPIDR affinity value", name, ac);
    *mpidr = dt_read_cells(reg, ac);
    if (*mpidr & ~MPIDR_AFF_MASK)
        return err_file(d->file,
                        "cpu node '%s': reg 0x%llx has bits outside the MPIDR affinity fields (0x%llx)", name,
                        (unsigned long long)*mpidr, MPIDR_AFF_MASK);
    return 0;
}

/* Cores past the first are started with PSCI CPU_ON: each must allow it. */
static int check_enable_method(const struct dtb *d, int node)
{
    if (!fdt_getprop(d->fdt, node, "enable-method", NULL))
        return 0;
    const char *m = dt_getstr(d->fdt, node, "enable-method");
    if (m && !strcmp(m, "psci"))
        return 0;
    char name[64], shown[64];
    name_printable(shown, sizeof shown, m ? m : "(not a string)");
    return err_file(
        d->file,
        "cpu node '%s': enable-method \"%s\" is not \"psci\" (the kernel starts the board's other "
        "cores through PSCI)",
        dt_name(d->fdt, node, name, sizeof name), shown);
}

static int find_conduit(const struct dtb *d, struct board *b)
{
    int psci = fdt_path_offset(d->fdt, "/psci");
    const char *m = psci >= 0 ? dt_getstr(d->fdt, psci, "method") : NULL;
    b->psci_conduit = !m                  ? SYSIMG_PSCI_NONE
                      : !strcmp(m, "smc") ? SYSIMG_PSCI_SMC
                      : !strcmp(m, "hvc") ? SYSIMG_PSCI_HVC
                                          : SYSIMG_PSCI_NONE;
    if (b->num_cpus < 2)
        return 0; /* one core needs no PSCI */
    if (b->psci_conduit == SYSIMG_PSCI_HVC)
        return err_file(d->file,
                        "%u cores but /psci method \"hvc\": the kernel runs at EL2, where only an SMC "
                        "reaches the firmware",
                        b->num_cpus);
    if (b->psci_conduit != SYSIMG_PSCI_NONE)
        return 0;
    if (psci < 0)
        return err_file(d->file, "%u cores but no /psci node: the kernel starts cores through PSCI",
                        b->num_cpus);
    char shown[64];
    name_printable(shown, sizeof shown, m ? m : "");
    return m ? err_file(d->file, "%u cores but /psci method \"%s\" is neither \"smc\" nor \"hvc\"",
                        b->num_cpus, shown)
             : err_file(d->file, "%u cores but /psci has no method (\"smc\" or \"hvc\")", b->num_cpus);
}

int board_cpus(const struct dtb *d, struct board *b)
{
    b->num_cpus = 1;
    b->mpidr[0] = 0;
    int cpus = fdt_path_offset(d->fdt, "/cpus");
    if (cpus < 0)
        return find_conduit(d, b); /* a guest gets a /cpus made from scratch */
    if (check_cells(d, cpus))
        return -1;
    unsigned n = 0;
    for (int cpu = dt_next_cpu(d->fdt, cpus, -1); cpu >= 0; cpu = dt_next_cpu(d->fdt, cpus, cpu), n++) {
        if (n == SYS_MAX_CPUS)
            return err_file(d->file, "/cpus has more than %u cpu nodes, the most the kernel supports",
                            SYS_MAX_CPUS);
        if (read_mpidr(d, cpus, cpu, &b->mpidr[n]))
            return -1;
        for (unsigned k = 0; k < n; k++)
            if (b->mpidr[k] == b->mpidr[n]) {
                char name[64];
                return err_file(d->file, "cpu node '%s': MPIDR 0x%llx is also core %u's",
                                dt_name(d->fdt, cpu, name, sizeof name), (unsigned long long)b->mpidr[n], k);
            }
    }
    b->num_cpus = n ? n : 1;
    for (int cpu = dt_next_cpu(d->fdt, cpus, -1); n > 1 && cpu >= 0; cpu = dt_next_cpu(d->fdt, cpus, cpu))
        if (check_enable_method(d, cpu))
            return -1;
    return find_conduit(d, b);
}

const char *board_cores(const struct board *b, char *buf, size_t len)
{
    if (b->num_cpus == 1)
        snprintf(buf, len, "1 core (0)");
    else
        snprintf(buf, len, "%u cores (0..%u)", b->num_cpus, b->num_cpus - 1);
    return buf;
}

/* Checks across the description that need no ELF: cores, overlaps of fixed regions, channel ids,
 * IRQ ownership, priorities of protected calls, virtual machines. */
#ifndef MKSYS_CHECK_H
#define MKSYS_CHECK_H

#include "board.h"
#include "sdesc.h"

int sd_check(const struct sd_system *sys, const struct board *b);
/* check_vm.c */
int check_vms(const struct sd_system *sys);
/* check_limits.c: address ranges the kernel can translate and reach (include/sys_limits.h). */
int check_limits(const struct sd_system *sys, const struct board *b);

#endif

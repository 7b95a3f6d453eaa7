/* The system description in the boot image (include/sysimg.h). */
#ifndef BOOTIMG_H
#define BOOTIMG_H
#include "types.h"
#include "sysimg.h"

const struct sysimg_header *bootimg_check(uint64_t pa);
void bootimg_zero(const struct sysimg_header *h);
#endif

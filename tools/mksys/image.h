/* The flat image: bytes from the kernel's load address to the end of the last PD segment. */
#ifndef MKSYS_IMAGE_H
#define MKSYS_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"

struct image {
    uint8_t *data;
    size_t size;
    uint64_t base; /* physical address of data[0] (the load address) */
};

static inline uint8_t *image_at(const struct image *img, uint64_t pa)
{
    return img->data + (pa - img->base);
}

/* Copies the kernel and PD segments, writes the sysimg and patches every symbol. */
int image_build(const struct sd_system *sys, const struct board *b, const struct kernel_info *k,
                const struct layout *lay, struct image *img);
void image_free(struct image *img);

/* sysimg.c: the header and tables at lay->sysimg_pa. */
void sysimg_write(const struct sd_system *sys, const struct board *b, const struct layout *lay,
                  struct image *img);

/* patch.c: the PD's microkit_* variables and setvars. */
int patch_pd(const struct sd_system *sys, size_t pd, const struct layout *lay, struct image *img);
/* patch.c: a <linux_vm>'s struct vmm_config into its VMM's `vmm_config` (required). */
int patch_vmm_config(const struct sd_system *sys, size_t guest, const struct layout *lay, struct image *img);

#endif

/* Assembles the flat image in memory. */
#include <stdlib.h>
#include <string.h>

#include "../../vmm/include/arm64_image.h"
#include "diag.h"
#include "image.h"

static void copy_kernel(const struct kernel_info *k, struct image *img)
{
    for (size_t i = 0; i < k->elf->nsegs; i++) {
        const struct elf_seg *s = &k->elf->segs[i];
        memcpy(image_at(img, s->paddr), s->data, s->filesz);
    }
}

static void copy_program(const struct pd_layout *pl, struct image *img)
{
    for (size_t i = 0; i < pl->elf->nsegs; i++) {
        const struct elf_seg *s = &pl->elf->segs[i];
        if (s->filesz)
            memcpy(image_at(img, program_pa(pl, s->vaddr)), s->data, s->filesz);
    }
}

int image_build(const struct sd_system *sys, const struct board *b, const struct kernel_info *k,
                const struct layout *lay, struct image *img)
{
    img->base = lay->load;
    img->size = lay->file_end - lay->load;
    img->data = xcalloc(1, img->size);
    copy_kernel(k, img);
    for (size_t i = 0; i < sys->pds.n; i++)
        copy_program(&lay->pd[i], img);
    for (size_t i = 0; i < sys->mrs.n; i++)
        if (sys->mrs.v[i].data)
            memcpy(image_at(img, sys->mrs.v[i].pa), sys->mrs.v[i].data, sys->mrs.v[i].data_len);
    sysimg_write(sys, b, lay, img);
    put_le64(image_at(img, k->sysimg_ptr_pa), lay->sysimg_pa);
    put_le64(img->data + ARM64_IMAGE_SIZE_OFFSET, lay->image_end - lay->load);
    for (size_t i = 0; i < sys->pds.n; i++)
        if (patch_pd(sys, i, lay, img))
            return -1;
    for (size_t i = 0; i < sys->guests.n; i++)
        if (patch_vmm_config(sys, i, lay, img))
            return -1;
    return 0;
}

void image_free(struct image *img)
{
    free(img->data);
    memset(img, 0, sizeof *img);
}

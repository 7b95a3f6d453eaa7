#include "imgread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfimg.h"
#include "harness.h"
#include "mksys.h"
#include "util.h"

#define LOAD 0x40200000ull

uint64_t elf_sym(const char *elf, const char *name)
{
    struct elf_img *e;
    uint64_t vaddr = 0, size;
    size_t seg;
    if (elfimg_open(elf, &e) == 0 && elfimg_symbol(e, name, &vaddr, &size, &seg) == SYM_MISSING)
        vaddr = 0;
    elfimg_close(e);
    return vaddr;
}

const uint8_t *img_at(const struct img *img, uint64_t pa)
{
    return pa >= img->load && pa - img->load < img->size ? img->data + (pa - img->load) : NULL;
}

int img_load(struct img *img, const char *path)
{
    memset(img, 0, sizeof *img);
    img->data = (uint8_t *)read_whole(path, &img->size);
    img->load = LOAD;
    const uint8_t *ptr = img->data ? img_at(img, elf_sym(TEST_KERNEL, "boot_sysimg_pa")) : NULL;
    const uint8_t *hdr = ptr ? img_at(img, get_le64(ptr)) : NULL;
    if (!hdr)
        return -1;
    img->h = (const struct sysimg_header *)hdr;
    img->pds = (const void *)(hdr + img->h->pds_off);
    img->maps = (const void *)(hdr + img->h->maps_off);
    img->zero = (const void *)(hdr + img->h->zero_off);
    return 0;
}

void img_free(struct img *img)
{
    free(img->data);
    memset(img, 0, sizeof *img);
}

const struct sysimg_pd *img_pd(const struct img *img, const char *name)
{
    for (uint32_t i = 0; i < img->h->num_pds; i++)
        if (!strcmp(img->pds[i].name, name))
            return &img->pds[i];
    return NULL;
}

const struct sysimg_map *img_map(const struct img *img, const struct sysimg_pd *pd, uint64_t ipa)
{
    for (uint32_t i = pd->first_map; i < pd->first_map + pd->num_maps; i++)
        if (ipa >= img->maps[i].ipa && ipa - img->maps[i].ipa < img->maps[i].size)
            return &img->maps[i];
    return NULL;
}

const uint8_t *img_pd_bytes(const struct img *img, const char *pd, uint64_t ipa)
{
    const struct sysimg_pd *p = img_pd(img, pd);
    const struct sysimg_map *m = p ? img_map(img, p, ipa) : NULL;
    return m ? img_at(img, m->pa + (ipa - m->ipa)) : NULL;
}

bool img_zeroed(const struct img *img, uint64_t pa, uint64_t size)
{
    for (uint32_t i = 0; i < img->h->num_zero; i++)
        if (ranges_overlap(img->zero[i].pa, img->zero[i].size, pa, size))
            return true;
    return false;
}

int img_build(struct img *img, const struct mksys_opts *opts)
{
    struct run_result r;
    run_mksys_opts(opts, &r);
    if (r.rc) {
        fprintf(stderr, "mksys failed: %s\n", r.error);
        return -1;
    }
    return img_load(img, opts->output);
}

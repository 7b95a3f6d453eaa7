/* Reading a boot image back for tests: the sysimg tables and what a PD sees at an IPA. */
#ifndef TEST_IMGREAD_H
#define TEST_IMGREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysimg.h"

struct img {
    uint8_t *data;
    size_t size;
    uint64_t load; /* physical address of data[0] */
    const struct sysimg_header *h;
    const struct sysimg_pd *pds;
    const struct sysimg_map *maps;
    const struct sysimg_zero *zero;
};

/* Loads an image built with the test kernel (load address 0x40200000); 0 or -1. */
int img_load(struct img *img, const char *path);
struct mksys_opts;
/* Runs mksys with opts and loads its output; 0, or -1 after printing mksys's error. */
int img_build(struct img *img, const struct mksys_opts *opts);
void img_free(struct img *img);
/* Bytes at a physical address inside the file, or NULL. */
const uint8_t *img_at(const struct img *img, uint64_t pa);
const struct sysimg_pd *img_pd(const struct img *img, const char *name);
/* The map of pd (by table entry) covering ipa, or NULL. */
const struct sysimg_map *img_map(const struct img *img, const struct sysimg_pd *pd, uint64_t ipa);
bool img_zeroed(const struct img *img, uint64_t pa, uint64_t size);
/* The image's bytes at a PD's address ipa, through its maps (NULL if unmapped or not stored). */
const uint8_t *img_pd_bytes(const struct img *img, const char *pd, uint64_t ipa);
/* A symbol's address in an ELF (0 if absent). */
uint64_t elf_sym(const char *elf, const char *name);

#endif

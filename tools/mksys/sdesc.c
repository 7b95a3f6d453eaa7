/* Lifetime of struct sd_system. */
#include <stdlib.h>
#include <string.h>

#include "sdesc.h"

void sd_free(struct sd_system *sys)
{
    for (size_t i = 0; i < sys->mrs.n; i++)
        free(sys->mrs.v[i].name);
    for (size_t i = 0; i < sys->pds.n; i++) {
        struct sd_pd *pd = &sys->pds.v[i];
        free(pd->name);
        free(pd->image);
        for (size_t j = 0; j < pd->maps.n; j++) {
            free(pd->maps.v[j].mr_name);
            free(pd->maps.v[j].setvar_vaddr);
        }
        for (size_t j = 0; j < pd->setvars.n; j++) {
            free(pd->setvars.v[j].symbol);
            free(pd->setvars.v[j].region);
        }
        free(pd->maps.v);
        free(pd->irqs.v);
        free(pd->setvars.v);
    }
    for (size_t i = 0; i < sys->chans.n; i++)
        for (int e = 0; e < 2; e++)
            free(sys->chans.v[i].end[e].pd_name);
    free(sys->mrs.v);
    free(sys->pds.v);
    free(sys->chans.v);
    memset(sys, 0, sizeof *sys);
}

/* Lifetime of struct sd_system. */
#include <stdlib.h>
#include <string.h>

#include "sdesc.h"
#include "serial.h"

size_t sd_num_vcpus(const struct sd_system *sys)
{
    size_t n = 0;
    for (size_t i = 0; i < sys->vms.n; i++)
        n += sys->vms.v[i].vcpus.n;
    return n;
}

size_t sd_serial_pd_slot(const struct sd_serial *s, size_t i)
{
    size_t k = 0;
    for (size_t j = 0; j < i; j++)
        if (!strcmp(s->clients.v[j].pd_name, s->clients.v[i].pd_name))
            k++;
    return k;
}

static void free_maps(struct sd_map *maps, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        free(maps[j].mr_name);
        free(maps[j].setvar_vaddr);
    }
    free(maps);
}

static void free_guests(struct sd_system *sys)
{
    for (size_t i = 0; i < sys->guests.n; i++) {
        struct sd_guest *g = &sys->guests.v[i];
        free(g->name);
        free(g->kernel);
        free(g->initrd);
        free(g->bootargs);
        for (size_t j = 0; j < g->pt.n; j++)
            free(g->pt.v[j].node);
        free(g->pt.v);
        for (size_t j = 0; j < g->virtio.n; j++) {
            for (size_t k = 0; k < g->virtio.v[j].ports.n; k++) {
                free(g->virtio.v[j].ports.v[k].client);
                free(g->virtio.v[j].ports.v[k].name);
            }
            free(g->virtio.v[j].ports.v);
        }
        free(g->virtio.v);
        free(g->out);
    }
    free(sys->guests.v);
}

void sd_free(struct sd_system *sys)
{
    for (size_t i = 0; i < sys->mrs.n; i++) {
        free(sys->mrs.v[i].name);
        free(sys->mrs.v[i].data);
        free(sys->mrs.v[i].source);
    }
    for (size_t i = 0; i < sys->pds.n; i++) {
        struct sd_pd *pd = &sys->pds.v[i];
        free(pd->name);
        free(pd->image);
        free_maps(pd->maps.v, pd->maps.n);
        for (size_t j = 0; j < pd->setvars.n; j++) {
            free(pd->setvars.v[j].symbol);
            free(pd->setvars.v[j].region);
        }
        free(pd->irqs.v);
        free(pd->setvars.v);
        for (size_t j = 0; j < pd->patches.n; j++) {
            free(pd->patches.v[j].symbol);
            free(pd->patches.v[j].data);
            free(pd->patches.v[j].why);
        }
        free(pd->patches.v);
    }
    for (size_t i = 0; i < sys->vms.n; i++) {
        free(sys->vms.v[i].name);
        free(sys->vms.v[i].vcpus.v);
        free_maps(sys->vms.v[i].maps.v, sys->vms.v[i].maps.n);
    }
    for (size_t i = 0; i < sys->chans.n; i++)
        for (int e = 0; e < 2; e++)
            free(sys->chans.v[i].end[e].pd_name);
    free_guests(sys);
    for (size_t i = 0; i < sys->serials.n; i++)
        serial_free(&sys->serials.v[i]);
    free(sys->serials.v);
    free(sys->mrs.v);
    free(sys->pds.v);
    free(sys->vms.v);
    free(sys->chans.v);
    memset(sys, 0, sizeof *sys);
}

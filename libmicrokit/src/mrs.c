/* Message registers: uint64_t mr[PD_MAX_MRS] at the start of the IPC buffer page. */
#include <microkit.h>

#include "runtime.h"

#define IPC_MRS ((seL4_Word *)PD_IPC_BUF_VADDR) /* hvc's "memory" clobber orders accesses */

void microkit_mr_set(seL4_Uint8 mr, seL4_Word value)
{
    if (mr >= MICROKIT_MAX_MRS) {
        mk_diag("microkit_mr_set", "invalid message register", mr);
        return;
    }
    IPC_MRS[mr] = value;
}

seL4_Word microkit_mr_get(seL4_Uint8 mr)
{
    if (mr >= MICROKIT_MAX_MRS) {
        mk_diag("microkit_mr_get", "invalid message register", mr);
        return 0;
    }
    return IPC_MRS[mr];
}
